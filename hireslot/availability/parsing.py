"""JSON document (already decoded) -> ``AvailabilityRequest``, validating every field.

Every problem raises ``InvalidDocument`` whose message starts with the field's path, e.g.
``interviewers[1].busy[3][0]: malformed instant '2026-13-01T00:00:00Z' …``. ``null`` for an
optional field means its default (``max_per_day: null`` is "no cap", as the contract says).
"""

from __future__ import annotations

import gc
import json
from datetime import date, datetime
from typing import Any

from .errors import InvalidDocument, describe, type_name
from .events import NO_INTERVALS, Calendar, Intervals, UtcTextIntervals
from .instants import (
    EPOCH_ORDINAL,
    parse_instant,
    parse_local_date,
    parse_moment,
    parse_wall_time,
)
from .sessions import Element, LoopRequest, Session, check_elements
from .types import WEEKDAYS, AvailabilityRequest, Interviewer, Mode, WallRange
from .validation import check_minutes, check_ranges, load_zone

_FROMISO = datetime.fromisoformat
_DOCUMENT_FIELDS = frozenset(
    (
        "now",
        "start",
        "end",
        "duration",
        "interval",
        "min_notice",
        "grid_tz",
        "mode",
        "interviewers",
        "sessions",
    )
)
_SESSION_FIELDS = frozenset(("id", "duration", "interviewers", "mode", "gap_after"))
_INTERVIEWER_FIELDS = frozenset(
    (
        "id",
        "tz",
        "weekly",
        "overrides",
        "busy",
        "interviews",
        "buffer_before",
        "buffer_after",
        "max_per_day",
        "max_per_week",
    )
)


def _json_wall_time(value: object, field: str, is_end: bool) -> int:
    return parse_wall_time(value, field, allow_24=is_end)


def _object(value: object, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidDocument(field, f"expected an object, got {type_name(value)}")
    return value


def _reject_unknown(document: dict[str, Any], allowed: frozenset[str], prefix: str) -> None:
    for key in document:
        if key not in allowed:
            raise InvalidDocument(f"{prefix}{key}", "unknown field")


def _weekly(value: object, field: str) -> tuple[tuple[WallRange, ...], ...]:
    week: list[tuple[WallRange, ...]] = [()] * 7
    if value is None:
        return tuple(week)
    for key, ranges in _object(value, field).items():
        if key not in WEEKDAYS:
            raise InvalidDocument(field, f"unknown weekday {describe(key)} (use mon … sun)")
        week[WEEKDAYS.index(key)] = check_ranges(ranges, f"{field}.{key}", _json_wall_time)
    return tuple(week)


def _overrides(value: object, field: str) -> dict[date, tuple[WallRange, ...]]:
    days: dict[date, tuple[WallRange, ...]] = {}
    if value is None:
        return days
    for key, ranges in _object(value, field).items():
        day = parse_local_date(key, f"{field}.{key}")
        days[date.fromordinal(day + EPOCH_ORDINAL)] = check_ranges(
            ranges, f"{field}.{key}", _json_wall_time
        )
    return days


def _intervals(value: object, field: str) -> Calendar:
    """``[[start, end], ...]`` of ISO instant strings.

    Calendar exports are canonical UTC text, kept as such (``UtcTextIntervals``); other valid
    lists become datetimes with a few C-level passes; anything unusual falls through to the
    item-by-item reader, which names the first bad item.
    """
    if value is None:
        return NO_INTERVALS
    if not isinstance(value, list):
        raise InvalidDocument(
            field, f"expected an array of [start, end] pairs, got {type_name(value)}"
        )
    if not value:
        return NO_INTERVALS
    as_text = UtcTextIntervals.read(value)
    if as_text is not None:
        return as_text
    try:
        if set(map(type, value)) == {list}:
            columns = list(zip(*value, strict=True))
            if len(columns) == 2:
                return Intervals(tuple(map(_FROMISO, columns[0])), tuple(map(_FROMISO, columns[1])))
    except (TypeError, ValueError):
        pass
    return Intervals.of_checked(value, field, parse_moment)


def _cap(value: object, field: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidDocument(field, f"expected an integer or null, got {type_name(value)}")
    if value < 0:
        raise InvalidDocument(field, "must not be negative")
    return value


def _optional_minutes(document: dict[str, Any], key: str, field: str) -> int:
    value = document.get(key)
    return 0 if value is None else check_minutes(value, field)


def _interviewer(value: object, field: str) -> Interviewer:
    raw = _object(value, field)
    _reject_unknown(raw, _INTERVIEWER_FIELDS, f"{field}.")
    if "id" not in raw:
        raise InvalidDocument(f"{field}.id", "required")
    if not isinstance(raw["id"], str):
        raise InvalidDocument(f"{field}.id", f"expected a string, got {type_name(raw['id'])}")
    if "tz" not in raw:
        raise InvalidDocument(f"{field}.tz", "required")
    return Interviewer(
        id=raw["id"],
        tz=load_zone(raw["tz"], f"{field}.tz"),
        weekly=_weekly(raw.get("weekly"), f"{field}.weekly"),
        overrides=_overrides(raw.get("overrides"), f"{field}.overrides"),
        busy=_intervals(raw.get("busy"), f"{field}.busy"),
        interviews=_intervals(raw.get("interviews"), f"{field}.interviews"),
        buffer_before=_optional_minutes(raw, "buffer_before", f"{field}.buffer_before"),
        buffer_after=_optional_minutes(raw, "buffer_after", f"{field}.buffer_after"),
        max_per_day=_cap(raw.get("max_per_day"), f"{field}.max_per_day"),
        max_per_week=_cap(raw.get("max_per_week"), f"{field}.max_per_week"),
    )


def _required(document: dict[str, Any], key: str) -> object:
    if key not in document:
        raise InvalidDocument(key, "required")
    return document[key]


def _mode(value: object, field: str) -> Mode:
    if value is None or value == "all":
        return "all"
    if value == "any":
        return "any"
    raise InvalidDocument(field, f'expected "all" or "any", got {describe(value)}')


def _element(value: object, field: str) -> Element:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(member, str) for member in value):
        return tuple(value)
    raise InvalidDocument(
        field, f"expected an interviewer id or a list of ids (a seat), got {describe(value)}"
    )


def _session(value: object, field: str) -> Session:
    raw = _object(value, field)
    _reject_unknown(raw, _SESSION_FIELDS, f"{field}.")
    if "id" not in raw:
        raise InvalidDocument(f"{field}.id", "required")
    if not isinstance(raw["id"], str):
        raise InvalidDocument(f"{field}.id", f"expected a string, got {type_name(raw['id'])}")
    if "duration" not in raw:
        raise InvalidDocument(f"{field}.duration", "required")
    duration = check_minutes(raw["duration"], f"{field}.duration", positive=True)
    mode = _mode(raw.get("mode"), f"{field}.mode")
    people = raw.get("interviewers")
    if "interviewers" not in raw:
        raise InvalidDocument(f"{field}.interviewers", "required")
    if not isinstance(people, list):
        raise InvalidDocument(
            f"{field}.interviewers", f"expected an array, got {type_name(people)}"
        )
    elements = tuple(
        _element(element, f"{field}.interviewers[{index}]") for index, element in enumerate(people)
    )
    check_elements(elements, f"{field}.interviewers", mode)
    return Session(
        id=raw["id"],
        duration=duration,
        interviewers=elements,
        mode=mode,
        gap_after=_optional_minutes(raw, "gap_after", f"{field}.gap_after"),
    )


def _sessions(value: object) -> tuple[Session, ...]:
    if not isinstance(value, list):
        raise InvalidDocument("sessions", f"expected an array, got {type_name(value)}")
    if not value:
        raise InvalidDocument("sessions", "must list at least one session")
    return tuple(_session(item, f"sessions[{index}]") for index, item in enumerate(value))


def parse_document(document: object) -> AvailabilityRequest | LoopRequest:
    """Validate a decoded JSON document and build the request it describes: a
    ``LoopRequest`` when it has ``sessions``, else an ``AvailabilityRequest``."""
    if not isinstance(document, dict):
        raise InvalidDocument("", f"the document must be a JSON object, got {type_name(document)}")
    raw: dict[str, Any] = document
    _reject_unknown(raw, _DOCUMENT_FIELDS, "")
    now = parse_instant(_required(raw, "now"), "now", round_up=True)
    start = parse_instant(_required(raw, "start"), "start", round_up=True)
    end = parse_instant(_required(raw, "end"), "end", round_up=True)
    if end < start:
        raise InvalidDocument("end", "is before start")
    duration = None
    if raw.get("sessions") is not None:
        for key in ("duration", "mode"):
            if raw.get(key) is not None:
                raise InvalidDocument(
                    key, "must not be given with sessions (each session has its own)"
                )
    else:
        duration = check_minutes(_required(raw, "duration"), "duration", positive=True)
    interval = raw.get("interval")
    mode = _mode(raw.get("mode"), "mode")
    people = _required(raw, "interviewers")
    if not isinstance(people, list):
        raise InvalidDocument("interviewers", f"expected an array, got {type_name(people)}")
    if not people:
        raise InvalidDocument("interviewers", "must list at least one interviewer")
    interviewers = tuple(
        _interviewer(person, f"interviewers[{index}]") for index, person in enumerate(people)
    )
    grid_tz = raw.get("grid_tz")
    step = None if interval is None else check_minutes(interval, "interval", positive=True)
    min_notice = _optional_minutes(raw, "min_notice", "min_notice")
    grid = None if grid_tz is None else load_zone(grid_tz, "grid_tz")
    if duration is None:  # a loop: each session has its own
        if step is None:
            raise InvalidDocument("interval", "required with sessions")
        return LoopRequest(
            now=now,
            start=start,
            end=end,
            interval=step,
            interviewers=interviewers,
            sessions=_sessions(raw["sessions"]),
            min_notice=min_notice,
            grid_tz=grid,
        )
    return AvailabilityRequest(
        now=now,
        start=start,
        end=end,
        duration=duration,
        interviewers=interviewers,
        interval=step,
        min_notice=min_notice,
        grid_tz=grid,
        mode=mode,
    )


def parse_text(text: str) -> AvailabilityRequest | LoopRequest:
    """``parse_document(json.loads(text))``, with the cyclic garbage collector paused.

    A document decodes into thousands of small lists (one per calendar event) that all die
    together once the request is built, and JSON cannot hold a reference cycle: the collector
    would only scan them, several times per document, for nothing. So it is paused while they
    exist and the decoded document is released before it resumes, which leaves its
    allocation count where it was (see docs/performance.md). Errors propagate as from
    ``json.loads`` (``ValueError``, ``RecursionError``) and ``parse_document``
    (``InvalidDocument``).
    """
    collecting = gc.isenabled()
    gc.disable()
    document = None
    try:
        document = json.loads(text)
        return parse_document(document)
    finally:
        del document
        if collecting:
            gc.enable()
