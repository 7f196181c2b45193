"""Scheduling's shape, checked: no import cycle among its modules, every row lock taken
through ``scheduling/locks.py`` (the one lock order), and no import of HireSlot hidden
inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

import hireslot.scheduling

PACKAGE = Path(hireslot.scheduling.__file__).parent
# Left to the provider work of issue 10 (the Zoom provider is chosen by settings there).
LOCAL_IMPORTS_ALLOWED = {"services/effects/remote.py"}


def _sources() -> dict[str, str]:
    return {
        path.relative_to(PACKAGE).as_posix(): path.read_text()
        for path in sorted(PACKAGE.rglob("*.py"))
        if "migrations" not in path.parts
    }


def _cycle_from(graph: grimp.ImportGraph, start: str, modules: set[str]) -> list[str] | None:
    """One import cycle through ``start`` among ``modules``, if there is one."""
    path: list[str] = [start]
    seen: set[str] = set()

    def walk(module: str) -> bool:
        for imported in sorted(graph.find_modules_directly_imported_by(module) & modules):
            if imported == start:
                return True
            if imported not in seen:
                seen.add(imported)
                path.append(imported)
                if walk(imported):
                    return True
                path.pop()
        return False

    return path if walk(start) else None


def test_scheduling_modules_import_each_other_without_a_cycle() -> None:
    graph = grimp.build_graph("hireslot")
    modules = {
        module
        for module in graph.find_descendants("hireslot.scheduling")
        if ".migrations" not in module
    }

    cycles = [cycle for m in sorted(modules) if (cycle := _cycle_from(graph, m, modules))]

    assert cycles == []


def test_every_row_lock_is_taken_through_the_locks_module() -> None:
    outside = [name for name, text in _sources().items() if "select_for_update" in text]

    assert outside == ["locks.py"]


def test_no_hireslot_import_hides_inside_a_function() -> None:
    hidden = []
    for name, text in _sources().items():
        for function in ast.walk(ast.parse(text)):
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
                if module and module.startswith("hireslot") and name not in LOCAL_IMPORTS_ALLOWED:
                    hidden.append(f"{name}:{node.lineno} {module}")

    assert hidden == []
