"""``python -m hireslot.availability [--jsonl]``: JSON on stdin, JSON on stdout.

Exit status 0 when every document was answered with slots, 2 when any was invalid (its answer
is ``{"error": ...}``), 1 only for an internal error — which is a bug, reported as JSON too so
that no input ever produces a traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from typing import IO, Any, NoReturn

from .engine import find_slots
from .errors import InvalidDocument
from .parsing import parse_text
from .rendering import render_error, render_result

OK = 0
INTERNAL_ERROR = 1
INVALID = 2


def answer_text(text: str | bytes) -> tuple[int, dict[str, Any]]:
    """Exit status and output document for one input document's text."""
    try:
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8-sig")
            except UnicodeDecodeError:
                return INVALID, render_error("input is not UTF-8 text")
        if not text.strip():
            return INVALID, render_error("empty input: expected a JSON document")
        try:
            request = parse_text(text)
        except InvalidDocument:
            raise  # a ValueError too, but not a JSON one
        except RecursionError:
            return INVALID, render_error("invalid JSON: nested too deeply")
        except json.JSONDecodeError as error:
            return INVALID, render_error(
                f"invalid JSON: {error.msg} at line {error.lineno} column {error.colno}"
            )
        except ValueError as error:
            return INVALID, render_error(f"invalid JSON: {error}")
        return OK, render_result(find_slots(request))
    except InvalidDocument as error:
        return INVALID, render_error(error.message)
    except Exception as error:  # the promise is "never a traceback", whatever the input
        return INTERNAL_ERROR, render_error(f"internal error: {type(error).__name__}")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m hireslot.availability",
        description="Read an availability document (JSON) on stdin and print its slots.",
    )
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="one document per line in, one result per line out, in order; blank lines are "
        "skipped; exit status 2 if any line was invalid",
    )
    return parser


def _write(stdout: IO[str], result: dict[str, Any]) -> None:
    # ASCII-only output cannot fail to encode, whatever the terminal's locale.
    stdout.write(json.dumps(result))
    stdout.write("\n")


def main(
    argv: list[str] | None = None, stdin: IO[bytes] | None = None, stdout: IO[str] | None = None
) -> int:
    """Run the CLI; returns the exit status."""
    output = sys.stdout if stdout is None else stdout
    try:
        options = _parser().parse_args(argv)
    except _UsageError as error:
        _write(output, render_error(f"usage: {error}"))
        return INVALID
    source = sys.stdin.buffer if stdin is None else stdin
    # A document decodes into thousands of small lists that all die together; the cyclic
    # collector would scan them repeatedly for nothing (several ms per document). Nothing
    # here builds reference cycles except the odd exception traceback, collected below.
    collecting = gc.isenabled()
    gc.disable()
    try:
        if not options.jsonl:
            status, result = answer_text(source.read())
            _write(output, result)
            return status
        worst = OK
        for number, line in enumerate(source, start=1):
            if not line.strip():
                continue
            status, result = answer_text(line)
            _write(output, result)
            worst = max(worst, status)
            if number % 1000 == 0:
                gc.collect()
        return worst
    except BrokenPipeError:
        return INTERNAL_ERROR
    except KeyboardInterrupt:
        return 130
    finally:
        if collecting:
            gc.enable()
