"""Benchmark of the availability engine (not a test): ``python bench/availability.py``.

A panel of 5 interviewers in 5 zones whose working hours overlap, 2,000 busy intervals each, a
60-day horizon across the March 2026 DST changes (US on the 8th, EU on the 29th), 30-minute
interviews, 10-minute buffers, ``max_per_day`` caps with booked interviews and 24 h notice.
Prints median / min / p90 milliseconds per call for the JSON path (text -> parse -> find_slots
-> render -> text, in-process), the Python API path, and a one-shot
``python -m hireslot.availability`` subprocess for reference.

Documents are generated from fixed seeds, so every run measures the same work.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hireslot.availability import (  # noqa: E402
    AvailabilityRequest,
    Interviewer,
    Slot,
    find_slots,
    parse_document,
    render_result,
)

ZONES = (
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
)
START = datetime(2026, 3, 2, tzinfo=UTC)
DAYS = 60
BUSY_PER_INTERVIEWER = 2_000
INTERVIEWS_PER_INTERVIEWER = 40


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _intervals(rng: random.Random, count: int, shuffled: bool) -> list[list[str]]:
    # Calendar events start on the quarter hour and last 15 minutes to 2 hours. Calendar APIs
    # and the busy cache deliver them ordered by start; `shuffled` measures the worst case.
    pairs = []
    for _ in range(count):
        begin = START + timedelta(minutes=15 * rng.randrange(DAYS * 96))
        length = timedelta(minutes=rng.choice((15, 30, 30, 45, 60, 60, 90, 120)))
        pairs.append([_iso(begin), _iso(begin + length)])
    pairs.sort()
    if shuffled:
        rng.shuffle(pairs)
    return pairs


def make_document(seed: int, mode: str = "all", *, shuffled: bool = False) -> dict[str, Any]:
    """The benchmark document for ``seed``."""
    rng = random.Random(seed)
    interviewers = []
    for index, zone in enumerate(ZONES):
        weekly = {
            day: [["07:00", "12:00"], ["13:00", "21:00"]] for day in ("mon", "tue", "wed", "thu")
        }
        weekly["fri"] = [["08:00", "16:00"]]
        overrides = {
            (START + timedelta(days=rng.randrange(DAYS))).date().isoformat(): rng.choice(
                ([], [["10:00", "24:00"]], [["00:00", "06:00"], ["20:00", "24:00"]])
            )
            for _ in range(4)
        }
        interviewers.append(
            {
                "id": f"interviewer-{index}",
                "tz": zone,
                "weekly": weekly,
                "overrides": overrides,
                "busy": _intervals(rng, BUSY_PER_INTERVIEWER, shuffled),
                "interviews": _intervals(rng, INTERVIEWS_PER_INTERVIEWER, shuffled),
                "buffer_before": 10,
                "buffer_after": 10,
                "max_per_day": rng.choice((1, 2, 3)),
            }
        )
    return {
        "now": _iso(START - timedelta(hours=12)),
        "start": _iso(START),
        "end": _iso(START + timedelta(days=DAYS)),
        "duration": 30,
        "min_notice": 24 * 60,
        "grid_tz": "America/New_York",
        "mode": mode,
        "interviewers": interviewers,
    }


def json_path(text: str) -> str:
    """What the CLI does with one document, minus process start-up."""
    return json.dumps(render_result(find_slots(parse_document(json.loads(text)))))


def api_values(document: dict[str, Any]) -> dict[str, Any]:
    """The document as a Django caller holds it: aware datetimes, times, zone names."""

    def moments(pairs: list[list[str]]) -> list[tuple[datetime, datetime]]:
        return [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in pairs]

    def hours(ranges: list[list[str]]) -> list[tuple[str, str]]:
        return [(a, b) for a, b in ranges]

    people = [
        {
            **raw,
            "weekly": {day: hours(ranges) for day, ranges in raw["weekly"].items()},
            "overrides": {day: hours(ranges) for day, ranges in raw["overrides"].items()},
            "busy": moments(raw["busy"]),
            "interviews": moments(raw["interviews"]),
        }
        for raw in document["interviewers"]
    ]
    return {
        **document,
        "now": datetime.fromisoformat(document["now"]),
        "start": datetime.fromisoformat(document["start"]),
        "end": datetime.fromisoformat(document["end"]),
        "interviewers": people,
    }


def api_request(values: dict[str, Any]) -> AvailabilityRequest:
    """``AvailabilityRequest.build`` / ``Interviewer.build`` over ``api_values``."""
    people = [Interviewer.build(**raw) for raw in values["interviewers"]]
    return AvailabilityRequest.build(**{**values, "interviewers": people})


def measure(calls: Sequence[Callable[[], object]], rounds: int) -> list[float]:
    """Milliseconds per call, cycling through ``calls``."""
    timings = []
    for index in range(rounds):
        call = calls[index % len(calls)]
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def report(label: str, timings: list[float]) -> None:
    ordered = sorted(timings)
    p90 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.9))]
    print(
        f"{label:<44} median {statistics.median(ordered):7.2f} ms"
        f"   min {ordered[0]:7.2f} ms   p90 {p90:7.2f} ms   (n={len(ordered)})"
    )


def _build_and_find(values: dict[str, Any]) -> list[Slot]:
    return find_slots(api_request(values))


def _gc_paused(call: Callable[[], object]) -> Callable[[], object]:
    def paused() -> object:
        gc.disable()
        try:
            return call()
        finally:
            gc.enable()

    return paused


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=90)
    options = parser.parse_args()
    seeds = (11, 12, 13)
    rounds = options.rounds

    scenarios = (("all", False), ("any", False), ("all", True), ("any", True))
    for number, (mode, shuffled) in enumerate(scenarios):
        # Only the JSON texts stay alive while the JSON path is timed: large live object graphs
        # left over from setup would make the cyclic collector's full passes costlier.
        texts = [json.dumps(make_document(seed, mode, shuffled=shuffled)) for seed in seeds]
        gc.collect()
        began = time.perf_counter()
        answer = json_path(texts[0])
        cold = 1000 * (time.perf_counter() - began)
        order = "shuffled" if shuffled else "ordered by start"
        print(
            f"mode={mode}, busy {order}: {len(texts[0]) / 1e6:.2f} MB of JSON per document,"
            f" {len(json.loads(answer)['slots'])} slots"
        )
        if number == 0:
            print(f"  {'first call (cold zone caches)':<42} {cold:7.2f} ms")
        json_calls = [partial(json_path, text) for text in texts]
        report("  JSON path (loads+parse+find+render+dumps)", measure(json_calls, rounds))
        paused = [_gc_paused(call) for call in json_calls]
        report("  JSON path, cyclic GC paused", measure(paused, rounds))
        values = [api_values(json.loads(text)) for text in texts]
        requests = [api_request(value) for value in values]
        finds = [partial(find_slots, request) for request in requests]
        report("  Python API: find_slots(request)", measure(finds, rounds))
        builds = [partial(_build_and_find, value) for value in values]
        report("  Python API: build(datetimes) + find_slots", measure(builds, rounds))
        del values, requests, finds, builds

    # For reference: a whole process per document (interpreter start-up and imports included).
    payload = json.dumps(make_document(seeds[0])).encode()
    runs = []
    for _ in range(7):
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "hireslot.availability"],
            input=payload,
            capture_output=True,
            cwd=ROOT,
            check=True,
        )
        runs.append((time.perf_counter() - began) * 1000)
        if not done.stdout.startswith(b'{"slots"'):
            raise SystemExit(f"unexpected answer: {done.stdout[:200]!r}")
    report("one-shot `python -m hireslot.availability`", runs)


if __name__ == "__main__":
    main()
