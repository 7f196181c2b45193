"""The engine's typed inputs and outputs.

Instants are ``int`` epoch seconds (UTC), lengths are ``int`` minutes, wall-clock times are
``int`` minutes since local midnight (0 to 1440). The plain constructors expect values already
in that form; ``Interviewer.build`` and ``AvailabilityRequest.build`` take what a Django caller
has at hand (aware datetimes, ``ZoneInfo`` or zone names, ``datetime.time``, ``timedelta``)
and validate everything, raising ``InvalidDocument``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import chain, compress
from operator import attrgetter, ge, gt, le, lt, not_
from typing import Literal, TypeAlias, cast
from zoneinfo import ZoneInfo

from .errors import InvalidDocument, describe, type_name
from .instants import (
    EPOCH_ORDINAL,
    aware_to_epoch,
    check_aware,
    epoch_to_datetime,
    parse_local_date,
    utc_dates_valid,
    utc_texts_valid,
    wall_time_from_time,
)
from .validation import (
    MAX_HORIZON_DAYS,
    check_instant,
    check_minute_ranges,
    check_minutes,
    check_ranges,
    load_zone,
)

Interval: TypeAlias = tuple[int, int]
"""``[start, end)`` in epoch seconds."""

WallRange: TypeAlias = tuple[int, int]
"""``[from, to)`` in minutes since local midnight; ``to`` may be 1440 (24:00)."""

Mode: TypeAlias = Literal["all", "any"]
_TZINFO = attrgetter("tzinfo")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MODES: tuple[Mode, ...] = ("all", "any")

TimeLike: TypeAlias = time | str
MinutesLike: TypeAlias = int | timedelta


def _api_wall_time(value: object, field: str, is_end: bool) -> int:
    return wall_time_from_time(value, field, is_end=is_end)


@dataclass(frozen=True, slots=True)
class Intervals:
    """Calendar intervals ``[start, end)`` as two parallel tuples of aware datetimes.

    Kept as datetimes, column-wise, because there are thousands per interviewer: the engine
    sorts and merges them with C-level passes and converts only the merged edges to integers,
    which is cheaper than converting every instant (see docs/performance.md). Iterating yields
    ``(start, end)`` pairs. ``has_empty`` records whether any interval has ``start == end``.
    """

    starts: tuple[datetime, ...] = ()
    ends: tuple[datetime, ...] = ()
    has_empty: bool = field(init=False, default=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts, ends = self.starts, self.ends
        if type(starts) is not tuple or type(ends) is not tuple or len(starts) != len(ends):
            raise InvalidDocument("", "starts and ends must be tuples of the same length")
        if not starts:
            return
        try:
            naive = None in set(map(_TZINFO, starts))
            # Raises TypeError for anything not comparable with an aware datetime.
            suspicious = any(map(le, ends, starts))
        except (AttributeError, TypeError):
            raise InvalidDocument("", "expected aware datetimes") from None
        if naive:
            raise InvalidDocument("", "datetimes must be aware (have a tzinfo)")
        if suspicious:
            if any(map(lt, ends, starts)):
                raise InvalidDocument("", "an interval ends before it starts")
            object.__setattr__(self, "has_empty", True)

    def __iter__(self) -> Iterator[tuple[datetime, datetime]]:
        return zip(self.starts, self.ends, strict=True)

    def __len__(self) -> int:
        return len(self.starts)

    @classmethod
    def of(cls, pairs: Iterable[Sequence[datetime]], field: str = "") -> Intervals:
        """Validated ``Intervals`` from ``(start, end)`` pairs of aware datetimes."""
        items = pairs if isinstance(pairs, list | tuple) else list(pairs)
        if not items:
            return cls()
        try:
            columns = list(zip(*items, strict=True))
            if len(columns) == 2:
                return cls(tuple(columns[0]), tuple(columns[1]))
        except (TypeError, ValueError):
            pass
        return cls.of_checked(items, field, check_aware)

    @classmethod
    def of_checked(
        cls, items: Sequence[object], field: str, read: Callable[[object, str], datetime]
    ) -> Intervals:
        """Item-by-item construction that names the first bad item in its error."""
        starts = []
        ends = []
        for index, item in enumerate(items):
            where = f"{field}[{index}]"
            if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
                raise InvalidDocument(where, f"expected a [start, end] pair, got {describe(item)}")
            start = read(item[0], f"{where}[0]")
            end = read(item[1], f"{where}[1]")
            if end < start:
                raise InvalidDocument(where, "end is before start")
            starts.append(start)
            ends.append(end)
        return cls(tuple(starts), tuple(ends))


NO_INTERVALS = Intervals()


class UtcTextIntervals:
    """Calendar intervals read from JSON whose instants all have the canonical UTC shape
    ``YYYY-MM-DDTHH:MM:SSZ``, which calendar APIs return and which is kept as text.

    For that shape text order is time order, so the columns are checked, sorted and merged as
    strings by C code, and only the edges of the merged busy time become integers (see
    docs/performance.md). It reads like ``Intervals``: iterating yields ``(start, end)`` pairs of
    aware UTC datetimes and ``starts``/``ends`` are tuples of them, built on demand.

    ``start_texts`` and ``end_texts`` are the input columns; ``sorted_starts`` and
    ``sorted_ends`` hold the non-empty intervals' texts, each sorted on its own, as the busy
    union wants them. Use ``read`` to build one.
    """

    __slots__ = ("end_texts", "has_empty", "sorted_ends", "sorted_starts", "start_texts")

    def __init__(
        self,
        start_texts: tuple[str, ...],
        end_texts: tuple[str, ...],
        sorted_starts: list[str],
        sorted_ends: list[str],
        has_empty: bool,
    ) -> None:
        self.start_texts = start_texts
        self.end_texts = end_texts
        self.sorted_starts = sorted_starts
        self.sorted_ends = sorted_ends
        self.has_empty = has_empty

    @classmethod
    def read(cls, pairs: list[object]) -> UtcTextIntervals | None:
        """The intervals of ``[[start, end], ...]``, or None unless every pair is two
        canonical UTC texts with ``start <= end`` (the general reader then takes over)."""
        # Only lists of two: a dict's keys would pass for a pair. (Not zip(*pairs): it would
        # hold an iterator per pair at once and wake the cyclic GC several times.)
        # The items are only known to be strings once utc_texts_valid has checked them.
        rows = cast("list[list[str]]", pairs)
        if set(map(type, rows)) != {list} or set(map(len, rows)) != {2}:
            return None
        texts = list(chain.from_iterable(rows))
        if not utc_texts_valid(texts):
            return None
        starts, ends = tuple(texts[0::2]), tuple(texts[1::2])
        has_empty = any(map(ge, starts, ends))
        empties: list[str] = []
        if has_empty:
            if any(map(gt, starts, ends)):
                return None
            kept = list(map(lt, starts, ends))
            empties = sorted(compress(starts, map(not_, kept)))
            sorted_starts, sorted_ends = (
                sorted(compress(starts, kept)),
                sorted(compress(ends, kept)),
            )
        else:
            sorted_starts, sorted_ends = sorted(starts), sorted(ends)
        if not (
            utc_dates_valid(sorted_starts)
            and utc_dates_valid(sorted_ends)
            and utc_dates_valid(empties)
        ):
            return None
        return cls(starts, ends, sorted_starts, sorted_ends, has_empty)

    @property
    def starts(self) -> tuple[datetime, ...]:
        return tuple(map(datetime.fromisoformat, self.start_texts))

    @property
    def ends(self) -> tuple[datetime, ...]:
        return tuple(map(datetime.fromisoformat, self.end_texts))

    def __iter__(self) -> Iterator[tuple[datetime, datetime]]:
        return zip(self.starts, self.ends, strict=True)

    def __len__(self) -> int:
        return len(self.start_texts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UtcTextIntervals | Intervals):
            return (self.starts, self.ends) == (other.starts, other.ends)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.starts, self.ends))

    def __repr__(self) -> str:
        return f"UtcTextIntervals({len(self)} intervals)"

    def as_intervals(self) -> Intervals:
        """The same intervals as datetimes."""
        return Intervals(self.starts, self.ends)


Calendar: TypeAlias = Intervals | UtcTextIntervals
"""Busy time or booked interviews, as the Python API or the JSON reader built them."""


@dataclass(frozen=True, slots=True)
class Interviewer:
    """One interviewer's working hours, calendar and limits.

    ``weekly`` has seven entries, Monday first; ``overrides`` maps local dates to the ranges
    that replace that day's weekly hours (an empty tuple is a day off). ``busy`` and
    ``interviews`` are ``Intervals`` of aware datetimes (``UtcTextIntervals`` when read from
    JSON in the canonical UTC shape).
    """

    id: str
    tz: ZoneInfo
    weekly: tuple[tuple[WallRange, ...], ...] = ((),) * 7
    overrides: Mapping[date, tuple[WallRange, ...]] = field(default_factory=dict)
    busy: Calendar = NO_INTERVALS
    interviews: Calendar = NO_INTERVALS
    buffer_before: int = 0
    buffer_after: int = 0
    max_per_day: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str):
            raise InvalidDocument("id", f"expected a string, got {type_name(self.id)}")
        load_zone(self.tz, "tz")
        if not isinstance(self.weekly, tuple) or len(self.weekly) != 7:
            raise InvalidDocument("weekly", "expected seven tuples of ranges, Monday first")
        for index, ranges in enumerate(self.weekly):
            check_minute_ranges(ranges, f"weekly.{WEEKDAYS[index]}")
        for day, ranges in self.overrides.items():
            if not isinstance(day, date) or isinstance(day, datetime):
                raise InvalidDocument("overrides", f"keys must be dates, got {describe(day)}")
            check_minute_ranges(ranges, f"overrides.{day.isoformat()}")
        if not isinstance(self.busy, Intervals | UtcTextIntervals):
            raise InvalidDocument("busy", "expected Intervals (see Intervals.of)")
        if not isinstance(self.interviews, Intervals | UtcTextIntervals):
            raise InvalidDocument("interviews", "expected Intervals (see Intervals.of)")
        check_minutes(self.buffer_before, "buffer_before")
        check_minutes(self.buffer_after, "buffer_after")
        if self.max_per_day is not None:
            if not isinstance(self.max_per_day, int) or isinstance(self.max_per_day, bool):
                raise InvalidDocument("max_per_day", "expected an integer or None")
            if self.max_per_day < 0:
                raise InvalidDocument("max_per_day", "must not be negative")

    @classmethod
    def build(
        cls,
        *,
        id: str,
        tz: ZoneInfo | str,
        weekly: Mapping[str, Iterable[tuple[TimeLike, TimeLike]]] | None = None,
        overrides: Mapping[date | str, Iterable[tuple[TimeLike, TimeLike]]] | None = None,
        busy: Iterable[tuple[datetime, datetime]] = (),
        interviews: Iterable[tuple[datetime, datetime]] = (),
        buffer_before: MinutesLike = 0,
        buffer_after: MinutesLike = 0,
        max_per_day: int | None = None,
    ) -> Interviewer:
        """Validated construction from Python values (see the module docstring).

        ``weekly`` is keyed ``"mon"`` … ``"sun"``; times are ``datetime.time`` or ``"HH:MM"``,
        and a range ending at ``time(0, 0)`` or ``"24:00"`` runs to the next local midnight.
        """
        week: list[tuple[WallRange, ...]] = [()] * 7
        for key, ranges in (weekly or {}).items():
            if key not in WEEKDAYS:
                raise InvalidDocument(f"weekly.{key}", "unknown weekday (use mon … sun)")
            week[WEEKDAYS.index(key)] = check_ranges(ranges, f"weekly.{key}", _api_wall_time)
        days: dict[date, tuple[WallRange, ...]] = {}
        for when, ranges in (overrides or {}).items():
            day = parse_local_date(when, f"overrides.{when}")
            days[date.fromordinal(day + EPOCH_ORDINAL)] = check_ranges(
                ranges, f"overrides.{when}", _api_wall_time
            )
        return cls(
            id=id,
            tz=load_zone(tz, "tz"),
            weekly=tuple(week),
            overrides=days,
            busy=Intervals.of(busy, "busy"),
            interviews=Intervals.of(interviews, "interviews"),
            buffer_before=check_minutes(buffer_before, "buffer_before"),
            buffer_after=check_minutes(buffer_after, "buffer_after"),
            max_per_day=max_per_day,
        )


@dataclass(frozen=True, slots=True)
class AvailabilityRequest:
    """What to search: the horizon ``[start, end)`` for slot starts and who must be free.

    ``interval`` defaults to ``duration`` and ``grid_tz`` to the first interviewer's zone.
    """

    now: int
    start: int
    end: int
    duration: int
    interviewers: tuple[Interviewer, ...]
    interval: int | None = None
    min_notice: int = 0
    grid_tz: ZoneInfo | None = None
    mode: Mode = "all"

    def __post_init__(self) -> None:
        for name in ("now", "start", "end"):
            check_instant(getattr(self, name), name)
        if self.end < self.start:
            raise InvalidDocument("end", "is before start")
        if self.end - self.start > MAX_HORIZON_DAYS * 86_400:
            raise InvalidDocument("end", f"at most {MAX_HORIZON_DAYS} days after start")
        check_minutes(self.duration, "duration", positive=True)
        if self.interval is not None:
            check_minutes(self.interval, "interval", positive=True)
        check_minutes(self.min_notice, "min_notice")
        if self.grid_tz is not None:
            load_zone(self.grid_tz, "grid_tz")
        if self.mode not in MODES:
            raise InvalidDocument("mode", f'expected "all" or "any", got {describe(self.mode)}')
        if not isinstance(self.interviewers, tuple) or not self.interviewers:
            raise InvalidDocument("interviewers", "expected a non-empty tuple of Interviewer")
        seen: set[str] = set()
        for index, interviewer in enumerate(self.interviewers):
            if not isinstance(interviewer, Interviewer):
                raise InvalidDocument(f"interviewers[{index}]", "expected an Interviewer")
            if interviewer.id in seen:
                raise InvalidDocument(
                    f"interviewers[{index}].id", f"duplicate id {describe(interviewer.id)}"
                )
            seen.add(interviewer.id)

    @property
    def step(self) -> int:
        """Minutes between consecutive slot starts."""
        return self.duration if self.interval is None else self.interval

    @property
    def grid_zone(self) -> ZoneInfo:
        """The zone slot starts are aligned to."""
        return self.interviewers[0].tz if self.grid_tz is None else self.grid_tz

    @classmethod
    def build(
        cls,
        *,
        now: datetime,
        start: datetime,
        end: datetime,
        duration: MinutesLike,
        interviewers: Iterable[Interviewer],
        interval: MinutesLike | None = None,
        min_notice: MinutesLike = 0,
        grid_tz: ZoneInfo | str | None = None,
        mode: Mode = "all",
    ) -> AvailabilityRequest:
        """Validated construction from aware datetimes, minutes or timedeltas, zones or names."""
        return cls(
            now=aware_to_epoch(now, "now", round_up=True),
            start=aware_to_epoch(start, "start", round_up=True),
            end=aware_to_epoch(end, "end", round_up=True),
            duration=check_minutes(duration, "duration", positive=True),
            interviewers=tuple(interviewers),
            interval=None
            if interval is None
            else check_minutes(interval, "interval", positive=True),
            min_notice=check_minutes(min_notice, "min_notice"),
            grid_tz=None if grid_tz is None else load_zone(grid_tz, "grid_tz"),
            mode=mode,
        )


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    """An offered interview ``[start, end)`` in epoch seconds, with who is free for it."""

    start: int
    end: int
    interviewers: tuple[str, ...]

    @property
    def start_at(self) -> datetime:
        """The start as an aware UTC datetime."""
        return epoch_to_datetime(self.start)

    @property
    def end_at(self) -> datetime:
        """The end as an aware UTC datetime."""
        return epoch_to_datetime(self.end)
