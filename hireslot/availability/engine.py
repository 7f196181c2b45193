"""``find_slots``: the contract's rules 2 to 4 as sweeps over integer intervals.

Per interviewer: working windows, minus whole local days at the ``max_per_day`` cap, minus busy
time and interviews widened by the buffers, gives the maximal free windows. Across interviewers
they are intersected (``all``) or united (``any``). Each maximal window yields the starts
``a', a' + interval, …`` where ``a'`` is the first instant at or after
``m = ceil_minute(max(a, now + min_notice, start))`` whose ``grid_tz`` wall-clock minute of
day is a multiple of ``gcd(interval, 60)``.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from math import gcd

from .busy import SMALL, Bounds, Column, column, free_within, small_blocks
from .instants import DAY
from .intervals import clip, intersect_all, subtract
from .types import AvailabilityRequest, Interval, Interviewer, Slot
from .windows import capped_days, merge, working_windows
from .zones import ZoneTable, zone_table

# Zone tables reach this far past the instants a request touches: a local date reaches up
# to a day either side of its UTC date, and capped days are looked up around the edges.
_MARGIN = 3 * DAY


def _working(
    interviewer: Interviewer, low: int, high: int
) -> tuple[list[Interval], list[Interval]]:
    """The interviewer's working windows meeting ``[low, high)`` and the whole local days at
    their ``max_per_day`` cap (rule 2 before busy time and interviews)."""
    table = zone_table(interviewer.tz, low - _MARGIN, high + _MARGIN)
    windows = working_windows(
        interviewer, table, table.local_day(low) - 1, table.local_day(high) + 1
    )
    return windows, capped_days(interviewer, table, low, high) if windows else []


def _without(windows: list[Interval], days: list[Interval]) -> list[Interval]:
    if not days or not windows:
        return windows
    days = merge(days)
    return subtract(windows, [s for s, _ in days], [e for _, e in days])


def _calendars(interviewer: Interviewer, blocked: list[Interval]) -> tuple[list[Column], int, int]:
    """The interviewer's large calendars as columns, and the buffers as ``(lead, trail)``
    seconds; small calendars go into ``blocked``, widened.

    The buffered slot ``[s - before, s + d + after)`` meets ``[x, y)`` iff the slot meets
    ``[x - after, y + before)``.
    """
    lead, trail = interviewer.buffer_after * 60, interviewer.buffer_before * 60
    large = []
    for calendar in (interviewer.busy, interviewer.interviews):
        if len(calendar) > SMALL:
            large.append(column(calendar))
        elif len(calendar):
            blocked += small_blocks(calendar, lead, trail)
    return large, lead, trail


def aligned_start(earliest: int, granularity: int, table: ZoneTable) -> int:
    """First instant ``t >= earliest`` whose wall-clock minute of day is a multiple of
    ``granularity`` (a divisor of 60) in the table's zone.

    The minute of day is a multiple of g iff local seconds mod 60·g is below 60 (g divides
    1440, so days do not disturb the count). Within one offset that is plain arithmetic; if the
    answer falls past the next transition, the search restarts at the transition with the new
    offset — so a gap that jumps over the aligned wall time lands on the first aligned time
    after it, and an offset with seconds (historic LMT) is handled the same way.
    """
    period = 60 * granularity
    transitions = table.transitions
    offsets = table.offsets
    index = bisect_right(transitions, earliest)
    candidate = earliest
    while True:
        remainder = (candidate + offsets[index]) % period
        if remainder >= 60:
            candidate += period - remainder
        if index == len(transitions) or candidate < transitions[index]:
            return candidate
        candidate = transitions[index]
        index += 1


def _starts(
    windows: list[Interval],
    request: AvailabilityRequest,
    floor: int,
    table: ZoneTable,
) -> list[int]:
    duration = request.duration * 60
    step = request.step * 60
    granularity = gcd(request.step, 60)
    end = request.end
    starts: list[int] = []
    for window_start, window_end in windows:
        earliest = max(window_start, floor)
        earliest = -(-earliest // 60) * 60
        first = aligned_start(earliest, granularity, table)
        # Starts s with s + duration <= window_end and s < end.
        stop = min(window_end - duration + 1, end)
        if first < stop:
            starts.extend(range(first, stop, step))
    return starts


def find_slots(request: AvailabilityRequest) -> list[Slot]:
    """Every slot the request's interviewers can take, sorted by start (see the contract)."""
    floor = max(request.start, request.now + request.min_notice * 60)
    floor = -(-floor // 60) * 60
    if floor >= request.end:
        return []
    duration = request.duration * 60
    # Slots start in [floor, end) and last `duration`: nothing outside matters, and clipping
    # windows to this span changes neither m nor which starts fit.
    low, high = floor, request.end + duration
    grid = zone_table(request.grid_zone, low - _MARGIN, high + _MARGIN)
    ids = tuple(interviewer.id for interviewer in request.interviewers)
    if request.mode == "all":
        # A slot lies inside one common free window, so windows shorter than the interview
        # are dropped as soon as they appear: subtracting more busy time only shrinks them.
        # Everyone's working hours are intersected first (cheap: a few windows a day), so
        # each calendar is only looked at where the whole panel works.
        working = []
        blocked: list[Interval] = []
        for interviewer in request.interviewers:
            windows, days = _working(interviewer, low, high)
            if not windows:
                return []
            working.append(windows)
            blocked += days
        large = [_calendars(interviewer, blocked) for interviewer in request.interviewers]
        # Where the whole panel works, minus capped days and booked interviews: a few windows
        # a day. Each large calendar is only looked at there, and windows shorter than the
        # interview are dropped as soon as they appear (a slot lies inside one).
        common = _without(intersect_all([*working, [(low, high)]]), blocked)
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
        windows, blocked = _working(interviewer, low, high)
        columns, lead, trail = _calendars(interviewer, blocked)
        windows = _without(clip(windows, low, high), blocked)
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
