"""Loops: ordered sessions booked as one (the contract's ``sessions``), as typed inputs and
outputs.

A session's ``interviewers`` holds *elements*: an interviewer id (a required person) or a
tuple of ids (a *seat*: any one of its members will do). Instants are ``int`` epoch seconds
and lengths ``int`` minutes, as in ``types``; ``Session.build`` and ``LoopRequest.build`` take
what a Django caller has at hand and validate everything, raising ``InvalidDocument``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeAlias
from zoneinfo import ZoneInfo

from .errors import InvalidDocument, describe, type_name
from .instants import aware_to_epoch, epoch_to_datetime
from .types import MODES, Interviewer, MinutesLike, Mode, check_horizon, check_interviewers
from .validation import MAX_MINUTES, check_minutes, load_zone

Element: TypeAlias = str | tuple[str, ...]
"""A required interviewer's id, or a seat: the ids of which any one will do."""


def check_elements(elements: object, field: str, mode: object) -> None:
    """A session's ``interviewers``: a non-empty tuple of ids and non-empty tuples of ids,
    every id at most once, and no seat in ``any`` mode."""
    if not isinstance(elements, tuple) or not elements:
        raise InvalidDocument(field, "must list at least one interviewer")
    seen: set[str] = set()
    for index, element in enumerate(elements):
        where = f"{field}[{index}]"
        if isinstance(element, tuple):
            if mode == "any":
                raise InvalidDocument(where, 'a seat (a list of ids) cannot be used in "any" mode')
            if not element:
                raise InvalidDocument(where, "a seat must list at least one interviewer")
            members = [(f"{where}[{number}]", member) for number, member in enumerate(element)]
        else:
            members = [(where, element)]
        for path, member in members:
            if not isinstance(member, str):
                raise InvalidDocument(path, f"expected an interviewer id, got {type_name(member)}")
            if member in seen:
                raise InvalidDocument(path, f"{describe(member)} appears twice in the session")
            seen.add(member)


@dataclass(frozen=True, slots=True)
class Session:
    """One interview of a loop: ``duration`` minutes with ``interviewers`` (see ``Element``),
    then ``gap_after`` minutes before the next session."""

    id: str
    duration: int
    interviewers: tuple[Element, ...]
    mode: Mode = "all"
    gap_after: int = 0

    def __post_init__(self) -> None:
        if not isinstance(self.id, str):
            raise InvalidDocument("id", f"expected a string, got {type_name(self.id)}")
        check_minutes(self.duration, "duration", positive=True)
        if self.mode not in MODES:
            raise InvalidDocument("mode", f'expected "all" or "any", got {describe(self.mode)}')
        check_elements(self.interviewers, "interviewers", self.mode)
        check_minutes(self.gap_after, "gap_after")

    @property
    def members(self) -> tuple[str, ...]:
        """Every interviewer id of the session, seats flattened, in order."""
        out: list[str] = []
        for element in self.interviewers:
            if isinstance(element, tuple):
                out.extend(element)
            else:
                out.append(element)
        return tuple(out)

    @classmethod
    def build(
        cls,
        *,
        id: str,
        duration: MinutesLike,
        interviewers: Iterable[str | Iterable[str]],
        mode: Mode = "all",
        gap_after: MinutesLike = 0,
    ) -> Session:
        """Validated construction; a seat is any iterable of ids other than a string."""
        if isinstance(interviewers, str):
            raise InvalidDocument("interviewers", "expected a list of ids and seats, got a string")
        elements = tuple(
            element if isinstance(element, str) else tuple(element) for element in interviewers
        )
        return cls(
            id=id,
            duration=check_minutes(duration, "duration", positive=True),
            interviewers=elements,
            mode=mode,
            gap_after=check_minutes(gap_after, "gap_after"),
        )


def check_sessions(sessions: object, interviewers: tuple[Interviewer, ...]) -> None:
    """Distinct session ids, every interviewer id known, and a loop of at most a year."""
    if not isinstance(sessions, tuple) or not sessions:
        raise InvalidDocument("sessions", "must list at least one session")
    known = {interviewer.id for interviewer in interviewers}
    seen: set[str] = set()
    total = 0
    for index, session in enumerate(sessions):
        if not isinstance(session, Session):
            raise InvalidDocument(f"sessions[{index}]", "expected a Session")
        if session.id in seen:
            raise InvalidDocument(f"sessions[{index}].id", f"duplicate id {describe(session.id)}")
        seen.add(session.id)
        for number, element in enumerate(session.interviewers):
            where = f"sessions[{index}].interviewers[{number}]"
            members = element if isinstance(element, tuple) else (element,)
            for position, member in enumerate(members):
                if member not in known:
                    path = f"{where}[{position}]" if isinstance(element, tuple) else where
                    raise InvalidDocument(path, f"unknown interviewer {describe(member)}")
        total += session.duration + (session.gap_after if index < len(sessions) - 1 else 0)
    if total > MAX_MINUTES:
        raise InvalidDocument("sessions", f"the loop must last at most {MAX_MINUTES} minutes")


@dataclass(frozen=True, slots=True)
class LoopRequest:
    """What to search for a loop: starts in ``[start, end)`` every ``interval`` minutes on the
    grid, for which every session finds its interviewers free (see the contract).

    ``grid_tz`` defaults to the first (top-level) interviewer's zone.
    """

    now: int
    start: int
    end: int
    interval: int
    interviewers: tuple[Interviewer, ...]
    sessions: tuple[Session, ...]
    min_notice: int = 0
    grid_tz: ZoneInfo | None = None

    def __post_init__(self) -> None:
        check_horizon(self.now, self.start, self.end)
        check_minutes(self.interval, "interval", positive=True)
        check_minutes(self.min_notice, "min_notice")
        if self.grid_tz is not None:
            load_zone(self.grid_tz, "grid_tz")
        check_interviewers(self.interviewers)
        check_sessions(self.sessions, self.interviewers)

    @property
    def grid_zone(self) -> ZoneInfo:
        """The zone loop starts are aligned to."""
        return self.interviewers[0].tz if self.grid_tz is None else self.grid_tz

    @classmethod
    def build(
        cls,
        *,
        now: datetime,
        start: datetime,
        end: datetime,
        interval: MinutesLike,
        interviewers: Iterable[Interviewer],
        sessions: Iterable[Session],
        min_notice: MinutesLike = 0,
        grid_tz: ZoneInfo | str | None = None,
    ) -> LoopRequest:
        """Validated construction from aware datetimes, minutes or timedeltas, zones or names."""
        return cls(
            now=aware_to_epoch(now, "now", round_up=True),
            start=aware_to_epoch(start, "start", round_up=True),
            end=aware_to_epoch(end, "end", round_up=True),
            interval=check_minutes(interval, "interval", positive=True),
            interviewers=tuple(interviewers),
            sessions=tuple(sessions),
            min_notice=check_minutes(min_notice, "min_notice"),
            grid_tz=None if grid_tz is None else load_zone(grid_tz, "grid_tz"),
        )


@dataclass(frozen=True, slots=True)
class SessionSlot:
    """One session of an offered loop. ``interviewers`` mirrors the session's: in ``all`` mode
    each required id and, for each seat, its members free for the session (in the seat's
    order, never empty); in ``any`` mode every free interviewer."""

    id: str
    start: int
    end: int
    interviewers: tuple[Element, ...]

    @property
    def start_at(self) -> datetime:
        return epoch_to_datetime(self.start)

    @property
    def end_at(self) -> datetime:
        return epoch_to_datetime(self.end)


@dataclass(frozen=True, slots=True, order=True)
class LoopSlot:
    """An offered loop ``[start, end)`` (its first session's start to its last one's end)."""

    start: int
    end: int
    sessions: tuple[SessionSlot, ...]

    @property
    def start_at(self) -> datetime:
        return epoch_to_datetime(self.start)

    @property
    def end_at(self) -> datetime:
        return epoch_to_datetime(self.end)
