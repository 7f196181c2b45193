"""Loops (the contract's ``sessions``): placement, seats, modes, gaps, and invalid input."""

from __future__ import annotations

import copy
import json
import random
from datetime import UTC, datetime
from typing import Any

import pytest

from hireslot.availability import (
    AvailabilityRequest,
    Interviewer,
    InvalidDocument,
    LoopRequest,
    LoopSlot,
    Session,
    find_slots,
    parse_document,
)
from hireslot.availability.cli import answer_text

from .helpers import api_slots, cli_document


def _person(name: str, tz: str = "Europe/London", **fields: Any) -> dict[str, Any]:
    return {"id": name, "tz": tz, "weekly": {"mon": [["09:00", "17:00"]]}, **fields}


def _loop(*sessions: dict[str, Any], people: list[dict[str, Any]], **fields: Any) -> dict[str, Any]:
    return {
        "now": "2026-03-01T12:00:00Z",
        "start": "2026-03-02T00:00:00Z",
        "end": "2026-03-03T00:00:00Z",
        "interval": 15,
        "grid_tz": "Europe/London",
        "interviewers": people,
        "sessions": list(sessions),
        **fields,
    }


CONTRACT_EXAMPLE: dict[str, Any] = {
    "now": "2026-03-01T12:00:00Z",
    "start": "2026-03-02T00:00:00Z",
    "end": "2026-03-09T00:00:00Z",
    "interval": 15,
    "grid_tz": "Europe/London",
    "interviewers": [
        _person("ann"),
        _person("bo"),
        {"id": "cy", "tz": "Europe/Paris", "weekly": {"mon": [["10:00", "18:00"]]}},
    ],
    "sessions": [
        {"id": "intro", "duration": 30, "interviewers": ["ann"], "mode": "all", "gap_after": 15},
        {"id": "system", "duration": 60, "interviewers": ["bo", "cy"], "mode": "any"},
    ],
}


def test_the_contract_example() -> None:
    # Given the contract's two-session loop, when asked, then the first loop is the
    # contract's output, and every loop fits both sessions inside Monday's hours.
    slots = api_slots(CONTRACT_EXAMPLE)
    assert slots[0] == {
        "start": "2026-03-02T09:00:00Z",
        "end": "2026-03-02T10:45:00Z",
        "sessions": [
            {
                "id": "intro",
                "start": "2026-03-02T09:00:00Z",
                "end": "2026-03-02T09:30:00Z",
                "interviewers": ["ann"],
            },
            {
                "id": "system",
                "start": "2026-03-02T09:45:00Z",
                "end": "2026-03-02T10:45:00Z",
                "interviewers": ["bo", "cy"],
            },
        ],
    }
    # 09:00 to 15:15 every 15 minutes: the last loop ends at 17:00, when bo stops.
    assert len(slots) == 26
    assert slots[-1]["end"] == "2026-03-02T17:00:00Z"
    assert "interviewers" not in slots[0]


def test_the_cli_answers_loops() -> None:
    status, answer = cli_document(CONTRACT_EXAMPLE)
    assert status == 0
    assert answer["slots"] == api_slots(CONTRACT_EXAMPLE)


def test_a_seat_reports_its_free_members_in_seat_order() -> None:
    # Given a hiring manager and a seat of three engineers, where eng2 is busy 10:00-11:00
    # and eng3 works from 10:00, when asked for 60-minute interviews, then each time lists
    # the manager and the engineers free for it, in the seat's order.
    people = [
        _person("manager"),
        _person("eng1", busy=[["2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z"]]),
        _person("eng2", busy=[["2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"]]),
        _person("eng3", weekly={"mon": [["10:00", "17:00"]]}),
    ]
    session = {
        "id": "screen",
        "duration": 60,
        "interviewers": ["manager", ["eng3", "eng2", "eng1"]],
    }
    slots = api_slots(_loop(session, people=people, interval=60))
    seats = {s["start"][11:16]: s["sessions"][0]["interviewers"] for s in slots}
    assert seats["09:00"] == ["manager", ["eng2"]]
    assert seats["10:00"] == ["manager", ["eng3", "eng1"]]
    assert seats["11:00"] == ["manager", ["eng3", "eng2", "eng1"]]


def test_a_loop_is_not_offered_when_a_seat_has_nobody() -> None:
    # Given a seat whose two members are busy at different times covering 10:00-12:00.
    people = [
        _person("manager"),
        _person("a", busy=[["2026-03-02T10:00:00Z", "2026-03-02T12:00:00Z"]]),
        _person("b", busy=[["2026-03-02T10:00:00Z", "2026-03-02T11:30:00Z"]]),
    ]
    session = {"id": "s", "duration": 60, "interviewers": ["manager", ["a", "b"]]}
    starts = [s["start"][11:16] for s in api_slots(_loop(session, people=people, interval=30))]
    assert "10:00" not in starts and "10:30" not in starts and "11:00" not in starts
    assert "11:30" in starts


def test_a_seat_whose_members_hand_over_offers_no_time_neither_can_take() -> None:
    # a works 09:00-10:00 and b 09:30-11:00: the seat's union window is 09:00-11:00, but a
    # 60-minute session at 09:15 or 09:45 has neither member free for all of it.
    people = [
        _person("a", weekly={"mon": [["09:00", "10:00"]]}),
        _person("b", weekly={"mon": [["09:30", "11:00"]]}),
    ]
    session = {"id": "s", "duration": 60, "interviewers": [["a", "b"]]}
    slots = api_slots(_loop(session, people=people, interval=15))
    assert [(s["start"][11:16], s["sessions"][0]["interviewers"]) for s in slots] == [
        ("09:00", [["a"]]),
        ("09:30", [["b"]]),
        ("09:45", [["b"]]),
        ("10:00", [["b"]]),
    ]


def test_later_sessions_follow_durations_and_gaps_and_may_end_after_the_horizon() -> None:
    # Given a 23:00 start near the horizon's end and three sessions with a lunch-like gap.
    people = [_person("ann", weekly={"mon": [["22:00", "24:00"]], "tue": [["00:00", "03:00"]]})]
    sessions = [
        {"id": "one", "duration": 30, "interviewers": ["ann"], "gap_after": 45},
        {"id": "two", "duration": 60, "interviewers": ["ann"]},
        {"id": "three", "duration": 15, "interviewers": ["ann"], "gap_after": 999},
    ]
    document = _loop(*sessions, people=people, interval=60, end="2026-03-03T00:00:00Z")
    slots = api_slots(document)
    # The last session's gap is ignored; a loop needs 2 h 30 from its start.
    assert [s["start"][11:16] for s in slots] == ["22:00", "23:00"]
    last = slots[-1]
    assert [(p["start"][11:16], p["end"][11:16]) for p in last["sessions"]] == [
        ("23:00", "23:30"),
        ("00:15", "01:15"),
        ("01:15", "01:30"),
    ]
    assert last["end"] == "2026-03-03T01:30:00Z"


def test_one_person_may_sit_in_several_sessions_and_buffers_apply_only_to_busy_time() -> None:
    # ann has 30-minute buffers; back-to-back sessions with her are still offered.
    people = [_person("ann", buffer_before=30, buffer_after=30), _person("bo")]
    sessions = [
        {"id": "a", "duration": 60, "interviewers": ["ann"]},
        {"id": "b", "duration": 60, "interviewers": ["ann", "bo"]},
    ]
    slots = api_slots(_loop(*sessions, people=people, interval=60))
    assert [s["start"][11:16] for s in slots] == [f"{h:02d}:00" for h in range(9, 16)]


def test_caps_count_only_booked_interviews_not_the_loop_itself() -> None:
    # max_per_day 1 and nothing booked: three sessions with ann on the same day are fine.
    people = [_person("ann", max_per_day=1, max_per_week=1)]
    sessions = [{"id": f"s{n}", "duration": 30, "interviewers": ["ann"]} for n in range(3)]
    assert api_slots(_loop(*sessions, people=people, interval=30))
    booked = [["2026-03-04T10:00:00Z", "2026-03-04T11:00:00Z"]]
    people = [_person("ann", max_per_week=1, interviews=booked)]
    assert api_slots(_loop(*sessions, people=people, interval=30)) == []


def test_an_any_session_lists_every_free_interviewer() -> None:
    people = [
        _person("a", busy=[["2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z"]]),
        _person("b"),
        _person("c", weekly={}),
    ]
    session = {"id": "s", "duration": 60, "interviewers": ["c", "b", "a"], "mode": "any"}
    slots = api_slots(_loop(session, people=people, interval=60))
    assert slots[0]["sessions"][0]["interviewers"] == ["b"]
    assert slots[1]["sessions"][0]["interviewers"] == ["b", "a"]


def test_a_one_session_loop_gives_the_single_slot_answer() -> None:
    people = [
        _person("ann", busy=[["2026-03-02T10:20:00Z", "2026-03-02T10:40:00Z"]]),
        _person("bo", tz="America/New_York", weekly={"mon": [["04:00", "12:00"]]}),
    ]
    for mode in ("all", "any"):
        single = {
            "now": "2026-03-01T12:00:00Z",
            "start": "2026-03-02T00:00:00Z",
            "end": "2026-03-03T00:00:00Z",
            "duration": 45,
            "interval": 20,
            "mode": mode,
            "interviewers": people,
        }
        session = {"id": "x", "duration": 45, "interviewers": ["ann", "bo"], "mode": mode}
        loop = _loop(session, people=people, interval=20)
        del loop["grid_tz"]
        expected = [
            {
                "start": s["start"],
                "end": s["end"],
                "sessions": [{"id": "x", **s}],
            }
            for s in api_slots(single)
        ]
        assert expected
        assert api_slots(loop) == expected


def test_the_python_api_builds_loops_and_answers_typed_slots() -> None:
    people = [
        Interviewer.build(id=name, tz="Europe/London", weekly={"mon": [("09:00", "11:00")]})
        for name in ("ann", "bo", "cy")
    ]
    request = LoopRequest.build(
        now=datetime(2026, 3, 1, tzinfo=UTC),
        start=datetime(2026, 3, 2, tzinfo=UTC),
        end=datetime(2026, 3, 3, tzinfo=UTC),
        interval=30,
        interviewers=people,
        sessions=[
            Session.build(id="intro", duration=30, interviewers=["ann"], gap_after=15),
            Session.build(id="code", duration=60, interviewers=["ann", iter(["bo", "cy"])]),
        ],
    )
    loops = find_slots(request)
    assert all(isinstance(loop, LoopSlot) for loop in loops)
    assert [loop.start_at.strftime("%H:%M") for loop in loops] == ["09:00"]
    assert loops[0].sessions[1].interviewers == ("ann", ("bo", "cy"))
    assert loops[0].end_at == datetime(2026, 3, 2, 10, 45, tzinfo=UTC)
    # The single-slot API is unchanged.
    single = AvailabilityRequest.build(
        now=datetime(2026, 3, 1, tzinfo=UTC),
        start=datetime(2026, 3, 2, tzinfo=UTC),
        end=datetime(2026, 3, 3, tzinfo=UTC),
        duration=60,
        interviewers=people,
    )
    assert [slot.interviewers for slot in find_slots(single)] == [("ann", "bo", "cy")] * 2


def test_the_python_api_refuses_what_the_json_refuses() -> None:
    people = [Interviewer.build(id="ann", tz="UTC")]
    base: dict[str, Any] = {
        "now": datetime(2026, 3, 1, tzinfo=UTC),
        "start": datetime(2026, 3, 2, tzinfo=UTC),
        "end": datetime(2026, 3, 3, tzinfo=UTC),
        "interval": 30,
        "interviewers": people,
    }
    with pytest.raises(InvalidDocument, match=r"^sessions\[0\]\.interviewers\[0\]: unknown"):
        LoopRequest.build(**base, sessions=[Session.build(id="s", duration=30, interviewers=["x"])])
    with pytest.raises(InvalidDocument, match=r"^sessions: must list at least one session"):
        LoopRequest.build(**base, sessions=[])
    with pytest.raises(InvalidDocument, match=r"^interviewers\[0\]: a seat .* \"any\" mode"):
        Session.build(id="s", duration=30, interviewers=[["ann"]], mode="any")
    with pytest.raises(InvalidDocument, match=r"^interviewers: expected a list of ids and seats"):
        Session.build(id="s", duration=30, interviewers="ann")
    with pytest.raises(InvalidDocument, match=r"^interviewers\[1\]\[0\]: 'ann' appears twice"):
        Session.build(id="s", duration=30, interviewers=["ann", ["ann"]])


GOOD = _loop(
    {"id": "a", "duration": 30, "interviewers": ["ann", ["bo", "cy"]], "gap_after": 10},
    {"id": "b", "duration": 45, "interviewers": ["bo", "cy"], "mode": "any"},
    people=[_person("ann"), _person("bo"), _person("cy")],
)


def _changed(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(GOOD)
    change(document)
    return document


BAD = [
    (_changed(lambda d: d.update(duration=30)), "duration: must not be given with sessions"),
    (_changed(lambda d: d.update(mode="all")), "mode: must not be given with sessions"),
    (_changed(lambda d: d.pop("interval")), "interval: required with sessions"),
    (_changed(lambda d: d.update(sessions=[])), "sessions: must list at least one session"),
    (_changed(lambda d: d.update(sessions={})), "sessions: expected an array, got object"),
    (
        _changed(lambda d: d["sessions"][1].update(id="a")),
        "sessions[1].id: duplicate id 'a'",
    ),
    (
        _changed(lambda d: d["sessions"][0].update(interviewers=[])),
        "sessions[0].interviewers: must list at least one interviewer",
    ),
    (
        _changed(lambda d: d["sessions"][0]["interviewers"][1].append("dee")),
        "sessions[0].interviewers[1][2]: unknown interviewer 'dee'",
    ),
    (
        _changed(lambda d: d["sessions"][1]["interviewers"].append("dee")),
        "sessions[1].interviewers[2]: unknown interviewer 'dee'",
    ),
    (
        _changed(lambda d: d["sessions"][0]["interviewers"][1].append("ann")),
        "sessions[0].interviewers[1][2]: 'ann' appears twice in the session",
    ),
    (
        _changed(lambda d: d["sessions"][1]["interviewers"].append("bo")),
        "sessions[1].interviewers[2]: 'bo' appears twice in the session",
    ),
    (
        _changed(lambda d: d["sessions"][0]["interviewers"].append([])),
        "sessions[0].interviewers[2]: a seat must list at least one interviewer",
    ),
    (
        _changed(lambda d: d["sessions"][0].update(mode="any")),
        'sessions[0].interviewers[1]: a seat (a list of ids) cannot be used in "any" mode',
    ),
    (
        _changed(lambda d: d["sessions"][0]["interviewers"].append(7)),
        "sessions[0].interviewers[2]: expected an interviewer id or a list of ids",
    ),
    (
        _changed(lambda d: d["sessions"][0]["interviewers"].append([["ann"]])),
        "sessions[0].interviewers[2]: expected an interviewer id or a list of ids",
    ),
    (_changed(lambda d: d["sessions"][0].pop("id")), "sessions[0].id: required"),
    (_changed(lambda d: d["sessions"][0].update(id=3)), "sessions[0].id: expected a string"),
    (_changed(lambda d: d["sessions"][0].pop("duration")), "sessions[0].duration: required"),
    (
        _changed(lambda d: d["sessions"][0].update(duration=0)),
        "sessions[0].duration: must be greater than 0",
    ),
    (
        _changed(lambda d: d["sessions"][0].pop("interviewers")),
        "sessions[0].interviewers: required",
    ),
    (
        _changed(lambda d: d["sessions"][0].update(gap_after=-5)),
        "sessions[0].gap_after: must not be negative",
    ),
    (
        _changed(lambda d: d["sessions"][0].update(mode="some")),
        'sessions[0].mode: expected "all" or "any", got \'some\'',
    ),
    (_changed(lambda d: d["sessions"][0].update(room="A")), "sessions[0].room: unknown field"),
    (_changed(lambda d: d["sessions"].__setitem__(0, "a")), "sessions[0]: expected an object"),
    (
        _changed(lambda d: d["sessions"][0].update(duration=527_040, gap_after=10)),
        "sessions: the loop must last at most 527040 minutes",
    ),
]


@pytest.mark.parametrize(("document", "message"), BAD, ids=[m for _, m in BAD])
def test_invalid_loop_documents_name_the_field(document: Any, message: str) -> None:
    with pytest.raises(InvalidDocument) as caught:
        parse_document(document)
    assert caught.value.message.startswith(message)


def test_an_invalid_loop_document_exits_with_status_2() -> None:
    status, answer = cli_document(BAD[0][0])
    assert status == 2
    assert answer == {
        "error": "duration: must not be given with sessions (each session has its own)"
    }


def test_the_good_loop_document_parses_and_null_sessions_mean_a_single_slot() -> None:
    request = parse_document(GOOD)
    assert isinstance(request, LoopRequest)
    assert [s.interviewers for s in request.sessions] == [("ann", ("bo", "cy")), ("bo", "cy")]
    assert request.grid_zone.key == "Europe/London"
    single = {**GOOD, "sessions": None, "duration": 30}
    del single["interval"]
    assert isinstance(parse_document(single), AvailabilityRequest)


def test_mangled_loop_documents_never_crash() -> None:
    # Given thousands of random character-level mutations of a loop document with seats and
    # weekly caps, every answer is either loops (0) or a named error (2), never an internal
    # error.
    document = copy.deepcopy(GOOD)
    document["interviewers"][0].update(
        max_per_week=2, interviews=[["2026-03-03T10:00:00Z", "2026-03-03T11:00:00Z"]]
    )
    text = json.dumps(document)
    rng = random.Random(20260314)
    alphabet = '0123456789:-TZ+"[]{},. nulltruefalse\x00é'
    statuses = set()
    for _ in range(3000):
        chars = list(text)
        for _ in range(rng.randint(1, 4)):
            position = rng.randrange(len(chars))
            action = rng.random()
            if action < 0.4:
                chars[position] = rng.choice(alphabet)
            elif action < 0.7:
                del chars[position]
            else:
                chars.insert(position, rng.choice(alphabet))
        status, answer = answer_text("".join(chars))
        assert status in (0, 2), answer
        assert ("slots" in answer) == (status == 0)
        statuses.add(status)
    assert statuses == {0, 2}
