"""Small helpers shared by the availability tests."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from hireslot.availability import find_slots, parse_document, render_result

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def api_slots(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``slots`` list the Python API yields for ``document``, rendered as in the CLI."""
    slots: list[dict[str, Any]] = render_result(find_slots(parse_document(document)))["slots"]
    return slots


def api_starts(document: dict[str, Any]) -> list[str]:
    return [slot["start"] for slot in api_slots(document)]


def run_cli(stdin: bytes | str, *args: str) -> tuple[int, str, str]:
    """Run ``python -m hireslot.availability`` for real; returns (status, stdout, stderr)."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [sys.executable, "-m", "hireslot.availability", *args],
        input=data,
        capture_output=True,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def cli_document(document: Any, *args: str) -> tuple[int, dict[str, Any]]:
    status, out, err = run_cli(json.dumps(document), *args)
    assert err == "", err
    return status, json.loads(out)


def single(
    tz: str,
    *,
    start: str,
    end: str,
    duration: int,
    now: str | None = None,
    interval: int | None = None,
    min_notice: int | None = None,
    grid_tz: str | None = None,
    **person: Any,
) -> dict[str, Any]:
    """A one-interviewer document; ``person`` holds the interviewer's other fields."""
    document: dict[str, Any] = {
        "now": now or "2020-01-01T00:00:00Z",
        "start": start,
        "end": end,
        "duration": duration,
        "interviewers": [{"id": "alice", "tz": tz, **person}],
    }
    if interval is not None:
        document["interval"] = interval
    if min_notice is not None:
        document["min_notice"] = min_notice
    if grid_tz is not None:
        document["grid_tz"] = grid_tz
    return document
