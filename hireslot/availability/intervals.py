"""Set operations on sorted lists of disjoint half-open intervals ``[start, end)``.

Interval lists are sorted by start, disjoint and non-touching unless said otherwise. The busy
union works on starts and ends sorted *separately*, which lets C-level ``sorted``/``map``/
``compress`` do the per-event work (thousands of calendar events per interviewer).
Blocks (busy unions) are kept as parallel lists of starts and ends; the edges of a union may
overlap by a second after outward rounding of sub-second input, which ``subtract`` tolerates.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import chain, compress, islice, repeat
from operator import add, lt, sub

from .instants import epoch_seconds, text_epochs
from .types import Calendar, Interval, Intervals, UtcTextIntervals

_FEW = 64


def widened_union(events: Sequence[Calendar], lead: int, trail: int) -> tuple[list[int], list[int]]:
    """Union of every non-empty ``[x - lead, y + trail)`` (seconds) for ``[x, y)`` in ``events``.

    Returned as parallel lists of epoch-second starts and ends. Empty events are dropped before
    widening: rule 2 asks whether the buffered slot *overlaps* an event, and nothing overlaps an
    empty one.

    With starts ``S`` and ends ``E`` sorted independently, the union has a gap between the k-th
    and (k+1)-th start exactly when ``E[k] < S[k+1]``: the k+1 events ending before ``S[k+1]``
    must be the k+1 events starting before it. Widening shifts every start and every end by the
    same amount, so it is applied to the union's edges only. The sorting and comparing happen
    on the texts or datetimes themselves, in C; only the union's edges are converted to
    integers.
    """
    groups = [group for group in events if len(group)]
    if not groups:
        return [], []
    if all(type(group) is UtcTextIntervals for group in groups):
        return _text_union(groups, lead, trail)  # type: ignore[arg-type]
    return _datetime_union(
        [
            group.as_intervals() if isinstance(group, UtcTextIntervals) else group
            for group in groups
        ],
        lead,
        trail,
    )


def _text_union(
    groups: list[UtcTextIntervals], lead: int, trail: int
) -> tuple[list[int], list[int]]:
    groups = sorted(groups, key=len, reverse=True)
    starts, ends = groups[0].sorted_starts, groups[0].sorted_ends
    others = groups[1:]
    if sum(map(len, others)) <= _FEW:
        # Booked interviews are a handful next to thousands of calendar events: inserting
        # them into copies is cheaper than sorting everything again.
        if others:
            starts, ends = starts.copy(), ends.copy()
        for group in others:
            for text in group.sorted_starts:
                insort(starts, text)
            for text in group.sorted_ends:
                insort(ends, text)
    else:
        starts = sorted(chain.from_iterable(group.sorted_starts for group in groups))
        ends = sorted(chain.from_iterable(group.sorted_ends for group in groups))
    if not starts:  # every event was empty
        return [], []
    # A mask rather than indices: no int object per event. compress stops at the shorter input,
    # so E[k] pairs with S[k + 1] for k < n - 1.
    later_starts = starts[1:]
    gaps = list(map(lt, ends, later_starts))
    # Texts are whole seconds: no rounding, and the reach is compared on integers.
    gap_ends = text_epochs([*compress(ends, gaps), ends[-1]])
    gap_starts = text_epochs([starts[0], *compress(later_starts, gaps)])
    reach = lead + trail
    if reach:
        # Gap k is kept iff E[k] + reach < S[k+1]; the last end and the first start always stay.
        kept = [*map(lt, map(add, gap_ends, repeat(reach)), islice(gap_starts, 1, None)), True]
        union_ends = list(compress(gap_ends, kept))
        union_starts = [gap_starts[0], *compress(islice(gap_starts, 1, None), kept)]
    else:
        union_starts, union_ends = gap_starts, gap_ends
    if lead:
        union_starts = list(map(sub, union_starts, repeat(lead)))
    if trail:
        union_ends = list(map(add, union_ends, repeat(trail)))
    return union_starts, union_ends


def _datetime_union(groups: list[Intervals], lead: int, trail: int) -> tuple[list[int], list[int]]:
    starts: list[datetime] = []
    ends: list[datetime] = []
    for group in groups:
        if group.has_empty:
            kept = list(map(lt, group.starts, group.ends))
            starts += compress(group.starts, kept)
            ends += compress(group.ends, kept)
        else:
            starts += group.starts
            ends += group.ends
    if not starts:
        return [], []
    starts.sort()
    ends.sort()
    # Without the reach, a gap needs E[k] < S[k+1]; that cheap pass narrows the candidates
    # before any datetime arithmetic.
    candidates = list(compress(range(len(ends) - 1), map(lt, ends, starts[1:])))
    reach = lead + trail
    if reach:
        try:
            later_ends = map(
                add, map(ends.__getitem__, candidates), repeat(timedelta(seconds=reach))
            )
            next_starts = map(starts.__getitem__, map(add, candidates, repeat(1)))
            gaps = list(compress(candidates, map(lt, later_ends, next_starts)))
        except OverflowError:
            # Within a reach of year 1 or 9999: compare as integers instead.
            int_ends = epoch_seconds(ends, round_up=True)
            int_starts = epoch_seconds(starts)
            gaps = [k for k in range(len(ends) - 1) if int_ends[k] + reach < int_starts[k + 1]]
    else:
        gaps = candidates
    union_starts = epoch_seconds([starts[0], *map(starts.__getitem__, map(add, gaps, repeat(1)))])
    union_ends = epoch_seconds([*map(ends.__getitem__, gaps), ends[-1]], round_up=True)
    if lead:
        union_starts = list(map(sub, union_starts, repeat(lead)))
    if trail:
        union_ends = list(map(add, union_ends, repeat(trail)))
    return union_starts, union_ends


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
