"""``find_slots``: the contract's rules 2 to 4 as sweeps over integer intervals.

Per interviewer: working windows, minus whole local days and weeks at their caps, minus busy
time and interviews widened by the buffers, gives the maximal free windows. Across interviewers
they are intersected (``all``) or united (``any``). Each maximal window yields the starts
``a', a' + interval, …`` where ``a'`` is the first instant at or after
``m = ceil_minute(max(a, now + min_notice, start))`` whose ``grid_tz`` wall-clock minute of
day is a multiple of ``gcd(interval, 60)``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from math import gcd
from typing import overload

from .busy import Bounds, free_within
from .free import MARGIN, calendars, slot_starts, without, working
from .intervals import clip, intersect_all
from .loops import find_loops
from .sessions import LoopRequest, LoopSlot
from .types import AvailabilityRequest, Interval, Slot
from .windows import merge
from .zones import ZoneTable, zone_table


def _starts(
    windows: list[Interval], request: AvailabilityRequest, floor: int, table: ZoneTable
) -> list[int]:
    return slot_starts(
        windows,
        duration=request.duration * 60,
        step=request.step * 60,
        granularity=gcd(request.step, 60),
        floor=floor,
        end=request.end,
        table=table,
    )


@overload
def find_slots(request: AvailabilityRequest) -> list[Slot]: ...
@overload
def find_slots(request: LoopRequest) -> list[LoopSlot]: ...
def find_slots(request: AvailabilityRequest | LoopRequest) -> list[Slot] | list[LoopSlot]:
    """Every slot the request's interviewers can take, sorted by start (see the contract);
    for a ``LoopRequest``, every loop (``loops.find_loops``)."""
    if isinstance(request, LoopRequest):
        return find_loops(request)
    return _find_single(request)


def _find_single(request: AvailabilityRequest) -> list[Slot]:
    floor = max(request.start, request.now + request.min_notice * 60)
    floor = -(-floor // 60) * 60
    if floor >= request.end:
        return []
    duration = request.duration * 60
    # Slots start in [floor, end) and last `duration`: nothing outside matters, and clipping
    # windows to this span changes neither m nor which starts fit.
    low, high = floor, request.end + duration
    grid = zone_table(request.grid_zone, low - MARGIN, high + MARGIN)
    ids = tuple(interviewer.id for interviewer in request.interviewers)
    if request.mode == "all":
        # A slot lies inside one common free window, so windows shorter than the interview
        # are dropped as soon as they appear: subtracting more busy time only shrinks them.
        # Everyone's working hours are intersected first (cheap: a few windows a day), so
        # each calendar is only looked at where the whole panel works.
        hours = []
        blocked: list[Interval] = []
        for interviewer in request.interviewers:
            windows, days = working(interviewer, low, high)
            if not windows:
                return []
            hours.append(windows)
            blocked += days
        large = [calendars(interviewer, blocked) for interviewer in request.interviewers]
        # Where the whole panel works, minus capped days and booked interviews: a few windows
        # a day. Each large calendar is only looked at there, and windows shorter than the
        # interview are dropped as soon as they appear (a slot lies inside one).
        common = without(intersect_all([*hours, [(low, high)]]), blocked)
        common = [(a, b) for a, b in common if b - a >= duration]
        pieces = []
        shared: dict[tuple[object, int, int], Bounds] = {}
        for columns, lead, trail in large:
            windows = common
            for number, busy in enumerate(columns):
                bounds = None
                if number == 0:
                    # Bounds on the common windows are the same for every column of a kind
                    # with the same buffers.
                    kind = (busy.keys, lead, trail)
                    bounds = shared.get(kind)
                    if bounds is None:
                        bounds = shared[kind] = busy.bounds(windows, lead, trail)
                windows = free_within(windows, busy, lead, trail, duration, bounds)
                if not windows:
                    return []
            pieces.append(windows)
        common = [(a, b) for a, b in intersect_all(pieces) if b - a >= duration]
        return [Slot(s, s + duration, ids) for s in _starts(common, request, floor, grid)]
    free = []
    for interviewer in request.interviewers:
        windows, blocked = working(interviewer, low, high)
        columns, lead, trail = calendars(interviewer, blocked)
        windows = without(clip(windows, low, high), blocked)
        for busy in columns:
            windows = free_within(windows, busy, lead, trail)
        free.append(windows)
    union = merge([window for windows in free for window in windows])
    starts = _starts(union, request, floor, grid)
    # Bit i of who[k] says interviewer i is free for the k-th start: each of their free
    # windows covers a contiguous run of starts.
    who = [0] * len(starts)
    for index, windows in enumerate(free):
        bit = 1 << index
        for window_start, window_end in windows:
            first = bisect_left(starts, window_start)
            last = bisect_right(starts, window_end - duration)
            for k in range(first, last):
                who[k] |= bit
    names: dict[int, tuple[str, ...]] = {}
    slots = []
    for s, mask in zip(starts, who, strict=True):
        if mask:
            listed = names.get(mask)
            if listed is None:
                listed = names[mask] = tuple(ids[i] for i in range(len(ids)) if mask >> i & 1)
            slots.append(Slot(s, s + duration, listed))
    return slots
