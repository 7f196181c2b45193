"""parse_document: every bad field is refused with one InvalidDocument naming it."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from hireslot.availability import InvalidDocument, parse_document

GOOD: dict[str, Any] = {
    "now": "2026-03-01T12:00:00Z",
    "start": "2026-03-02T00:00:00Z",
    "end": "2026-03-16T00:00:00Z",
    "duration": 45,
    "interviewers": [
        {
            "id": "alice",
            "tz": "America/New_York",
            "weekly": {"mon": [["09:00", "12:00"]]},
            "busy": [["2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z"]],
        },
        {"id": "bob", "tz": "Europe/London"},
    ],
}


def _with(path: str, value: Any) -> dict[str, Any]:
    """GOOD with the dotted ``path`` set to ``value`` (``...`` deletes it)."""
    document = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    target: Any = document
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return document


def test_the_good_document_parses() -> None:
    request = parse_document(GOOD)
    assert request.step == 45
    assert request.grid_zone.key == "America/New_York"
    assert request.mode == "all"
    assert request.start == int(datetime(2026, 3, 2, tzinfo=UTC).timestamp())
    assert [p.id for p in request.interviewers] == ["alice", "bob"]


BAD = [
    (_with("now", ...), "now: required"),
    (_with("end", "2026-03-01T00:00:00Z"), "end: is before start"),
    (_with("start", "2026-13-01T00:00:00Z"), "start: malformed instant"),
    (
        _with("start", "2026-03-02T00:00:00"),
        "start: instant '2026-03-02T00:00:00' needs a UTC offset",
    ),
    (_with("start", 1772409600), "start: expected an ISO 8601 instant string, got integer"),
    (_with("now", "1800-01-01T00:00:00Z"), "now: instant out of the supported range"),
    (_with("end", "2027-06-01T00:00:00Z"), "end: at most 400 days after start"),
    (_with("duration", 0), "duration: must be greater than 0"),
    (_with("duration", -5), "duration: must not be negative"),
    (_with("duration", 45.5), "duration: expected a whole number of minutes, got number"),
    (_with("duration", True), "duration: expected a whole number of minutes, got boolean"),
    (_with("duration", "45"), "duration: expected a whole number of minutes, got string"),
    (_with("duration", 10**9), "duration: must be at most"),
    (_with("interval", 0), "interval: must be greater than 0"),
    (_with("min_notice", -1), "min_notice: must not be negative"),
    (_with("grid_tz", "Mars/Olympus"), "grid_tz: unknown time zone 'Mars/Olympus'"),
    (_with("grid_tz", "../../etc/passwd"), "grid_tz: unknown time zone"),
    (_with("mode", "some"), 'mode: expected "all" or "any"'),
    (_with("colour", "blue"), "colour: unknown field"),
    (_with("interviewers", []), "interviewers: must list at least one interviewer"),
    (_with("interviewers", {}), "interviewers: expected an array, got object"),
    (_with("interviewers.0", "alice"), "interviewers[0]: expected an object, got string"),
    (_with("interviewers.1.id", "alice"), "interviewers[1].id: duplicate id 'alice'"),
    (_with("interviewers.1.id", 7), "interviewers[1].id: expected a string, got integer"),
    (_with("interviewers.1.tz", ...), "interviewers[1].tz: required"),
    (_with("interviewers.1.tz", "Europe/Londres"), "interviewers[1].tz: unknown time zone"),
    (_with("interviewers.1.shoe_size", 42), "interviewers[1].shoe_size: unknown field"),
    (_with("interviewers.0.weekly", {"monday": []}), "interviewers[0].weekly: unknown weekday"),
    (
        _with("interviewers.0.weekly.mon", [["9:00", "12:00"]]),
        "interviewers[0].weekly.mon[0][0]: malformed time '9:00'",
    ),
    (
        _with("interviewers.0.weekly.mon", [["09:00", "24:01"]]),
        "interviewers[0].weekly.mon[0][1]: malformed time",
    ),
    (
        _with("interviewers.0.weekly.mon", [["24:00", "24:00"]]),
        "interviewers[0].weekly.mon[0][0]: 24:00 may only end a range",
    ),
    (
        _with("interviewers.0.weekly.mon", [["12:00", "09:00"]]),
        "interviewers[0].weekly.mon[0]: ends before it starts",
    ),
    (
        _with("interviewers.0.weekly.mon", [["09:00"]]),
        "interviewers[0].weekly.mon[0]: expected a [from, to] pair",
    ),
    (
        _with("interviewers.0.weekly.mon", "09:00-12:00"),
        "interviewers[0].weekly.mon: expected an array",
    ),
    (
        _with("interviewers.0.overrides", {"2026-02-30": []}),
        "interviewers[0].overrides.2026-02-30: malformed date",
    ),
    (
        _with("interviewers.0.overrides", {"March 3": []}),
        "interviewers[0].overrides.March 3: expected a date",
    ),
    (
        _with("interviewers.0.busy", [["2026-03-02T15:00:00Z", "2026-03-02T14:00:00Z"]]),
        "interviewers[0].busy[0]: end is before start",
    ),
    (
        _with("interviewers.0.busy.0.1", "soon"),
        "interviewers[0].busy[0][1]: malformed instant 'soon'",
    ),
    (
        _with("interviewers.0.busy.0.0", "2026-03-02T14:00:00"),
        "interviewers[0].busy[0][0]: instant '2026-03-02T14:00:00' needs a UTC offset",
    ),
    (
        _with("interviewers.0.busy.0", ["2026-03-02T14:00:00Z"]),
        "interviewers[0].busy[0]: expected a [start, end] pair",
    ),
    (_with("interviewers.0.busy", {"a": "b"}), "interviewers[0].busy: expected an array"),
    (
        _with("interviewers.0.busy.0", {"2026-03-02T14:00:00Z": 1, "2026-03-02T15:00:00Z": 2}),
        "interviewers[0].busy[0]: expected a [start, end] pair",
    ),
    (
        _with("interviewers.0.busy.0.0", None),
        "interviewers[0].busy[0][0]: expected an ISO 8601 instant string, got null",
    ),
    (
        _with("interviewers.0.interviews", [["x", "y"]]),
        "interviewers[0].interviews[0][0]: malformed instant",
    ),
    (
        _with("interviewers.0.buffer_before", -10),
        "interviewers[0].buffer_before: must not be negative",
    ),
    (
        _with("interviewers.0.buffer_after", "10"),
        "interviewers[0].buffer_after: expected a whole number",
    ),
    (_with("interviewers.0.max_per_day", -1), "interviewers[0].max_per_day: must not be negative"),
    (
        _with("interviewers.0.max_per_day", 1.5),
        "interviewers[0].max_per_day: expected an integer or null",
    ),
    ([GOOD], "the document must be a JSON object, got array"),
]


@pytest.mark.parametrize(("document", "message"), BAD, ids=[m for _, m in BAD])
def test_invalid_field_is_named(document: Any, message: str) -> None:
    with pytest.raises(InvalidDocument) as caught:
        parse_document(document)
    assert caught.value.message.startswith(message)
    assert str(caught.value) == caught.value.message


def test_null_means_default_for_optional_fields() -> None:
    document = copy.deepcopy(GOOD)
    document.update(interval=None, min_notice=None, grid_tz=None, mode=None)
    document["interviewers"][1].update(
        weekly=None,
        overrides=None,
        busy=None,
        interviews=None,
        buffer_before=None,
        buffer_after=None,
        max_per_day=None,
    )
    request = parse_document(document)
    assert (request.step, request.min_notice, request.mode) == (45, 0, "all")
    assert request.interviewers[1].max_per_day is None


def test_mixed_offsets_and_fractions_parse_exactly() -> None:
    document = _with(
        "interviewers.0.busy",
        [["2026-03-02T09:00:00.25-05:00", "2026-03-02T15:00:00.75+01:00"]],
    )
    busy = parse_document(document).interviewers[0].busy
    ((start, end),) = list(busy)
    assert start == datetime(2026, 3, 2, 14, 0, 0, 250000, tzinfo=UTC)
    assert end == datetime(2026, 3, 2, 14, 0, 0, 750000, tzinfo=UTC)
