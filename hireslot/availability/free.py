"""One interviewer's free time, and slot starts within free windows (rules 2 and 3), shared by
single slots (``engine``) and loops (``loops``).

An interviewer is free for ``[s, s + d)`` iff it lies inside one of their maximal free
windows: working windows, minus whole local days and weeks at their caps, minus busy time and
interviews widened by the buffers. Large calendars are subtracted only inside given windows
(``busy.free_within``), so callers first narrow the windows to where it can matter.
"""

from __future__ import annotations

from bisect import bisect_right

from .busy import SMALL, Column, column, small_blocks
from .instants import DAY
from .intervals import subtract
from .types import Interval, Interviewer
from .windows import WEEK_REACH, capped_days, capped_weeks, merge, working_windows
from .zones import ZoneTable, zone_table

# Zone tables reach this far past the instants a request touches: a local date reaches up
# to a day either side of its UTC date, and capped days are looked up around the edges.
MARGIN = 3 * DAY


def working(interviewer: Interviewer, low: int, high: int) -> tuple[list[Interval], list[Interval]]:
    """The interviewer's working windows meeting ``[low, high)`` and the whole local days and
    weeks at their caps (rule 2 before busy time and interviews)."""
    table = zone_table(interviewer.tz, low - MARGIN, high + MARGIN)
    windows = working_windows(
        interviewer, table, table.local_day(low) - 1, table.local_day(high) + 1
    )
    if not windows:
        return windows, []
    capped = capped_days(interviewer, table, low, high)
    if interviewer.max_per_week is not None:
        wide = zone_table(interviewer.tz, low - WEEK_REACH - MARGIN, high + WEEK_REACH + MARGIN)
        capped += capped_weeks(interviewer, wide, low, high)
    return windows, capped


def without(windows: list[Interval], blocks: list[Interval]) -> list[Interval]:
    """``windows`` minus ``blocks`` (any order, may overlap)."""
    if not blocks or not windows:
        return windows
    blocks = merge(blocks)
    return subtract(windows, [s for s, _ in blocks], [e for _, e in blocks])


def calendars(interviewer: Interviewer, blocked: list[Interval]) -> tuple[list[Column], int, int]:
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


def slot_starts(
    windows: list[Interval],
    *,
    duration: int,
    step: int,
    granularity: int,
    floor: int,
    end: int,
    table: ZoneTable,
) -> list[int]:
    """Rule 3's starts in each maximal free window (``duration`` and ``step`` in seconds)."""
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
