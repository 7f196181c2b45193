"""Jinja2's sandbox with bounded work, value size, output and time.

The sandbox keeps a template away from server internals; it does not stop a template from
keeping a process busy (``{{ 9 ** (4 * 10 ** 6) }}``), from building a huge value
(``{{ 'a' * 10 ** 7 }}``) or from looping exponentially. ``BoundedEnvironment`` closes that:

- every operator that can grow a value (``*``, ``**``, ``+``, ``%``) is intercepted and refused
  before it runs when its result would pass ``MAX_VALUE_SIZE`` (or ``MAX_INT_DIGITS`` for a
  number); so are ``~``, list/tuple/dict literals, every filter, every method call and
  ``str.format`` (sizes are estimated *before* the work where a filter or method can grow a
  value without bound: ``center``, ``indent``, ``wordwrap``, ``replace``, ``join``,
  ``format``, ``batch``, ``slice``, ``sum``, ``expandtabs``, ``translate``, widths in
  ``%``/``format``; every result is checked after);
- every loop iteration (and every loop-filter test) and every macro call counts against
  ``MAX_ITERATIONS``; every piece of text written, also into ``{% set %}`` blocks and macro
  bodies, counts against ``MAX_TEXT_WORK``; the rendered result is capped at
  ``MAX_OUTPUT_CHARS``;
- a deadline (``MAX_RENDER_SECONDS``) is checked at each of those points.

Checking the clock in Python is enough because no single step between two checks can run
long: the only unbounded steps Python offers a template are the ones intercepted above, and
each of those is refused before it starts if its result would be too big. Constant folding
at compile time is off (``optimized=False``) so nothing runs outside a render's budget.

A refusal raises ``TemplateLimitError`` (a ``SecurityError``) whose message says which limit.
"""

from __future__ import annotations

import copy
import inspect
import math
import re
import string
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any

from jinja2 import nodes, pass_environment
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import Environment, Template
from jinja2.exceptions import SecurityError
from jinja2.ext import Extension
from jinja2.filters import make_attrgetter
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment
from typing_extensions import override

# A merge template is an email of a few kilobytes; these leave a wide margin over any real
# one while keeping a refused template's cost to well under a second of one CPU.
MAX_VALUE_SIZE = 100_000  # characters (or printed size of a list) of any one value
MAX_OUTPUT_CHARS = 100_000  # characters of the rendered result
MAX_TEXT_WORK = 1_000_000  # characters written in all, counting {% set %} blocks and macros
MAX_ITERATIONS = 10_000  # loop iterations and macro calls in one render
MAX_INT_DIGITS = 1_000  # digits of any number a template computes
MAX_RENDER_SECONDS = 0.25  # wall-clock time of one render
# Compiling runs before the clock starts and costs up to ~30 µs per character of template.
MAX_TEMPLATE_CHARS = 20_000


class TemplateLimitError(SecurityError):
    """The template would take too much time, memory or output; the message says which."""


@dataclass
class _Budget:
    deadline: float
    iterations: int = 0
    text: int = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"it takes longer than {MAX_RENDER_SECONDS:g} seconds to render"
            )

    def iterate(self) -> None:
        self.iterations += 1
        if self.iterations > MAX_ITERATIONS:
            raise TemplateLimitError(
                f"it repeats loops or macros more than {MAX_ITERATIONS:,} times"
            )
        self.tick()

    def write(self, size: int) -> None:
        self.text += size
        if self.text > MAX_TEXT_WORK:
            raise TemplateLimitError(f"it writes more than {MAX_TEXT_WORK:,} characters of text")
        self.tick()


_BUDGET: ContextVar[_Budget | None] = ContextVar("hireslot_template_budget", default=None)


def _budget() -> _Budget:
    budget = _BUDGET.get()
    if budget is None:
        # Also what keeps filters from being run while the template is compiled.
        raise SecurityError("a merge template runs only through bounded_render")
    return budget


def _too_big() -> TemplateLimitError:
    return TemplateLimitError(f"a value in it grows past {MAX_VALUE_SIZE:,} characters")


def _digits(number: int) -> int:
    return int(abs(number).bit_length() * math.log10(2)) + 1


def _weight(value: Any, limit: int = MAX_VALUE_SIZE) -> int:
    """About the printed size of ``value``; stops counting once past ``limit``.

    Lists are counted through, so ``[a, a, a]`` weighs three ``a``: sharing makes a value
    cheap to hold but not to print, compare or join.
    """
    total = 0
    stack = [value]
    while stack and total <= limit:
        item = stack.pop()
        if isinstance(item, str | bytes):
            total += len(item)
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            total += _digits(item)
        elif isinstance(item, float | complex):
            total += 24
        elif isinstance(item, range):
            total += 2 + 2 * len(item)  # at most MAX_ITERATIONS long, see _bounded_range
        elif isinstance(item, Mapping):
            total += 2 + 4 * len(item)
            if total <= limit:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset | deque):
            total += 2 + 2 * len(item)
            if total <= limit:
                stack.extend(item)
        else:
            total += 1
    return total


def _checked(value: Any) -> Any:
    if _weight(value) > MAX_VALUE_SIZE:
        raise _too_big()
    return value


def _require(estimate: int) -> None:
    if estimate > MAX_VALUE_SIZE:
        raise _too_big()


def _materialized(value: Any) -> Any:
    """An iterator as a list (at most ``MAX_VALUE_SIZE`` in all), so its size is known."""
    if not isinstance(value, Iterator):
        return value
    budget = _budget()
    items: list[Any] = []
    total = 0
    for item in value:
        total += _weight(item) + 2
        if total > MAX_VALUE_SIZE:
            raise _too_big()
        items.append(item)
        budget.tick()
    return items


def _lazily_counted(items: Iterator[Any]) -> Iterator[Any]:
    """A lazy result (``map``, ``select`` …) that still counts against the budget."""
    budget = _budget()
    for count, item in enumerate(items):
        if count >= MAX_VALUE_SIZE:
            raise _too_big()
        budget.tick()
        yield item


def _number_check(values: Iterable[Any]) -> None:
    # A width, count or size argument is what lets one call build a huge value.
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE_SIZE:
            raise TemplateLimitError(f"a number in it is larger than {MAX_VALUE_SIZE:,}")


_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d*)(?:\.(\*|\d*))?[hlL]?([a-zA-Z%])")


def _percent_estimate(fmt: str, args: Any) -> int:
    """Worst-case size of ``fmt % args``: every field may print all of ``args``, padded."""
    fields = 0
    padding = 0
    for width, precision, kind in _PERCENT_SPEC.findall(fmt):
        if "*" in (width, precision):
            raise TemplateLimitError("a “*” width in a %-format is not allowed")
        if kind != "%":
            fields += 1
        padding += int(width or 0) + int(precision or 0)
    return len(fmt) + padding + fields * _weight(args)


def _format_estimate(fmt: str, args: Any) -> int:
    """Worst-case size of ``fmt.format(*args)``, the same way as ``_percent_estimate``."""
    fields = 0
    padding = 0
    for _literal, field, spec, _conversion in string.Formatter().parse(fmt):
        if field is None:
            continue
        fields += 1
        if spec and "{" in spec:
            raise TemplateLimitError("a nested width in a format string is not allowed")
        padding += sum(int(number) for number in re.findall(r"\d+", spec or ""))
    return len(fmt) + padding + fields * _weight(args)


def _binop_estimate(operator: str, left: Any, right: Any) -> None:
    numbers = (int, float)
    if operator == "**":
        if (
            isinstance(left, int)
            and isinstance(right, int)
            and right * max(abs(left).bit_length() - 1, 0) * math.log10(2) > MAX_INT_DIGITS
        ):
            raise TemplateLimitError(f"a number in it grows past {MAX_INT_DIGITS:,} digits")
    elif operator == "*":
        if isinstance(left, int) and isinstance(right, int):
            if _digits(left) + _digits(right) > MAX_INT_DIGITS:
                raise TemplateLimitError(f"a number in it grows past {MAX_INT_DIGITS:,} digits")
        elif isinstance(left, int) or isinstance(right, int):
            count, sequence = (left, right) if isinstance(left, int) else (right, left)
            if count > 0 and not isinstance(sequence, numbers):
                _require(_weight(sequence, MAX_VALUE_SIZE // count + 1) * count)
    elif operator == "+":
        if not (isinstance(left, numbers) and isinstance(right, numbers)):
            _require(_weight(left) + _weight(right))
    elif operator == "%" and isinstance(left, str):
        _require(_percent_estimate(left, right))


def _arguments(
    signature: inspect.Signature | None, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Mapping[str, Any]:
    if signature is None:
        return {}
    try:
        return signature.bind(*args, **kwargs).arguments
    except TypeError:  # the filter itself will say what is wrong
        return {}


def _filter_estimate(name: str, value: Any, options: Mapping[str, Any]) -> None:
    """Refuse, before the work, the filters whose result can outgrow their input."""
    if not isinstance(value, str | list | tuple | dict):
        return
    size = _weight(value)
    if name == "center":
        _require(max(size, int(options.get("width", 80))))
    elif name == "indent" and isinstance(value, str):
        width = options.get("width", 4)
        indent = len(width) if isinstance(width, str) else int(width)
        _require(size + (value.count("\n") + 1) * indent)
    elif name == "wordwrap" and isinstance(value, str):
        width = max(int(options.get("width", 79)), 1)
        wrap = len(str(options.get("wrapstring") or "\n"))
        _require(2 * size + (size // width + value.count("\n") + 1) * wrap)
    elif name == "replace" and isinstance(value, str):
        old, new = str(options.get("old", "")), str(options.get("new", ""))
        count = value.count(old) if old else len(value) + 1
        _require(size + count * len(new))
    elif name == "join":
        _require(size + len(value) * _weight(options.get("d", "")))
    elif name == "format" and isinstance(value, str):
        _require(_percent_estimate(value, (options.get("args"), options.get("kwargs"))))
    elif name in ("batch", "slice"):
        count = int(options.get("linecount", options.get("slices", 1)))
        _require(size + abs(count) * (_weight(options.get("fill_with")) + 2))


def _bounded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    offset = 1 if hasattr(func, "jinja_pass_arg") else 0  # the context Jinja passes first
    try:
        signature: inspect.Signature | None = inspect.signature(func)
    except (TypeError, ValueError):
        signature = None

    @wraps(func)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        _budget().tick()
        args = (*args[:offset], *(_materialized(arg) for arg in args[offset:]))
        for arg in (*args[offset:], *kwargs.values()):
            _checked(arg)
        # Widths, counts and sizes, not the value filtered ({{ 1000000|string }} is fine).
        _number_check((*args[offset + 1 :], *kwargs.values()))
        options = _arguments(signature, args, kwargs)
        if len(args) > offset:
            _filter_estimate(name, args[offset], options)
        result = func(*args, **kwargs)
        if isinstance(result, Iterator):
            return _lazily_counted(result)
        return _checked(result)

    return bounded


@pass_environment
def _bounded_sum(
    environment: Environment, iterable: Iterable[Any], attribute: str | None = None, start: Any = 0
) -> Any:
    """``sum`` one addition at a time, each one checked like the ``+`` operator."""
    get = make_attrgetter(environment, attribute) if attribute is not None else None
    total = start
    for item in iterable:
        addend = get(item) if get is not None else item
        _budget().tick()
        _binop_estimate("+", total, addend)
        total = total + addend
    return total


def _bounded_range(*args: int) -> range:
    # A longer range could only be looped over past MAX_ITERATIONS.
    numbers = range(*args)
    if len(numbers) > MAX_ITERATIONS:
        raise TemplateLimitError(f"a range is longer than {MAX_ITERATIONS:,}")
    return numbers


_GROWING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})


def _method_estimate(obj: Any, args: tuple[Any, ...]) -> None:
    """The ``str`` methods whose result can outgrow the string and their arguments."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if not isinstance(owner, str):
        return
    if name == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        _require(len(owner) + (owner.count(old) if old else len(owner) + 1) * len(new))
    elif name == "join" and args:
        count = len(args[0]) if isinstance(args[0], Sized) else 1
        _require(_weight(args[0]) + count * len(owner))
    elif name == "expandtabs":
        tab = int(args[0]) if args else 8
        _require(len(owner) + owner.count("\t") * max(tab, 0))
    elif name in _GROWING_METHODS and args and isinstance(args[0], int):
        _require(max(len(owner), args[0]))
    elif name == "translate" and args:
        table = args[0]
        longest = (
            max((_weight(v) for v in table.values()), default=1)
            if isinstance(table, Mapping)
            else 1
        )
        _require(len(owner) * max(longest, 1))


class _SafePoints(Extension):
    """Jinja's way to call our own code from a compiled template: loop iterations, loop
    tests and macro calls count against the budget through ``iterate``."""

    def iterate(self) -> bool:
        _budget().iterate()
        return True


def _tick(lineno: int) -> nodes.Expr:
    attribute = nodes.ExtensionAttribute(_SafePoints.identifier, "iterate", lineno=lineno)
    return nodes.Call(attribute, [], [], None, None, lineno=lineno)


def _ticking(body: list[nodes.Node], lineno: int) -> list[nodes.Node]:
    return [nodes.ExprStmt(_tick(lineno), lineno=lineno), *body]


class _BoundedCodeGenerator(CodeGenerator):
    """Compiles the safe points into the template: loop bodies and tests, macro calls,
    every piece of text written, ``~`` and list/tuple/dict literals."""

    @override
    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        node = copy.copy(node)
        node.body = _ticking(node.body, node.lineno)
        if node.test is not None:
            node.test = nodes.And(_tick(node.lineno), node.test, lineno=node.lineno)
        super().visit_For(node, frame)

    @override
    def visit_Macro(self, node: nodes.Macro, frame: Frame) -> None:
        node = copy.copy(node)
        node.body = _ticking(node.body, node.lineno)
        super().visit_Macro(node, frame)

    @override
    def visit_CallBlock(self, node: nodes.CallBlock, frame: Frame) -> None:
        node = copy.copy(node)
        node.body = _ticking(node.body, node.lineno)
        super().visit_CallBlock(node, frame)

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        return f"environment.hs_text({super()._output_const_repr(group)})"

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.hs_text(")
        super()._output_child_pre(node, frame, finalize)
        self.write("environment.hs_value(")

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write(")")
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    @override
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.hs_concat({join}, (")
        for part in node.nodes:
            self.visit(part, frame)
            self.write(", ")
        self.write("))")

    def _literal(self, visit: Callable[[Any, Frame], None], node: nodes.Expr, frame: Frame) -> None:
        self.write("environment.hs_value(")
        visit(node, frame)
        self.write(")")

    @override
    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._literal(super().visit_List, node, frame)

    @override
    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._literal(super().visit_Dict, node, frame)

    @override
    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx != "load":  # an assignment target: {% for a, b in … %}
            super().visit_Tuple(node, frame)
        else:
            self._literal(super().visit_Tuple, node, frame)


class BoundedEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox, plus the limits above. Render only through ``bounded_render``."""

    code_generator_class = _BoundedCodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(optimized=False, extensions=[_SafePoints], **options)
        # lipsum builds text of any size; namespace, cycler and joiner hold state across
        # iterations that the size checks could not see. None is a merge field anyway.
        self.globals = {"range": _bounded_range, "dict": dict}
        self.filters = {name: _bounded_filter(name, func) for name, func in self.filters.items()}
        self.filters["sum"] = _bounded_filter("sum", _bounded_sum)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _budget().tick()
        _binop_estimate(operator, left, right)
        return self.binop_table[operator](left, right)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        if isinstance(getattr(obj, "__self__", None), _SafePoints):
            return obj()  # a loop's or macro's own safe point: keep it cheap
        _budget().tick()
        args = tuple(_materialized(arg) for arg in args)
        _number_check((*args, *kwargs.values()))
        for arg in (*args, *kwargs.values()):
            _checked(arg)
        _method_estimate(obj, args)
        result = super().call(context, obj, *args, **kwargs)
        if isinstance(result, Iterator):
            return _lazily_counted(result)
        return _checked(result)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        formatter = super().wrap_str_format(value)
        if formatter is None:
            return None
        text = str(value.__self__)

        def bounded(*args: Any, **kwargs: Any) -> str:
            _budget().tick()
            _require(_format_estimate(text, (args, kwargs)))
            return str(_checked(formatter(*args, **kwargs)))

        return bounded

    # Called from compiled templates (see _BoundedCodeGenerator).

    def hs_value(self, value: Any) -> Any:
        _budget().tick()
        return _checked(value)

    def hs_text(self, text: str) -> str:
        _budget().write(len(text))
        return text

    def hs_concat(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        _budget().tick()
        _require(sum(_weight(part) for part in parts))
        return join(parts)


def bounded_render(template: Template, context: Mapping[str, Any]) -> str:
    """Render ``template`` (from a ``BoundedEnvironment``) within every limit above."""
    token = _BUDGET.set(_Budget(deadline=time.monotonic() + MAX_RENDER_SECONDS))
    try:
        parts: list[str] = []
        size = 0
        for part in template.generate(context):
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateLimitError(
                    f"its result is longer than {MAX_OUTPUT_CHARS:,} characters"
                )
            parts.append(part)
        return "".join(parts)
    except RecursionError as error:
        raise TemplateLimitError("it nests too deeply") from error
    except MemoryError as error:
        raise TemplateLimitError("it needs too much memory") from error
    finally:
        _BUDGET.reset(token)
