"""Instants as integer epoch seconds: parsing (ISO 8601 text, datetimes) and formatting.

Everything inside the engine is an ``int`` of seconds since 1970-01-01T00:00:00Z. Sub-second
input is rounded outward (starts down, ends up): every slot boundary is a whole second, and for
a whole second ``s``, ``s < x`` iff ``s < ceil(x)`` and ``x < s`` iff ``floor(x) < s``, so the
rounding never changes which slots are free.

Busy lists, the bulk of every document, are not converted one by one: from JSON they stay text
when every instant has the canonical shape ``YYYY-MM-DDTHH:MM:SSZ`` (``utc_texts_valid``), from
the Python API they stay aware datetimes, and the engine converts only the edges of their merged
union (see ``intervals.widened_union``), many at once with C-level passes (``text_epochs``,
``epoch_seconds``).
"""

from __future__ import annotations

from bisect import bisect_left
from calendar import monthrange
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import repeat
from operator import add, attrgetter, floordiv, itemgetter, mod, mul, sub

from .errors import InvalidDocument, describe, type_name

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAY = 86_400

# Bounds keep every derived local date inside what datetime and zoneinfo can represent, with
# room for the margins the engine adds around a horizon.
MIN_INSTANT = (date(1900, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY
MAX_INSTANT = (date(2200, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY

_FROMISO = datetime.fromisoformat
_DAYS = attrgetter("days")
_SECONDS = attrgetter("seconds")
_MICROS = attrgetter("microseconds")


def _split(delta: timedelta) -> tuple[int, int]:
    """Whole seconds (floored) and leftover microseconds of ``delta``."""
    return delta.days * DAY + delta.seconds, delta.microseconds


def datetime_to_epoch(value: datetime, *, round_up: bool = False) -> int:
    """Epoch seconds of an aware datetime; ``round_up`` picks ceil over floor for fractions."""
    seconds, micros = _split(value - EPOCH)
    return seconds + 1 if round_up and micros else seconds


def epoch_to_datetime(seconds: int) -> datetime:
    """Aware UTC datetime of epoch seconds."""
    return EPOCH + timedelta(seconds=seconds)


def _check_range(field: str, seconds: int) -> int:
    if not MIN_INSTANT <= seconds < MAX_INSTANT:
        raise InvalidDocument(field, "instant out of the supported range (years 1900 to 2199)")
    return seconds


def parse_moment(value: object, field: str) -> datetime:
    """Aware datetime of an ISO 8601 instant string that carries ``Z`` or a UTC offset."""
    if not isinstance(value, str):
        raise InvalidDocument(field, f"expected an ISO 8601 instant string, got {type_name(value)}")
    try:
        parsed = _FROMISO(value)
    except ValueError:
        raise InvalidDocument(
            field, f"malformed instant {describe(value)} (expected e.g. 2026-03-02T15:30:00Z)"
        ) from None
    if parsed.utcoffset() is None:
        raise InvalidDocument(field, f"instant {describe(value)} needs a UTC offset or Z")
    return parsed


def parse_instant(value: object, field: str, *, round_up: bool = False) -> int:
    """Epoch seconds of an ISO 8601 instant string, within the supported years."""
    return _check_range(field, datetime_to_epoch(parse_moment(value, field), round_up=round_up))


def check_aware(value: object, field: str) -> datetime:
    """``value`` itself if it is an aware ``datetime``."""
    if not isinstance(value, datetime):
        raise InvalidDocument(field, f"expected an aware datetime, got {type_name(value)}")
    if value.utcoffset() is None:
        raise InvalidDocument(field, "datetime must be aware (have a tzinfo)")
    return value


def aware_to_epoch(value: object, field: str, *, round_up: bool = False) -> int:
    """Epoch seconds of an aware ``datetime`` given through the Python API."""
    return _check_range(field, datetime_to_epoch(check_aware(value, field), round_up=round_up))


def epoch_seconds(moments: Sequence[datetime], *, round_up: bool = False) -> list[int]:
    """Epoch seconds of many aware datetimes (C-level passes; exact for any tzinfo)."""
    deltas = list(map(sub, moments, repeat(EPOCH)))
    seconds = list(map(add, map(mul, map(_DAYS, deltas), repeat(DAY)), map(_SECONDS, deltas)))
    if round_up and any(map(_MICROS, deltas)):
        seconds = list(map(add, seconds, map(bool, map(_MICROS, deltas))))
    return seconds


# Canonical UTC text: exactly ``YYYY-MM-DDTHH:MM:SSZ``. For that one shape, text order is time
# order, so such instants can be sorted and compared as strings (C-level, no object per
# instant) and only the few that matter are turned into numbers.
UTC_TEXT_LENGTH = 20
_RECORD = UTC_TEXT_LENGTH + 1  # with the separator used when joining
_HEAD = itemgetter(slice(0, 11))
_CLOCK = itemgetter(slice(11, 19))


class _DaySeconds(dict[str, int]):
    """``"YYYY-MM-DDT"`` -> epoch seconds of that midnight UTC; raises ``ValueError`` if the
    date does not exist. Filled on demand; dates repeat heavily across calendars."""

    def __missing__(self, head: str) -> int:
        seconds = (date.fromisoformat(head[:10]).toordinal() - EPOCH_ORDINAL) * DAY
        if len(self) >= 100_000:  # bounded whatever the input
            self.clear()
        self[head] = seconds
        return seconds


class _ClockSeconds(dict[str, int]):
    """``"HH:MM:SS"`` (already checked) -> seconds since midnight; at most 86,400 entries."""

    def __missing__(self, clock: str) -> int:
        seconds = int(clock[:2]) * 3600 + int(clock[3:5]) * 60 + int(clock[6:])
        self[clock] = seconds
        return seconds


_DAY_SECONDS = _DaySeconds()
_CLOCK_SECONDS = _ClockSeconds()


_SHAPE = b"0000-00-00T00:00:00Z,"
_ZERO_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_ONLY_TWO = bytes.maketrans(b"0123456789", b"\0\0\1\0\0\0\0\0\0\0")
_FOUR_UP = bytes.maketrans(b"0123456789", b"\0\0\0\0\1\1\1\1\1\1")


def utc_texts_valid(texts: Sequence[object]) -> bool:
    """Whether every item is a ``str`` in the canonical shape with its clock in range.

    Checks the whole list with a few passes over one joined byte string instead of looking
    at each item: with every digit read as ``0``, the string must be the shape repeated, and
    fixed-width records put each field at a fixed stride. Tens of hours must be 0-2 (and the
    hour at most 23), tens of minutes and seconds 0-5; the calendar date is checked on sorted
    texts (``utc_dates_valid``). False means "take the general path", which then reports the
    exact problem.
    """
    count = len(texts)
    try:
        data = ",".join(texts).encode("ascii")  # type: ignore[arg-type]
    except (TypeError, UnicodeEncodeError):
        return False
    # A comma anywhere but between records would break the repeated shape, so every item is
    # exactly one record.
    if data.translate(_ZERO_DIGITS) != (_SHAPE * count)[:-1]:
        return False
    hours_tens = data[11::_RECORD]
    if (
        hours_tens.translate(None, b"012")
        or data[14::_RECORD].translate(None, b"012345")
        or data[17::_RECORD].translate(None, b"012345")
    ):
        return False
    # Hours 24 to 29: a tens digit 2 and a units digit of 4 or more in the same record, found
    # by and-ing one flag byte per record.
    twos = int.from_bytes(hours_tens.translate(_ONLY_TWO), "big")
    return not twos & int.from_bytes(data[12::_RECORD].translate(_FOUR_UP), "big")


def _day_ranges_valid(ordered: Sequence[str]) -> bool:
    """``utc_dates_valid`` for texts spanning at most a few years: no text may fall in a range
    of non-existent dates (month 00 or above 12; day 00 or past the month's end)."""
    first, last = ordered[0], ordered[-1]
    count = len(ordered)

    def meets(low: str, high: str) -> bool:
        index = bisect_left(ordered, low)
        return index < count and ordered[index] < high

    low_month, high_month = first[:8], last[:8]
    for year in range(int(first[:4]), int(last[:4]) + 1):
        prefix = f"{year:04d}-"
        # ":" follows "9": "YYYY-13" up to it holds every two-digit month above 12.
        if meets(prefix + "00", prefix + "01") or meets(prefix + "13", prefix + ":"):
            return False
        for month in range(1, 13):
            head = f"{prefix}{month:02d}-"
            if not low_month <= head <= high_month:
                continue
            length = monthrange(year, month)[1]
            if meets(head + "00", head + "01") or meets(f"{head}{length + 1}", head + ":"):
                return False
    return True


def utc_dates_valid(ordered: Sequence[str]) -> bool:
    """Whether every date exists, for sorted texts that passed ``utc_texts_valid``.

    Sorted texts put each non-existent date in a known range between the first and the last
    text, so a few ``bisect`` calls per month spanned suffice; over a longer span, one
    look-up per distinct date (sorted texts of one date are contiguous).
    """
    if not ordered:
        return True
    if int(ordered[-1][:4]) - int(ordered[0][:4]) <= 2:
        return _day_ranges_valid(ordered)
    index = 0
    count = len(ordered)
    while index < count:
        head = _HEAD(ordered[index])
        try:
            _DAY_SECONDS[head]
        except ValueError:
            return False
        # "U" follows "T": the first text of a later date.
        index = bisect_left(ordered, head[:10] + "U", index)
    return True


def text_epochs(texts: Sequence[str]) -> list[int]:
    """Epoch seconds of canonical UTC texts that passed both checks above."""
    days = map(_DAY_SECONDS.__getitem__, map(_HEAD, texts))
    return list(map(add, days, map(_CLOCK_SECONDS.__getitem__, map(_CLOCK, texts))))


def text_second(text: str) -> int:
    """Epoch seconds of one canonical UTC text that passed both checks above."""
    return _DAY_SECONDS[text[:11]] + _CLOCK_SECONDS[text[11:19]]


@lru_cache(maxsize=4096)
def _day_prefix(day: int) -> str:
    return date.fromordinal(day + EPOCH_ORDINAL).isoformat() + "T"


@lru_cache(maxsize=4096)
def _clock_suffix(second_of_day: int) -> str:
    hours, rest = divmod(second_of_day, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}Z"


def format_instant(seconds: int) -> str:
    """``2026-03-02T15:30:00Z`` for epoch seconds."""
    day, second_of_day = divmod(seconds, DAY)
    return _day_prefix(day) + _clock_suffix(second_of_day)


def format_instants(seconds: Sequence[int]) -> list[str]:
    """``format_instant`` of each, with C-level passes."""
    days = map(_day_prefix, map(floordiv, seconds, repeat(DAY)))
    return list(map(add, days, map(_clock_suffix, map(mod, seconds, repeat(DAY)))))


def parse_wall_time(value: object, field: str, *, allow_24: bool) -> int:
    """Minutes since local midnight of a strict ``HH:MM`` string (``24:00`` only as an end)."""
    if not isinstance(value, str):
        raise InvalidDocument(field, f'expected a wall-clock time "HH:MM", got {type_name(value)}')
    if (
        len(value) == 5
        and value[2] == ":"
        and value[:2].isascii()
        and value[:2].isdigit()
        and value[3:].isascii()
        and value[3:].isdigit()
    ):
        hours = int(value[:2])
        minutes = int(value[3:])
        if hours < 24 and minutes < 60:
            return hours * 60 + minutes
        if hours == 24 and minutes == 0:
            if allow_24:
                return 1440
            raise InvalidDocument(field, "24:00 may only end a range")
    raise InvalidDocument(
        field, f"malformed time {describe(value)} (expected HH:MM, 00:00 to 24:00)"
    )


def wall_time_from_time(value: object, field: str, *, is_end: bool) -> int:
    """Minutes since local midnight of a ``datetime.time`` (or an ``HH:MM`` string).

    Django's TimeField cannot hold 24:00, so a range *ending* at ``time(0, 0)`` means the
    next midnight; a range cannot end where its own day begins.
    """
    if isinstance(value, str):
        return parse_wall_time(value, field, allow_24=is_end)
    if not isinstance(value, time):
        raise InvalidDocument(field, f'expected a datetime.time or "HH:MM", got {type_name(value)}')
    if value.second or value.microsecond or value.tzinfo is not None:
        raise InvalidDocument(field, "wall-clock times are whole minutes without a tzinfo")
    minutes = value.hour * 60 + value.minute
    return 1440 if is_end and minutes == 0 else minutes


def parse_local_date(value: object, field: str) -> int:
    """Day number (days since 1970-01-01) of a strict ``YYYY-MM-DD`` string or a ``date``."""
    if isinstance(value, datetime):
        raise InvalidDocument(field, "expected a date, got a datetime")
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            raise InvalidDocument(field, f"malformed date {describe(value)}") from None
    else:
        raise InvalidDocument(field, f'expected a date "YYYY-MM-DD", got {describe(value)}')
    day = parsed.toordinal() - EPOCH_ORDINAL
    if not MIN_INSTANT <= day * DAY < MAX_INSTANT:
        raise InvalidDocument(field, "date out of the supported range (years 1900 to 2199)")
    return day
