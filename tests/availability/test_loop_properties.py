"""Properties of weekly caps and loops over generated documents (hypothesis).

Rule 2 is checked per person with ``test_properties.free_by_rule_2`` (zoneinfo and the
contract text, no engine code); caps are also counted here directly, in each interviewer's
own zone, for every time an answer gives them.
"""

from __future__ import annotations

import copy
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .generators import TRANSITIONS_2026, WEEKDAYS, ZONES, iso
from .helpers import api_slots
from .test_properties import INSTANT, _at, _events, _ranges, free_by_rule_2

# Fixed seed and no example database: the same examples on every machine and every run.
SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


_ALL_DAY = [["00:00", "24:00"]]
_OFFICE = [["08:00", "18:00"]]


@st.composite
def _interviews(draw: st.DrawFn, start: datetime, horizon: int) -> list[list[str]]:
    """Booked interviews from a week before the horizon to a week after it, so that they fall
    in the local days and weeks it touches as well as in the ones around it."""
    events = []
    for _ in range(draw(st.integers(0, 6))):
        begin = start + timedelta(minutes=draw(st.integers(-8 * 1440, horizon + 8 * 1440)))
        length = timedelta(minutes=draw(st.sampled_from([45, 0, 30, 60])))
        events.append([iso(begin), iso(begin + length)])
    return events


@st.composite
def _person(draw: st.DrawFn, index: int, start: datetime, horizon: int) -> dict[str, Any]:
    """An interviewer with generous hours more often than not (so answers are rarely empty),
    calendars around the horizon and interviews over the local weeks around it."""
    kind = draw(st.sampled_from(["all day", "office", "random"]))
    if kind == "random":
        weekly = draw(st.dictionaries(st.sampled_from(WEEKDAYS), _ranges()))
    else:
        hours = _ALL_DAY if kind == "all day" else _OFFICE
        weekly = dict.fromkeys(WEEKDAYS, hours)
    return {
        "id": f"p{index}",
        "tz": draw(st.sampled_from(ZONES)),
        "weekly": weekly,
        "overrides": {},
        "busy": draw(_events(start - timedelta(hours=12), horizon + 1440)),
        "interviews": draw(_interviews(start, horizon)),
        "buffer_before": draw(st.sampled_from([0, 5, 10, 30])),
        "buffer_after": draw(st.sampled_from([0, 5, 10, 30])),
        "max_per_day": draw(st.sampled_from([None, None, 1, 2, 3])),
        "max_per_week": draw(st.sampled_from([None, 2, 0, 1, 3, 5])),
    }


@st.composite
def weekly_capped(draw: st.DrawFn, people: int = 3) -> dict[str, Any]:
    """Single-slot documents near a 2026 clock change whose interviewers may have
    ``max_per_week`` and interviews spread over the local weeks around the horizon."""
    anchor = draw(st.sampled_from(TRANSITIONS_2026)) + timedelta(
        minutes=draw(st.integers(-2 * 1440, 720))
    )
    start = anchor.replace(second=0, microsecond=0)
    horizon = draw(st.integers(60, 3 * 1440))
    count = draw(st.integers(1, people))
    return {
        "now": iso(start + timedelta(minutes=draw(st.sampled_from([-60, 0, 45, 300])))),
        "start": iso(start),
        "end": iso(start + timedelta(minutes=horizon)),
        "duration": draw(st.sampled_from([30, 15, 45, 60, 90, 7])),
        "interval": draw(st.sampled_from([None, 5, 15, 20, 30, 45, 60, 25])),
        "min_notice": draw(st.sampled_from([0, 30, 120])),
        "grid_tz": draw(st.one_of(st.none(), st.sampled_from(ZONES))),
        "mode": draw(st.sampled_from(["all", "any"])),
        "interviewers": [draw(_person(index, start, horizon)) for index in range(count)],
    }


@st.composite
def loop_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Loops of 1 to 3 sessions over 1 to 6 interviewers: required people, seats, ``any``
    sessions, gaps, daily and weekly caps."""
    document = draw(weekly_capped(people=6))
    del document["duration"], document["mode"]
    document["interval"] = document["interval"] or draw(st.sampled_from([10, 15, 30, 60]))
    ids = [person["id"] for person in document["interviewers"]]
    sessions = []
    for number in range(draw(st.integers(1, 3))):
        chosen = draw(st.permutations(ids))[: draw(st.integers(1, len(ids)))]
        session: dict[str, Any] = {
            "id": f"s{number}",
            "duration": draw(st.sampled_from([15, 30, 45, 60, 7])),
            "gap_after": draw(st.sampled_from([0, 0, 10, 45])),
        }
        if draw(st.integers(0, 4)) == 0:
            session["mode"] = "any"
            session["interviewers"] = chosen
        else:
            elements: list[Any] = []
            while chosen:
                take = draw(st.integers(1, min(3, len(chosen))))
                group, chosen = chosen[:take], chosen[take:]
                elements.append(group if take > 1 or draw(st.booleans()) else group[0])
            session["interviewers"] = elements
        sessions.append(session)
    document["sessions"] = sessions
    return document


def _people(document: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {person["id"]: person for person in document["interviewers"]}


def _under_the_caps(person: dict[str, Any], start: datetime, end: datetime) -> bool:
    """Counted directly: every local day and week (Monday to Monday) that ``[start, end)``
    touches in the person's zone has fewer interviews starting in it than the caps."""
    zone = ZoneInfo(person["tz"])
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    booked: list[date] = [_at(a).astimezone(zone).date() for a, _ in person["interviews"]]
    daily, weekly = person.get("max_per_day"), person.get("max_per_week")
    for day in days:
        if daily is not None and sum(1 for b in booked if b == day) >= daily:
            return False
        monday = day - timedelta(days=day.weekday())
        in_week = sum(1 for b in booked if monday <= b < monday + timedelta(days=7))
        if weekly is not None and in_week >= weekly:
            return False
    return True


def _named(element: Any) -> list[str]:
    return element if isinstance(element, list) else [element]


@SETTINGS
@given(loop_documents())
def test_every_reported_member_is_free_and_no_seat_is_empty(document: dict[str, Any]) -> None:
    people = _people(document)
    for slot in api_slots(document):
        for session, part in zip(document["sessions"], slot["sessions"], strict=True):
            start, end = _at(part["start"]), _at(part["end"])
            reported = part["interviewers"]
            if session.get("mode") == "any":
                # Every free interviewer, in the session's order, and at least one.
                free = [i for i in session["interviewers"] if free_by_rule_2(people[i], start, end)]
                assert free and reported == free, (slot, session)
                continue
            assert len(reported) == len(session["interviewers"])
            for element, answer in zip(session["interviewers"], reported, strict=True):
                if isinstance(element, str):
                    assert answer == element
                    assert free_by_rule_2(people[element], start, end), (slot, element)
                else:
                    # A seat: exactly its free members, in the seat's order, never empty.
                    free = [m for m in element if free_by_rule_2(people[m], start, end)]
                    assert answer and answer == free, (slot, element)
            for name in (n for element in reported for n in _named(element)):
                assert _under_the_caps(people[name], start, end), (slot, name)


@SETTINGS
@given(loop_documents())
def test_loops_respect_horizon_notice_order_and_session_placement(
    document: dict[str, Any],
) -> None:
    slots = api_slots(document)
    starts = [slot["start"] for slot in slots]
    assert starts == sorted(set(starts))
    earliest = max(
        _at(document["start"]), _at(document["now"]) + timedelta(minutes=document["min_notice"])
    )
    for slot in slots:
        assert INSTANT.match(slot["start"]) and INSTANT.match(slot["end"])
        assert "interviewers" not in slot
        at = _at(slot["start"])
        assert earliest <= at < _at(document["end"])
        for session, part in zip(document["sessions"], slot["sessions"], strict=True):
            assert part["id"] == session["id"]
            assert _at(part["start"]) == at
            at += timedelta(minutes=session["duration"])
            assert _at(part["end"]) == at
            at += timedelta(minutes=session["gap_after"])
        assert slot["end"] == slot["sessions"][-1]["end"]


@SETTINGS
@given(weekly_capped())
def test_a_one_session_loop_equals_the_single_slot_answer(document: dict[str, Any]) -> None:
    loop = copy.deepcopy(document)
    del loop["duration"], loop["mode"]
    loop["interval"] = document["interval"] or document["duration"]
    loop["sessions"] = [
        {
            "id": "only",
            "duration": document["duration"],
            "interviewers": [person["id"] for person in document["interviewers"]],
            "mode": document["mode"],
        }
    ]
    expected = [
        {"start": s["start"], "end": s["end"], "sessions": [{"id": "only", **s}]}
        for s in api_slots(document)
    ]
    assert api_slots(loop) == expected


@SETTINGS
@given(weekly_capped())
def test_caps_hold_in_each_interviewers_zone_across_clock_changes(
    document: dict[str, Any],
) -> None:
    people = _people(document)
    for slot in api_slots(document):
        start, end = _at(slot["start"]), _at(slot["end"])
        for name in slot["interviewers"]:
            assert _under_the_caps(people[name], start, end), (slot, name)
            assert free_by_rule_2(people[name], start, end), (slot, name)
