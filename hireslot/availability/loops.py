"""``find_loops``: the contract's loop semantics as sweeps over integer intervals.

The first session decides the candidate starts (rule 3 on its maximal free windows: the
intersection over its elements, a seat contributing the union of its members' free windows, or
in ``any`` mode the union over everyone). Then each session in turn, the first included, keeps
the candidates at which it is free and records who is: a person is free for a session iff it
lies inside one of their free windows, and the windows a session needs are only computed where
its surviving candidates place it (the union of those session times), so a calendar is only
looked at there.

Within a set of windows, dropping pieces shorter than the session is harmless wherever only
containment matters (a session lies inside one piece); the one place it is not is a seat's
members in the first session, whose short pieces may join into a longer union window and move
where rule 3 starts counting.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from itertools import chain
from math import gcd
from typing import TypeAlias

from .busy import Column, free_within
from .free import MARGIN, calendars, slot_starts, without, working
from .intervals import intersect_all
from .sessions import Element, LoopRequest, LoopSlot, Session, SessionSlot
from .types import Interval, Interviewer
from .windows import merge
from .zones import zone_table


class _Person:
    """One interviewer's working windows minus capped days and weeks and small calendars
    (``hours``) over the loops' span, and their large calendars, subtracted on demand."""

    __slots__ = ("columns", "hours", "lead", "trail")

    def __init__(self, interviewer: Interviewer, low: int, high: int) -> None:
        windows, blocked = working(interviewer, low, high)
        columns, lead, trail = calendars(interviewer, blocked)
        self.hours = without(intersect_all([windows, [(low, high)]]), blocked)
        self.columns: list[Column] = columns
        self.lead = lead
        self.trail = trail

    def free(self, region: Sequence[Interval], shortest: int) -> list[Interval]:
        """Their free windows within ``region`` (sorted, disjoint, non-touching), leaving out
        pieces shorter than ``shortest`` seconds."""
        pieces = [(a, b) for a, b in intersect_all([self.hours, region]) if b - a >= shortest]
        for busy in self.columns:
            if not pieces:
                break
            pieces = free_within(pieces, busy, self.lead, self.trail, shortest)
        return pieces


_PersonOf: TypeAlias = Callable[[str], _Person]


def _long(windows: Sequence[Interval], shortest: int) -> list[Interval]:
    return [(a, b) for a, b in windows if b - a >= shortest]


def _mark(
    times: Sequence[int], pieces: Sequence[Interval], length: int, bit: int, masks: list[int]
) -> None:
    """Set ``bit`` in ``masks[k]`` for every ``[times[k], times[k] + length)`` inside a piece:
    each piece covers a contiguous run of the sorted times."""
    for a, b in pieces:
        for k in range(bisect_left(times, a), bisect_right(times, b - length)):
            masks[k] |= bit


def _runs(times: Sequence[int], length: int) -> list[Interval]:
    """The union of ``[t, t + length)`` over sorted ``times``, touching runs joined."""
    runs: list[Interval] = []
    if not times:
        return runs
    low, high = times[0], times[0] + length
    for t in times:
        if t > high:
            runs.append((low, high))
            low = t
        high = t + length
    runs.append((low, high))
    return runs


class _Reading:
    """How one session's masks read: bit ``i`` is ``flat[i]`` free; in ``all`` mode only seat
    members have bits (bit 0 alone means "the required people are free" when there is no
    seat), in ``any`` mode everyone has one. ``elements(mask)`` is the session's output, or
    None when the session is not free."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.seats = [e for e in session.interviewers if isinstance(e, tuple)]
        if session.mode == "any":
            self.flat: tuple[str, ...] = session.members
        else:
            self.flat = tuple(chain.from_iterable(self.seats))
        self._cache: dict[int, tuple[Element, ...] | None] = {}

    def elements(self, mask: int) -> tuple[Element, ...] | None:
        if mask in self._cache:
            return self._cache[mask]
        answer = self._cache[mask] = self._read(mask)
        return answer

    def _read(self, mask: int) -> tuple[Element, ...] | None:
        if not mask:
            return None
        if self.session.mode == "any":
            return tuple(name for i, name in enumerate(self.flat) if mask >> i & 1)
        out: list[Element] = []
        bit = 0
        for element in self.session.interviewers:
            if isinstance(element, str):
                out.append(element)
                continue
            free = tuple(name for i, name in enumerate(element) if mask >> (bit + i) & 1)
            if not free:
                return None
            out.append(free)
            bit += len(element)
        return tuple(out)


def find_loops(request: LoopRequest) -> list[LoopSlot]:
    """Every loop the request's sessions can take, sorted by start (see the contract)."""
    floor = max(request.start, request.now + request.min_notice * 60)
    floor = -(-floor // 60) * 60
    if floor >= request.end:
        return []
    sessions = request.sessions
    offsets = []
    elapsed = 0
    for session in sessions:
        offsets.append(elapsed)
        elapsed += (session.duration + session.gap_after) * 60
    length = offsets[-1] + sessions[-1].duration * 60
    # Loops start in [floor, end) and last `length`: nothing outside matters.
    low, high = floor, request.end + length
    by_id = {interviewer.id: interviewer for interviewer in request.interviewers}
    people: dict[str, _Person] = {}

    def person(name: str) -> _Person:
        found = people.get(name)
        if found is None:
            found = people[name] = _Person(by_id[name], low, high)
        return found

    grid = zone_table(request.grid_zone, low - MARGIN, high + MARGIN)
    first = sessions[0]
    reading = _Reading(first)
    duration = first.duration * 60
    # The first session's free windows, exact, and who is free within them.
    span = [(low, request.end + duration)]
    pieces: list[tuple[int, list[Interval]]] = []
    if first.mode == "any":
        pieces = [(1 << i, person(name).free(span, 1)) for i, name in enumerate(reading.flat)]
        windows = merge(list(chain.from_iterable(free for _, free in pieces)))
    else:
        windows = _common(first, span, person)
        bit = 1
        for seat in reading.seats:
            # Short pieces too: they may join into a longer union window, and so move where
            # rule 3 starts counting.
            seated = [(bit << i, person(name).free(windows, 1)) for i, name in enumerate(seat)]
            windows = _long(merge(list(chain.from_iterable(free for _, free in seated))), duration)
            pieces += seated
            bit <<= len(seat)
    starts = slot_starts(
        windows,
        duration=duration,
        step=request.interval * 60,
        granularity=gcd(request.interval, 60),
        floor=floor,
        end=request.end,
        table=grid,
    )
    # Every start lies inside one window, so inside one free piece of each required person.
    masks = [0 if pieces else 1] * len(starts)
    for bit, free in pieces:
        _mark(starts, free, duration, bit, masks)
    chosen: list[list[tuple[Element, ...]]] = [[] for _ in starts]
    for number, (session, offset) in enumerate(zip(sessions, offsets, strict=True)):
        if number:
            if not starts:
                return []
            reading = _Reading(session)
            masks = _masks(session, reading, [s + offset for s in starts], person)
        kept_starts, kept_chosen = [], []
        for s, picked, mask in zip(starts, chosen, masks, strict=True):
            elements = reading.elements(mask)
            if elements is not None:
                picked.append(elements)
                kept_starts.append(s)
                kept_chosen.append(picked)
        starts, chosen = kept_starts, kept_chosen
    loops = []
    for s, picked in zip(starts, chosen, strict=True):
        parts = tuple(
            SessionSlot(session.id, s + offset, s + offset + session.duration * 60, elements)
            for session, offset, elements in zip(sessions, offsets, picked, strict=True)
        )
        loops.append(LoopSlot(s, s + length, parts))
    return loops


def _common(session: Session, region: list[Interval], person: _PersonOf) -> list[Interval]:
    """Where every required person of an ``all`` session is free and each seat has a member
    at work, within ``region``; pieces shorter than the session left out.

    Working hours (cheap: a few windows a day) are intersected first, so each required
    person's calendar is only looked at where everyone could be, and each one after the first
    only where the ones before are free.
    """
    duration = session.duration * 60
    sets = [region]
    for element in session.interviewers:
        if isinstance(element, tuple):
            sets.append(merge(list(chain.from_iterable(person(m).hours for m in element))))
        else:
            sets.append(person(element).hours)
    windows = _long(intersect_all(sets), duration)
    for element in session.interviewers:
        if isinstance(element, str) and windows:
            windows = person(element).free(windows, duration)
    return windows


def _masks(session: Session, reading: _Reading, times: list[int], person: _PersonOf) -> list[int]:
    """Per time, the bits of ``reading.flat`` free for ``[t, t + duration)`` (bit 0 for
    "the required people are free" in an ``all`` session without seats)."""
    duration = session.duration * 60
    masks = [0] * len(times)
    region = _runs(times, duration)
    if session.mode == "any":
        for i, name in enumerate(reading.flat):
            _mark(times, person(name).free(region, duration), duration, 1 << i, masks)
        return masks
    windows = _common(session, region, person)
    if not reading.seats:
        _mark(times, windows, duration, 1, masks)
        return masks
    # A seat member free inside `windows` makes the required people free too.
    for i, name in enumerate(reading.flat):
        _mark(times, person(name).free(windows, duration), duration, 1 << i, masks)
    return masks
