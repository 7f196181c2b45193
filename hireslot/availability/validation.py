"""Checks shared by the typed constructors and the JSON reader.

Each raises ``InvalidDocument`` naming the field it was given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import TypeAlias
from zoneinfo import ZoneInfo

from .errors import InvalidDocument, describe, type_name
from .instants import MAX_INSTANT, MIN_INSTANT

# A year and a bit: generous for any real scheduling need, and it keeps one request's work
# (windows per local day, slots per window) bounded whatever the input says.
MAX_MINUTES = 527_040
MAX_HORIZON_DAYS = 400

WallParser: TypeAlias = Callable[[object, str, bool], int]
"""Reads one wall-clock time (value, field path, is_end) into minutes since midnight."""


def load_zone(value: object, field: str) -> ZoneInfo:
    """A ``ZoneInfo`` from an IANA key (or a ``ZoneInfo`` built from one)."""
    if isinstance(value, ZoneInfo):
        if value.key is None:
            raise InvalidDocument(field, "time zone must be loaded by its IANA key")
        return value
    if not isinstance(value, str):
        raise InvalidDocument(field, f"expected an IANA time zone name, got {type_name(value)}")
    try:
        return ZoneInfo(value)
    except Exception:  # zoneinfo raises several types for keys that are not zones
        raise InvalidDocument(field, f"unknown time zone {describe(value)}") from None


def check_minutes(value: object, field: str, *, positive: bool = False) -> int:
    """A whole number of minutes within the engine's bounds."""
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        if seconds % 60:
            raise InvalidDocument(field, "must be a whole number of minutes")
        value = int(seconds // 60)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidDocument(field, f"expected a whole number of minutes, got {type_name(value)}")
    if value < 0:
        raise InvalidDocument(field, "must not be negative")
    if positive and value == 0:
        raise InvalidDocument(field, "must be greater than 0")
    if value > MAX_MINUTES:
        raise InvalidDocument(field, f"must be at most {MAX_MINUTES} minutes (366 days)")
    return value


def check_ranges(ranges: object, field: str, parse: WallParser) -> tuple[tuple[int, int], ...]:
    """A day's list of ``[from, to]`` wall-clock ranges."""
    if isinstance(ranges, str | bytes) or not isinstance(ranges, Iterable):
        raise InvalidDocument(
            field, f"expected an array of [from, to] ranges, got {type_name(ranges)}"
        )
    out = []
    for index, item in enumerate(ranges):
        where = f"{field}[{index}]"
        if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
            raise InvalidDocument(where, f"expected a [from, to] pair, got {describe(item)}")
        start = parse(item[0], f"{where}[0]", False)
        end = parse(item[1], f"{where}[1]", True)
        if end < start:
            raise InvalidDocument(where, "ends before it starts")
        out.append((start, end))
    return tuple(out)


def check_minute_ranges(ranges: object, field: str) -> None:
    """Canonical wall-clock ranges: a tuple of ``(from, to)`` with 0 <= from <= to <= 1440."""
    if not isinstance(ranges, tuple):
        raise InvalidDocument(field, "expected a tuple of (from, to) minute pairs")
    for item in ranges:
        if not (
            isinstance(item, tuple)
            and len(item) == 2
            and all(type(x) is int for x in item)
            and 0 <= item[0] <= item[1] <= 1440
        ):
            raise InvalidDocument(
                field, f"expected (from, to) minutes in 0..1440, got {describe(item)}"
            )


def check_instant(value: object, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidDocument(field, f"expected epoch seconds (int), got {type_name(value)}")
    if not MIN_INSTANT <= value < MAX_INSTANT:
        raise InvalidDocument(field, "instant out of the supported range (years 1900 to 2199)")
    return value
