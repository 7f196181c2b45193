"""Working windows and capped days of one interviewer, as sorted UTC intervals.

Rule 1 of the contract: each local date's hours (the override for that date, else the weekly
hours of its weekday) become instants on that date in the interviewer's zone, resolved with
RFC 5545's rule for wall times in a gap or a fold (see ``ZoneTable.to_utc``). ``24:00`` is the
next local midnight, resolved the same way. Touching or overlapping windows are merged, which
also joins ``[22:00, 24:00]`` on one date to ``[00:00, 02:00]`` on the next.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from itertools import compress
from operator import ge, itemgetter, lt

from .instants import DAY, EPOCH_ORDINAL
from .intervals import start_seconds
from .types import Interval, Interviewer, WallRange
from .zones import ZoneTable

_FIRST = itemgetter(0)
_SECOND = itemgetter(1)


def merge(intervals: Sequence[Interval]) -> list[Interval]:
    """Sorted union of intervals; touching ones are joined, empty ones dropped.

    With starts and ends sorted independently, the union has a gap between the k-th and
    (k+1)-th start exactly when ``ends[k] < starts[k + 1]`` (see ``busy``), so the merge is a
    few C-level passes.
    """
    if not intervals:
        return []
    starts = list(map(_FIRST, intervals))
    ends = list(map(_SECOND, intervals))
    if any(map(ge, starts, ends)):
        kept = list(map(lt, starts, ends))
        starts = list(compress(starts, kept))
        ends = list(compress(ends, kept))
        if not starts:
            return []
    starts.sort()
    ends.sort()
    later = starts[1:]
    gaps = list(map(lt, ends, later))
    return list(
        zip([starts[0], *compress(later, gaps)], [*compress(ends, gaps), ends[-1]], strict=True)
    )


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
    thresholds, offsets = table.thresholds, table.offsets
    # Thresholds at or before the current midnight: while the next one is more than a day
    # away, the whole local date maps to UTC with one offset.
    passed = bisect_right(thresholds, first_day * DAY)
    count = len(thresholds)
    windows: list[Interval] = []
    append = windows.append
    for day in range(first_day, last_day + 1):
        ranges = overrides.get(day)
        if ranges is None:
            # 1970-01-01 was a Thursday, index 3 with Monday as 0.
            ranges = weekly[(day + 3) % 7]
        if not ranges:
            continue
        midnight = day * DAY
        while passed < count and thresholds[passed] <= midnight:
            passed += 1
        if passed == count or thresholds[passed] > midnight + DAY:
            base = midnight - offsets[passed]
            for start, end in ranges:
                append((base + start * 60, base + end * 60))
        else:
            for start, end in ranges:
                append((to_utc(midnight + start * 60), to_utc(midnight + end * 60)))
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


# A local week reaches at most 7 days and an hour or two either side of any instant in it, so
# interviews this far beyond the range decide no week that meets it.
WEEK_REACH = 9 * DAY


def capped_weeks(interviewer: Interviewer, table: ZoneTable, low: int, high: int) -> list[Interval]:
    """Local weeks (Monday 00:00 to the next Monday 00:00), as instants, in which
    ``max_per_week`` interviews or more already start.

    Only weeks meeting ``[low, high)`` matter; ``table`` must cover ``WEEK_REACH`` plus a day
    beyond both ends. Like a capped day, a week's edges are local midnights resolved with
    RFC 5545's rule.
    """
    cap = interviewer.max_per_week
    if cap is None:
        return []
    if cap == 0:
        return [(low, high)]
    local_day = table.local_day
    starts = start_seconds(interviewer.interviews)
    days = [local_day(start) for start in starts if low - WEEK_REACH < start < high + WEEK_REACH]
    # 1970-01-01 (day 0) was a Thursday: local day d's Monday is d - (d + 3) % 7.
    counts = Counter(day - (day + 3) % 7 for day in days)
    to_utc = table.to_utc
    weeks = [
        (to_utc(monday * DAY), to_utc((monday + 7) * DAY))
        for monday, n in counts.items()
        if n >= cap
    ]
    return merge(weeks)
