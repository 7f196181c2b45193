"""The engine's typed inputs and outputs.

Instants are ``int`` epoch seconds (UTC), lengths are ``int`` minutes, wall-clock times are
``int`` minutes since local midnight (0 to 1440). The plain constructors expect values already
in that form; ``Interviewer.build`` and ``AvailabilityRequest.build`` take what a Django caller
has at hand (aware datetimes, ``ZoneInfo`` or zone names, ``datetime.time``, ``timedelta``)
and validate everything, raising ``InvalidDocument``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Literal, TypeAlias
from zoneinfo import ZoneInfo

from .errors import InvalidDocument, describe, type_name

# Re-exported: calendars were defined here before they got a module of their own.
from .events import NO_INTERVALS as NO_INTERVALS
from .events import Calendar as Calendar
from .events import Intervals as Intervals
from .events import UtcTextIntervals as UtcTextIntervals
from .instants import (
    EPOCH_ORDINAL,
    aware_to_epoch,
    epoch_to_datetime,
    parse_local_date,
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
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MODES: tuple[Mode, ...] = ("all", "any")

TimeLike: TypeAlias = time | str
MinutesLike: TypeAlias = int | timedelta


def _api_wall_time(value: object, field: str, is_end: bool) -> int:
    return wall_time_from_time(value, field, is_end=is_end)


def _check_cap(value: object, field: str) -> None:
    if value is not None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidDocument(field, "expected an integer or None")
        if value < 0:
            raise InvalidDocument(field, "must not be negative")


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
    max_per_week: int | None = None

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
        _check_cap(self.max_per_day, "max_per_day")
        _check_cap(self.max_per_week, "max_per_week")

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
        max_per_week: int | None = None,
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
            max_per_week=max_per_week,
        )


def check_horizon(now: int, start: int, end: int) -> None:
    """``now``, ``start`` and ``end`` as epoch seconds, ``start <= end`` at most
    ``MAX_HORIZON_DAYS`` apart."""
    check_instant(now, "now")
    start = check_instant(start, "start")
    end = check_instant(end, "end")
    if end < start:
        raise InvalidDocument("end", "is before start")
    if end - start > MAX_HORIZON_DAYS * 86_400:
        raise InvalidDocument("end", f"at most {MAX_HORIZON_DAYS} days after start")


def check_interviewers(interviewers: object) -> None:
    """A non-empty tuple of ``Interviewer`` with distinct ids."""
    if not isinstance(interviewers, tuple) or not interviewers:
        raise InvalidDocument("interviewers", "expected a non-empty tuple of Interviewer")
    seen: set[str] = set()
    for index, interviewer in enumerate(interviewers):
        if not isinstance(interviewer, Interviewer):
            raise InvalidDocument(f"interviewers[{index}]", "expected an Interviewer")
        if interviewer.id in seen:
            raise InvalidDocument(
                f"interviewers[{index}].id", f"duplicate id {describe(interviewer.id)}"
            )
        seen.add(interviewer.id)


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
        check_horizon(self.now, self.start, self.end)
        check_minutes(self.duration, "duration", positive=True)
        if self.interval is not None:
            check_minutes(self.interval, "interval", positive=True)
        check_minutes(self.min_notice, "min_notice")
        if self.grid_tz is not None:
            load_zone(self.grid_tz, "grid_tz")
        if self.mode not in MODES:
            raise InvalidDocument("mode", f'expected "all" or "any", got {describe(self.mode)}')
        check_interviewers(self.interviewers)

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
