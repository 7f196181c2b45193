"""Benchmark of the availability engine (not a test): ``python bench/availability.py``.

Three cases (``--cases panel,pool,loop``): the panel below; issue 13's pool (one fixed person
plus a seat of 8, same calendars, 60 days, weekly caps too); issue 14's loop (5 sessions,
12 distinct interviewers of whom two seats draw from pools of 5, 30 days).

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
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hireslot.availability import (  # noqa: E402
    AvailabilityRequest,
    Interviewer,
    LoopRequest,
    LoopSlot,
    Session,
    Slot,
    find_slots,
    parse_text,
    render_result,
)

START = datetime(2026, 3, 2, tzinfo=UTC)
DAYS = 60
BUSY_PER_INTERVIEWER = 2_000
INTERVIEWS_PER_INTERVIEWER = 14
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Person:
    zone: str
    # Monday to Thursday, then Friday.
    hours: list[list[str]]
    friday: list[list[str]]
    # Local hours where the person's own team meets; most of their meetings land there.
    team: list[list[str]]


# Working hours overlap for 3 to 4 hours a day (14:00-17:00 UTC until the US changes clocks on
# 8 March, 13:00-17:00 until Europe follows on 29 March, then 13:00-16:00), as in a real
# cross-continent panel. São Paulo has kept UTC-3 all year since 2019.
PEOPLE = (
    Person("America/New_York", [["09:00", "18:00"]], [["09:00", "16:00"]], [["13:00", "18:00"]]),
    Person("America/Chicago", [["08:00", "17:00"]], [["08:00", "15:00"]], [["12:00", "17:00"]]),
    Person(
        "Europe/London",
        [["08:30", "12:30"], ["13:30", "18:00"]],
        [["08:30", "17:00"]],
        [["08:30", "13:00"]],
    ),
    Person(
        "Europe/Berlin",
        [["08:00", "12:00"], ["12:45", "18:00"]],
        [["08:00", "17:00"]],
        [["08:00", "13:00"]],
    ),
    Person(
        "America/Sao_Paulo",
        [["09:00", "18:00"]],
        [["09:00", "17:00"]],
        [["09:00", "11:00"], ["14:00", "18:00"]],
    ),
)
# Share of meeting blocks inside the person's team hours; the rest fall anywhere in the day.
TEAM_SHARE = 0.8
# Share of calendar events inside meeting blocks; the rest are before or after work, or at
# weekends (personal events, early calls, travel).
IN_HOURS_SHARE = 0.85


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _calendar(
    rng: random.Random, person: Person, shuffled: bool, days: int = DAYS
) -> tuple[list[list[str]], list[list[str]]]:
    """2,000 busy intervals and the booked interviews of one person.

    Each working day gets 2 to 4 meeting blocks (30 minutes to 2 hours), mostly in team hours.
    The calendar's events are the blocks themselves plus many overlapping events inside them
    (several invitations, holds and shared calendars covering the same time, as calendar
    exports really look), and some events outside working hours. Events start and end on the
    quarter hour, in the exact shape calendar APIs return (``2026-03-02T14:00:00Z``).
    """
    zone = ZoneInfo(person.zone)
    first = (START - timedelta(days=1)).date()
    blocks: list[tuple[datetime, datetime]] = []
    outside: list[tuple[datetime, datetime]] = []
    workdays = []
    for number in range(days + 2):
        day = first + timedelta(days=number)
        midnight = datetime(day.year, day.month, day.day)

        def at(minute: int, midnight: datetime = midnight) -> datetime:
            local = (midnight + timedelta(minutes=minute)).replace(tzinfo=zone)
            return local.astimezone(UTC)

        if day.weekday() >= 5:
            outside.append((at(10 * 60), at(18 * 60)))
            continue
        workdays.append((day, at))
        hours = person.hours if day.weekday() < 4 else person.friday
        opens, closes = _minutes(hours[0][0]), _minutes(hours[-1][1])
        for _ in range(rng.choice((2, 3, 3, 4))):
            length = rng.choice((30, 45, 60, 60, 90, 120))
            low, high = opens, closes
            if rng.random() < TEAM_SHARE:
                low, high = map(_minutes, rng.choice(person.team))
            begin = low + 15 * rng.randrange(max(1, (high - low - length) // 15 + 1))
            blocks.append((at(begin), at(begin + length)))
        outside.append((at(opens - 120), at(opens - 60)))
        outside.append((at(closes + 60), at(closes + 240)))
    events = [[_iso(a), _iso(b)] for a, b in blocks]
    while len(events) < BUSY_PER_INTERVIEWER:
        a, b = rng.choice(blocks if rng.random() < IN_HOURS_SHARE else outside)
        quarters = int((b - a).total_seconds()) // 900
        low = rng.randrange(quarters)
        high = min(quarters, low + rng.choice((1, 2, 2, 3, 4)))
        events.append(
            [_iso(a + timedelta(minutes=15 * low)), _iso(a + timedelta(minutes=15 * high))]
        )
    # Interviewers bunch interviews on a few days, so the caps bite on some of them.
    interviews: list[list[str]] = []
    booked = INTERVIEWS_PER_INTERVIEWER * days // DAYS  # the same rate on shorter horizons
    while len(interviews) < booked:
        _, at = rng.choice(workdays[1:-1])
        for begin in rng.sample((10 * 60, 11 * 60, 14 * 60, 15 * 60 + 30), rng.choice((1, 2, 3))):
            interviews.append([_iso(at(begin)), _iso(at(begin + 45))])
    del interviews[booked:]
    # Calendar APIs and the busy cache deliver events ordered by start; `shuffled` measures
    # the worst case, on the same events.
    shuffler = random.Random(rng.random())
    for pairs in (events, interviews):
        pairs.sort()
        if shuffled:
            shuffler.shuffle(pairs)
    return events, interviews


def _interviewer(
    rng: random.Random, index: int, person: Person, shuffled: bool, days: int = DAYS
) -> dict[str, Any]:
    """One interviewer of a benchmark document, with their calendar."""
    weekly = dict.fromkeys(WEEKDAYS[:4], person.hours)
    weekly["fri"] = person.friday
    busy, interviews = _calendar(rng, person, shuffled, days)
    # A day off, and a long day that runs to midnight.
    day_off, long_day = (START + timedelta(days=rng.randrange(days)) for _ in range(2))
    overrides = {
        day_off.date().isoformat(): [],
        long_day.date().isoformat(): [[person.hours[0][0], "24:00"]],
    }
    return {
        "id": f"interviewer-{index}",
        "tz": person.zone,
        "weekly": weekly,
        "overrides": overrides,
        "busy": busy,
        "interviews": interviews,
        "buffer_before": 10,
        "buffer_after": 10,
        "max_per_day": rng.choice((2, 2, 3)),
    }


def make_document(seed: int, mode: str = "all", *, shuffled: bool = False) -> dict[str, Any]:
    """The benchmark document for ``seed``."""
    rng = random.Random(seed)
    interviewers = [
        _interviewer(rng, index, person, shuffled) for index, person in enumerate(PEOPLE)
    ]
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


def _team(rng: random.Random, profiles: Sequence[int], days: int) -> list[dict[str, Any]]:
    """Interviewers with the given ``PEOPLE`` profiles, with weekly caps too (most people
    allow 4 to 6 interviews a week; their 14 booked ones bunch on a few days, so some weeks are
    full)."""
    people = []
    for index, profile in enumerate(profiles):
        person = _interviewer(rng, index, PEOPLE[profile], False, days)
        person["max_per_week"] = rng.choice((4, 5, 6, None))
        people.append(person)
    return people


def make_pool_document(seed: int) -> dict[str, Any]:
    """Issue 13's pool case: one fixed person plus a seat of 8 people, 2,000 busy intervals
    each, 60 days: one 30-minute interview with interviewer-0 and any one of the other 8."""
    rng = random.Random(seed)
    # New York, Chicago, London, Berlin, São Paulo, New York, Chicago, London, Berlin.
    people = _team(rng, [0, 1, 2, 3, 4, 0, 1, 2, 3], DAYS)
    return {
        "now": _iso(START - timedelta(hours=12)),
        "start": _iso(START),
        "end": _iso(START + timedelta(days=DAYS)),
        "interval": 30,
        "min_notice": 24 * 60,
        "grid_tz": "America/New_York",
        "interviewers": people,
        "sessions": [
            {
                "id": "screen",
                "duration": 30,
                "interviewers": [people[0]["id"], [p["id"] for p in people[1:]]],
            }
        ],
    }


LOOP_DAYS = 30


def make_loop_document(seed: int) -> dict[str, Any]:
    """Issue 14's loop case: 5 sessions, 12 distinct interviewers (a hiring manager, a bar
    raiser, and two seats drawing from pools of 5), 2,000 busy intervals each, 30 days.

    intro 30 min (manager) · coding 60 (pool A), then a 45-minute lunch · systems 60 (pool B)
    · values 45 (bar raiser), then 15 minutes · wrap-up 30 (manager): 4 h 45
    from the first session's start to the last one's end.
    """
    rng = random.Random(seed)
    # A transatlantic onsite: the manager in New York, the bar raiser in London, pool A in
    # London, Berlin and New York, pool B in New York, Chicago, London and São Paulo.
    people = _team(rng, [0, 2, 2, 3, 2, 0, 3, 0, 1, 2, 0, 4], LOOP_DAYS)
    ids = [p["id"] for p in people]
    manager, raiser, pool_a, pool_b = ids[0], ids[1], ids[2:7], ids[7:12]
    return {
        "now": _iso(START - timedelta(hours=12)),
        "start": _iso(START),
        "end": _iso(START + timedelta(days=LOOP_DAYS)),
        "interval": 30,
        "min_notice": 24 * 60,
        "grid_tz": "America/New_York",
        "interviewers": people,
        "sessions": [
            {"id": "intro", "duration": 30, "interviewers": [manager]},
            {"id": "coding", "duration": 60, "interviewers": [pool_a], "gap_after": 45},
            {"id": "systems", "duration": 60, "interviewers": [pool_b]},
            {"id": "values", "duration": 45, "interviewers": [raiser], "gap_after": 15},
            {"id": "wrap-up", "duration": 30, "interviewers": [manager]},
        ],
    }


def capped_days(document: dict[str, Any]) -> int:
    """How many (interviewer, local day) pairs are at their ``max_per_day`` cap."""
    total = 0
    for person in document["interviewers"]:
        zone = ZoneInfo(person["tz"])
        days = Counter(
            datetime.fromisoformat(start).astimezone(zone).date()
            for start, _ in person["interviews"]
        )
        total += sum(count >= person["max_per_day"] for count in days.values())
    return total


def capped_weeks(document: dict[str, Any]) -> int:
    """How many (interviewer, local week) pairs are at their ``max_per_week`` cap."""
    total = 0
    for person in document["interviewers"]:
        if person.get("max_per_week") is None:
            continue
        zone = ZoneInfo(person["tz"])
        days = [
            datetime.fromisoformat(start).astimezone(zone).date()
            for start, _ in person["interviews"]
        ]
        weeks = Counter(day - timedelta(days=day.weekday()) for day in days)
        total += sum(count >= person["max_per_week"] for count in weeks.values())
    return total


def json_path(text: str) -> str:
    """What the CLI does with one document, minus process start-up.

    ``parse_text`` is ``json.loads`` + ``parse_document`` with the cyclic GC paused while the
    decoded document is alive, exactly as the CLI reads a document (the rest of the call runs
    with the GC as the process has it: on, unless the caller paused it).
    """
    return json.dumps(render_result(find_slots(parse_text(text))))


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


def api_request(values: dict[str, Any]) -> AvailabilityRequest | LoopRequest:
    """``AvailabilityRequest.build`` (or ``LoopRequest.build`` and ``Session.build``) and
    ``Interviewer.build`` over ``api_values``."""
    people = [Interviewer.build(**raw) for raw in values["interviewers"]]
    if "sessions" in values:
        sessions = [Session.build(**raw) for raw in values["sessions"]]
        return LoopRequest.build(**{**values, "interviewers": people, "sessions": sessions})
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


def _build_and_find(values: dict[str, Any]) -> list[Slot] | list[LoopSlot]:
    return find_slots(api_request(values))


def _gc_paused(call: Callable[[], object]) -> Callable[[], object]:
    def paused() -> object:
        gc.disable()
        try:
            return call()
        finally:
            gc.enable()

    return paused


def _time_additions(label: str, make: Callable[[int], dict[str, Any]], rounds: int) -> None:
    """The contract additions' cases: JSON path and Python API, as for the panel."""
    seeds = (11, 12, 13)
    documents = [make(seed) for seed in seeds]
    capped = [f"{capped_days(d)}/{capped_weeks(d)}" for d in documents]
    seats = [
        sum(
            len(element) == 1
            for slot in json.loads(json_path(json.dumps(d)))["slots"]
            for part in slot["sessions"]
            for element in part["interviewers"]
            if isinstance(element, list)
        )
        for d in documents
    ]
    texts = [json.dumps(document) for document in documents]
    del documents
    gc.collect()
    answers = [json.loads(json_path(text))["slots"] for text in texts]
    counts = "/".join(str(len(slots)) for slots in answers)
    print(
        f"{label}: {len(texts[0]) / 1e6:.2f} MB of JSON per document, {counts} loops,"
        f" {'/'.join(map(str, seats))} seats with one free member,"
        f" {', '.join(capped)} capped days/weeks (seeds {seeds})"
    )
    json_calls = [partial(json_path, text) for text in texts]
    report("  JSON path (loads+parse+find+render+dumps)", measure(json_calls, rounds))
    values = [api_values(json.loads(text)) for text in texts]
    requests = [api_request(value) for value in values]
    finds = [partial(find_slots, request) for request in requests]
    report("  Python API: find_slots(request)", measure(finds, rounds))
    builds = [partial(_build_and_find, value) for value in values]
    report("  Python API: build(datetimes) + find_slots", measure(builds, rounds))


def _time_panel(rounds: int) -> None:
    seeds = (11, 12, 13)

    scenarios = (("all", False), ("any", False), ("all", True), ("any", True))
    for number, (mode, shuffled) in enumerate(scenarios):
        # Only the JSON texts stay alive while the JSON path is timed: large live object graphs
        # left over from setup would make the cyclic collector's full passes costlier.
        documents = [make_document(seed, mode, shuffled=shuffled) for seed in seeds]
        capped = [capped_days(document) for document in documents]
        texts = [json.dumps(document) for document in documents]
        del documents
        gc.collect()
        began = time.perf_counter()
        answers = [json_path(texts[0])]
        cold = 1000 * (time.perf_counter() - began)
        answers += [json_path(text) for text in texts[1:]]
        counts = "/".join(str(len(json.loads(answer)["slots"])) for answer in answers)
        order = "shuffled" if shuffled else "ordered by start"
        print(
            f"mode={mode}, busy {order}: {len(texts[0]) / 1e6:.2f} MB of JSON per document,"
            f" {counts} slots, {'/'.join(map(str, capped))} capped days (seeds {seeds})"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=90)
    parser.add_argument(
        "--cases",
        default="panel,pool,loop",
        help="comma-separated: panel (the original four scenarios and the one-shot CLI), "
        "pool (issue 13), loop (issue 14)",
    )
    options = parser.parse_args()
    cases = set(options.cases.split(","))
    rounds = options.rounds
    if "panel" in cases:
        _time_panel(rounds)
    if "pool" in cases:
        _time_additions("pool: 1 fixed + a seat of 8, 60 days", make_pool_document, rounds)
    if "loop" in cases:
        _time_additions(
            "loop: 5 sessions, 12 people (two seats of 5), 30 days", make_loop_document, rounds
        )


if __name__ == "__main__":
    main()
