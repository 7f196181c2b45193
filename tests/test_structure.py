"""The package's shape holds: no import cycles, tasks modules are leaves, background work is
asked for by names that exist, and function-local imports are rare and explained.

The layers themselves (web > demo > api > scheduling > … > core) are import-linter's
contract in pyproject.toml, run by ``make lint``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import grimp
import pytest

from hireslot.core.work import work_names

PACKAGE = Path(__file__).resolve().parent.parent / "hireslot"
MAX_LOCAL_IMPORTS = 10


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("hireslot", include_external_packages=False)


def _production_modules(graph: grimp.ImportGraph) -> set[str]:
    return {m for m in graph.modules if ".migrations" not in m}


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    modules = _production_modules(graph)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m) & modules) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(modules):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(edges[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(edges[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_itself_back_through_others(graph: grimp.ImportGraph) -> None:
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    # Given a graph where a -> b -> c -> a, when we look for cycles, then we find that one.
    made = grimp.ImportGraph()
    for name in ("hireslot", "hireslot.a", "hireslot.b", "hireslot.c", "hireslot.d"):
        made.add_module(name)
    for importer, imported in [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]:
        made.add_import(importer=f"hireslot.{importer}", imported=f"hireslot.{imported}")

    assert _cycles(made) == [["hireslot.a", "hireslot.b", "hireslot.c"]]


def test_tasks_modules_are_leaves_nothing_imports(graph: grimp.ImportGraph) -> None:
    tasks = [m for m in _production_modules(graph) if m.endswith(".tasks")]
    assert tasks, "every app with background work has a tasks module"
    importers = {m: graph.find_modules_that_directly_import(m) for m in tasks}

    assert {m: sorted(i) for m, i in importers.items() if i} == {}


def _work_names_enqueued() -> set[str]:
    names = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "work_enqueue"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                names.add(str(node.args[0].value))
    return names


def test_every_piece_of_work_asked_for_is_registered_by_a_tasks_module() -> None:
    asked = _work_names_enqueued()

    assert asked, "the services enqueue work by name"
    assert asked - work_names() == set()


def _function_local_imports() -> list[tuple[str, int, bool]]:
    """(file:line, line, explained) of each ``hireslot`` import inside a function body."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                module = (
                    node.module
                    if isinstance(node, ast.ImportFrom)
                    else node.names[0].name
                    if isinstance(node, ast.Import)
                    else None
                )
                if module is None or not module.startswith("hireslot"):
                    continue
                above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
                explained = above.startswith("#") or "#" in lines[node.lineno - 1]
                where = f"{path.relative_to(PACKAGE.parent)}:{node.lineno}"
                found.append((where, node.lineno, explained))
    return found


def test_function_local_imports_are_few_and_each_says_why() -> None:
    local = _function_local_imports()

    assert len(local) < MAX_LOCAL_IMPORTS, [where for where, _, _ in local]
    assert [where for where, _, explained in local if not explained] == []
