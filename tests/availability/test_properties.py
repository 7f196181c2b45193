"""Properties every answer must have, over generated documents (hypothesis).

Rule 2 is re-checked here per slot, straight from the contract text with zoneinfo, without the
engine's code: a slot is fine for a person iff it lies inside one of their merged working
windows, its buffered extent overlaps none of their busy time or interviews, and it touches no
local date where they already start ``max_per_day`` interviews, nor any local week (Monday to
Monday) where they already start ``max_per_week``.
"""

from __future__ import annotations

import copy
import random
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .generators import TRANSITIONS_2026, WEEKDAYS, ZONES, iso
from .helpers import api_slots

# Fixed seed and no example database: the same examples on every machine and every run.
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.composite
def _ranges(draw: st.DrawFn) -> list[list[str]]:
    out = []
    for _ in range(draw(st.integers(0, 3))):
        a = draw(st.one_of(st.integers(0, 1439), st.sampled_from([0, 60, 90, 120, 150, 165, 180])))
        b = draw(st.one_of(st.integers(a, 1440), st.just(1440)))
        out.append([_hhmm(a), "24:00" if b == 1440 else _hhmm(b)])
    return out


@st.composite
def _events(draw: st.DrawFn, low: datetime, span: int) -> list[list[str]]:
    events = []
    for _ in range(draw(st.integers(0, 6))):
        begin = low + timedelta(minutes=draw(st.integers(0, span)))
        length = timedelta(minutes=draw(st.sampled_from([0, 5, 15, 30, 60, 120, 13])))
        events.append([iso(begin), iso(begin + length)])
    return events


@st.composite
def documents(draw: st.DrawFn, mode: str | None = None) -> dict[str, Any]:
    anchor = draw(st.sampled_from(TRANSITIONS_2026)) + timedelta(
        minutes=draw(st.integers(-2 * 1440, 720))
    )
    start = anchor.replace(second=0, microsecond=0)
    horizon = draw(st.integers(30, 3 * 1440))
    end = start + timedelta(minutes=horizon)
    now = start + timedelta(minutes=draw(st.sampled_from([-3000, -60, 0, 45, 300])))
    people = []
    for index in range(draw(st.integers(1, 3))):
        overrides = {}
        for _ in range(draw(st.integers(0, 2))):
            day = (start + timedelta(days=draw(st.integers(-1, 3)))).date().isoformat()
            overrides[day] = draw(_ranges())
        low = start - timedelta(hours=12)
        people.append(
            {
                "id": f"p{index}",
                "tz": draw(st.sampled_from(ZONES)),
                "weekly": draw(st.dictionaries(st.sampled_from(WEEKDAYS), _ranges())),
                "overrides": overrides,
                "busy": draw(_events(low, horizon + 1440)),
                "interviews": draw(_events(low, horizon + 1440)),
                "buffer_before": draw(st.sampled_from([0, 5, 10, 30])),
                "buffer_after": draw(st.sampled_from([0, 5, 10, 30])),
                "max_per_day": draw(st.sampled_from([None, 0, 1, 2])),
            }
        )
    document: dict[str, Any] = {
        "now": iso(now),
        "start": iso(start),
        "end": iso(end),
        "duration": draw(st.sampled_from([15, 30, 45, 60, 90, 7])),
        "interval": draw(st.sampled_from([None, 5, 15, 20, 30, 45, 60, 25])),
        "min_notice": draw(st.sampled_from([0, 30, 120, 1440])),
        "grid_tz": draw(st.one_of(st.none(), st.sampled_from(ZONES))),
        "mode": mode or draw(st.sampled_from(["all", "any"])),
        "interviewers": people,
    }
    return document


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _wall(day: date, text: str, zone: ZoneInfo) -> datetime:
    if text == "24:00":
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    hours, minutes = map(int, text.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=zone).astimezone(UTC)


def _merged_windows(person: dict[str, Any], around: datetime) -> list[tuple[datetime, datetime]]:
    zone = ZoneInfo(person["tz"])
    overrides = {date.fromisoformat(k): v for k, v in person["overrides"].items()}
    local = around.astimezone(zone).date()
    windows = []
    for shift in range(-3, 4):
        day = local + timedelta(days=shift)
        hours = overrides.get(day, person["weekly"].get(WEEKDAYS[day.weekday()], []))
        for a, b in hours:
            start, end = _wall(day, a, zone), _wall(day, b, zone)
            if start < end:
                windows.append((start, end))
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _capped_dates(person: dict[str, Any]) -> set[date] | None:
    """Dates at the cap; None means every date (max_per_day 0)."""
    cap = person["max_per_day"]
    if cap is None:
        return set()
    if cap == 0:
        return None
    zone = ZoneInfo(person["tz"])
    counts: dict[date, int] = {}
    for a, _ in person["interviews"]:
        day = _at(a).astimezone(zone).date()
        counts[day] = counts.get(day, 0) + 1
    return {day for day, n in counts.items() if n >= cap}


def _capped_weeks(person: dict[str, Any]) -> set[date] | None:
    """Mondays of the local weeks at ``max_per_week``; None means every week (a cap of 0)."""
    cap = person.get("max_per_week")
    if cap is None:
        return set()
    if cap == 0:
        return None
    zone = ZoneInfo(person["tz"])
    counts: dict[date, int] = {}
    for a, _ in person["interviews"]:
        day = _at(a).astimezone(zone).date()
        monday = day - timedelta(days=day.weekday())
        counts[monday] = counts.get(monday, 0) + 1
    return {monday for monday, n in counts.items() if n >= cap}


def free_by_rule_2(person: dict[str, Any], start: datetime, end: datetime) -> bool:
    if not any(a <= start and end <= b for a, b in _merged_windows(person, start)):
        return False
    before = timedelta(minutes=person["buffer_before"])
    after = timedelta(minutes=person["buffer_after"])
    for a, b in person["busy"] + person["interviews"]:
        x, y = _at(a), _at(b)
        if x < y and start - before < y and x < end + after:
            return False
    capped = _capped_dates(person)
    weeks = _capped_weeks(person)
    if capped is None or weeks is None:
        return False
    zone = ZoneInfo(person["tz"])
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    touched = {first + timedelta(days=n) for n in range((last - first).days + 1)}
    mondays = {day - timedelta(days=day.weekday()) for day in touched}
    return not (touched & capped) and not (mondays & weeks)


@SETTINGS
@given(documents(mode="all"))
def test_every_panel_slot_is_free_for_every_interviewer(document: dict[str, Any]) -> None:
    people = document["interviewers"]
    for slot in api_slots(document):
        start, end = _at(slot["start"]), _at(slot["end"])
        assert slot["interviewers"] == [p["id"] for p in people]
        for person in people:
            # Inside a working window, clear of buffered busy time, on no capped day.
            assert free_by_rule_2(person, start, end), (slot, person["id"])


@SETTINGS
@given(documents(mode="any"))
def test_pool_slots_list_exactly_the_free_interviewers(document: dict[str, Any]) -> None:
    people = document["interviewers"]
    for slot in api_slots(document):
        start, end = _at(slot["start"]), _at(slot["end"])
        free = [p["id"] for p in people if free_by_rule_2(p, start, end)]
        assert free, slot
        assert slot["interviewers"] == free


@SETTINGS
@given(documents())
def test_slots_respect_horizon_notice_duration_and_order(document: dict[str, Any]) -> None:
    slots = api_slots(document)
    earliest = max(
        _at(document["start"]), _at(document["now"]) + timedelta(minutes=document["min_notice"])
    )
    duration = timedelta(minutes=document["duration"])
    starts = [slot["start"] for slot in slots]
    assert starts == sorted(set(starts))
    for slot in slots:
        assert INSTANT.match(slot["start"])
        assert INSTANT.match(slot["end"])
        start = _at(slot["start"])
        assert _at(document["start"]) <= start < _at(document["end"])
        assert start >= earliest
        assert _at(slot["end"]) - start == duration


@SETTINGS
@given(documents(), st.randoms(use_true_random=False))
def test_input_order_does_not_matter(document: dict[str, Any], rng: random.Random) -> None:
    document["grid_tz"] = document["grid_tz"] or document["interviewers"][0]["tz"]
    shuffled = copy.deepcopy(document)
    rng.shuffle(shuffled["interviewers"])
    for person in shuffled["interviewers"]:
        rng.shuffle(person["busy"])
        rng.shuffle(person["interviews"])
        items = list(person["overrides"].items())
        rng.shuffle(items)
        person["overrides"] = dict(items)
        weekly = list(person["weekly"].items())
        rng.shuffle(weekly)
        person["weekly"] = {day: list(reversed(ranges)) for day, ranges in weekly}
    original = api_slots(document)
    again = api_slots(shuffled)
    order = [p["id"] for p in shuffled["interviewers"]]
    assert [s["start"] for s in again] == [s["start"] for s in original]
    for before, after in zip(original, again, strict=True):
        # Same people, listed in the (new) input order.
        assert after["interviewers"] == [i for i in order if i in before["interviewers"]]


@SETTINGS
@given(documents())
def test_with_one_interviewer_pool_and_panel_agree(document: dict[str, Any]) -> None:
    # The union and the intersection of one person's free windows are the same windows.
    document["interviewers"] = document["interviewers"][:1]
    assert api_slots({**document, "mode": "any"}) == api_slots({**document, "mode": "all"})
