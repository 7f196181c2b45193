"""Working windows and capped days of one interviewer, as sorted UTC intervals.

Rule 1 of the contract: each local date's hours (the override for that date, else the weekly
hours of its weekday) become instants on that date in the interviewer's zone, resolved with
RFC 5545's rule for wall times in a gap or a fold (see ``ZoneTable.to_utc``). ``24:00`` is the
next local midnight, resolved the same way. Touching or overlapping windows are merged, which
also joins ``[22:00, 24:00]`` on one date to ``[00:00, 02:00]`` on the next.
"""

from __future__ import annotations

from collections import Counter

from .instants import DAY, EPOCH_ORDINAL
from .intervals import start_seconds
from .types import Interval, Interviewer, WallRange
from .zones import ZoneTable


def merge(intervals: list[Interval]) -> list[Interval]:
    """Sorted union of intervals; touching ones are joined, empty ones dropped."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _hours_by_day(interviewer: Interviewer) -> dict[int, tuple[WallRange, ...]]:
    return {
        day.toordinal() - EPOCH_ORDINAL: ranges for day, ranges in interviewer.overrides.items()
    }


def working_windows(
    interviewer: Interviewer, table: ZoneTable, first_day: int, last_day: int
) -> list[Interval]:
    """Merged working windows from local dates ``first_day`` … ``last_day`` (day numbers)."""
    overrides = _hours_by_day(interviewer)
    weekly = interviewer.weekly
    to_utc = table.to_utc
    windows = []
    for day in range(first_day, last_day + 1):
        ranges = overrides.get(day)
        if ranges is None:
            # 1970-01-01 was a Thursday, index 3 with Monday as 0.
            ranges = weekly[(day + 3) % 7]
        midnight = day * DAY
        for start, end in ranges:
            windows.append((to_utc(midnight + start * 60), to_utc(midnight + end * 60)))
    return merge(windows)


def capped_days(interviewer: Interviewer, table: ZoneTable, low: int, high: int) -> list[Interval]:
    """Local days, as instants, on which ``max_per_day`` interviews or more already start.

    Only days meeting ``[low, high)`` matter; ``table`` must cover three days beyond both ends
    (local days can last more than 24 hours).
    """
    cap = interviewer.max_per_day
    if cap is None:
        return []
    if cap == 0:
        return [(low, high)]
    local_day = table.local_day
    starts = start_seconds(interviewer.interviews)
    counts = Counter(local_day(start) for start in starts if low - 2 * DAY < start < high + 2 * DAY)
    to_utc = table.to_utc
    days = [(to_utc(day * DAY), to_utc((day + 1) * DAY)) for day, n in counts.items() if n >= cap]
    return merge(days)
