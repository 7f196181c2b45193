"""Set operations on sorted lists of disjoint half-open intervals ``[start, end)`` of epoch
seconds (sorted by start, disjoint and non-touching unless said otherwise). Calendars, which
hold thousands of events, are subtracted by ``busy.free_within`` instead.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import chain, compress
from operator import itemgetter, lt

from .events import Calendar, UtcTextIntervals
from .instants import epoch_seconds, text_epochs
from .types import Interval

_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def start_seconds(events: Calendar) -> list[int]:
    """Epoch seconds (floored) of every event's start, empty events included."""
    if isinstance(events, UtcTextIntervals):
        return text_epochs(events.start_texts)
    return epoch_seconds(events.starts)


def subtract(
    windows: Sequence[Interval], block_starts: Sequence[int], block_ends: Sequence[int]
) -> list[Interval]:
    """``windows`` minus the blocks (parallel sorted lists of a disjoint union)."""
    if not block_starts:
        return list(windows)
    free = []
    count = len(block_starts)
    for start, end in windows:
        # First block ending after this window starts; everything before it is irrelevant.
        index = bisect_right(block_ends, start)
        cursor = start
        while index < count and block_starts[index] < end:
            if block_starts[index] > cursor:
                free.append((cursor, block_starts[index]))
            cursor = max(cursor, block_ends[index])
            index += 1
        if cursor < end:
            free.append((cursor, end))
    return free


def intersect(first: Sequence[Interval], second: Sequence[Interval]) -> list[Interval]:
    """Intersection of two sorted disjoint interval lists."""
    out = []
    i = j = 0
    while i < len(first) and j < len(second):
        a_start, a_end = first[i]
        b_start, b_end = second[j]
        start = max(a_start, b_start)
        end = min(a_end, b_end)
        if start < end:
            out.append((start, end))
        if a_end <= b_end:
            i += 1
        else:
            j += 1
    return out


def clip(intervals: Sequence[Interval], low: int, high: int) -> list[Interval]:
    """The parts of ``intervals`` inside ``[low, high)``."""
    out = []
    for start, end in intervals:
        start = max(start, low)
        end = min(end, high)
        if start < end:
            out.append((start, end))
    return out


def intersect_all(sets: Sequence[Sequence[Interval]]) -> list[Interval]:
    """Intersection of several sorted lists of disjoint, non-touching intervals.

    With every list's starts ``S`` and ends ``E`` pooled and sorted, the number of lists
    covering ``t`` is ``#{S <= t} - #{E <= t}`` and never exceeds ``k = len(sets)``. After the
    (j+1)-th start it is ``k`` from ``S[j]`` until the next start or the (j+2-k)-th end, so the
    intersection is every non-empty ``[S[j], min(S[j + 1], E[j + 1 - k]))`` — C-level passes
    over the pooled edges instead of k - 1 pairwise sweeps.
    """
    count = len(sets)
    if not count or not all(sets):
        return []
    starts = sorted(map(_FIRST, chain.from_iterable(sets)))
    ends = sorted(map(_SECOND, chain.from_iterable(sets)))
    lows = starts[count - 1 :]
    highs = list(map(min, [*starts[count:], ends[-1]], ends))
    kept = list(map(lt, lows, highs))
    return list(zip(compress(lows, kept), compress(highs, kept), strict=True))
