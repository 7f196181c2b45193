"""Busy time subtracted from given windows, looking only at the events near them.

An interviewer's calendar holds thousands of events, but a panel only needs it where every
member works (a few hours a day), and anyone only needs it inside their own working hours.
So a large calendar is never merged as a whole: it is kept as its non-empty events' starts and
ends, *each sorted on its own* (``Column``), and for each window ``[a, b)`` four ``bisect``
calls find how many widened events have started and ended by ``a`` and which edges fall inside
the window.

Why that suffices: with each event ``[x, y)`` (``x < y``) widened to ``[x - lead, y + trail)``,
the number of widened events covering an instant ``t`` is

    C(t) = #{x - lead <= t} - #{y + trail <= t}

because every event counted in the second set is counted in the first. With ``S`` and ``E``
the sorted starts and ends, ``C`` is 0 exactly between ``E[k - 1] + trail`` and
``S[k] - lead`` — the gap rule of a union — and inside ``[a, b)`` only the ``k`` whose start
or end falls inside the window can give such a gap (or the window's own edges, when nothing
covers them).

Comparisons happen in the column's own terms (canonical UTC texts or aware datetimes): window
edges are turned into a text or a datetime (``Column.keys``) rather than events into integers,
and only the edges of actual gaps are converted. Sub-second datetimes round outward (starts
down, ends up), as everywhere in the engine: at a whole second ``t``, ``x <= t`` iff
``floor(x) <= t`` and ``y <= t`` iff ``ceil(y) <= t``, so counting against whole-second keys
is exact.

Small calendars (booked interviews) are simply converted, widened and merged as integers
(``small_blocks``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from datetime import datetime
from itertools import compress, repeat
from operator import add, itemgetter, lt, sub
from typing import Any

from .events import Calendar, Intervals, UtcTextIntervals
from .instants import (
    datetime_to_epoch,
    epoch_seconds,
    epoch_to_datetime,
    format_instants,
    text_epochs,
    text_second,
)
from .types import Interval

_FIRST = itemgetter(0)
_SECOND = itemgetter(1)

# Calendars up to this size are converted to integers as a whole.
SMALL = 64

Bounds = tuple[list[Any], list[Any], list[Any], list[Any]]
"""Per window ``[a, b)``: the keys of ``a + lead``, ``b + lead``, ``a - trail``, ``b - trail``."""


class Column:
    """One large calendar's non-empty events: starts and ends each sorted on its own.

    ``keys`` turns integer instants into the columns' comparable form; ``start_second`` and
    ``end_second`` turn one item into epoch seconds (starts rounded down, ends up).
    """

    __slots__ = ("end_second", "ends", "keys", "start_second", "starts")

    def __init__(
        self,
        starts: Sequence[Any],
        ends: Sequence[Any],
        keys: Callable[[list[int]], list[Any]],
        start_second: Callable[[Any], int],
        end_second: Callable[[Any], int],
    ) -> None:
        self.starts = starts
        self.ends = ends
        self.keys = keys
        self.start_second = start_second
        self.end_second = end_second

    def bounds(self, windows: Sequence[Interval], lead: int, trail: int) -> Bounds:
        """What ``free_within`` compares for ``windows`` (shared by columns of one kind)."""
        keys = self.keys
        lows = list(map(_FIRST, windows))
        highs = list(map(_SECOND, windows))
        return (
            keys(list(map(add, lows, repeat(lead)))),
            keys(list(map(add, highs, repeat(lead)))),
            keys(list(map(sub, lows, repeat(trail)))),
            keys(list(map(sub, highs, repeat(trail)))),
        )


def _nonempty(calendar: Intervals) -> tuple[Sequence[datetime], Sequence[datetime]]:
    if calendar.has_empty:
        kept = list(map(lt, calendar.starts, calendar.ends))
        return list(compress(calendar.starts, kept)), list(compress(calendar.ends, kept))
    return calendar.starts, calendar.ends


def _datetimes(instants: list[int]) -> list[datetime]:
    return list(map(epoch_to_datetime, instants))


def _ceil_second(moment: datetime) -> int:
    return datetime_to_epoch(moment, round_up=True)


def column(calendar: Calendar) -> Column:
    """The calendar as a ``Column`` (meant for calendars larger than ``SMALL``)."""
    if isinstance(calendar, UtcTextIntervals):
        return Column(
            calendar.sorted_starts, calendar.sorted_ends, format_instants, text_second, text_second
        )
    starts, ends = _nonempty(calendar)
    return Column(sorted(starts), sorted(ends), _datetimes, datetime_to_epoch, _ceil_second)


def small_blocks(calendar: Calendar, lead: int, trail: int) -> list[Interval]:
    """Every non-empty event ``[x, y)`` of the calendar as ``(x - lead, y + trail)``, unsorted."""
    if isinstance(calendar, UtcTextIntervals):
        starts = text_epochs(calendar.start_texts)
        ends = text_epochs(calendar.end_texts)
    else:
        moments = _nonempty(calendar)
        starts = epoch_seconds(moments[0])
        ends = epoch_seconds(moments[1], round_up=True)
    kept = list(map(lt, starts, ends))
    return list(
        zip(
            map(sub, compress(starts, kept), repeat(lead)),
            map(add, compress(ends, kept), repeat(trail)),
            strict=True,
        )
    )


def free_within(
    windows: Sequence[Interval],
    busy: Column,
    lead: int,
    trail: int,
    shortest: int = 1,
    bounds: Bounds | None = None,
) -> list[Interval]:
    """``windows`` minus every event ``[x, y)`` of ``busy`` widened to ``[x - lead, y + trail)``.

    ``windows`` are sorted, disjoint and non-touching, and so are the pieces returned; pieces
    shorter than ``shortest`` seconds are left out. ``bounds`` is ``busy.bounds(windows, lead,
    trail)``, computed here if not given. Several calendars are subtracted one after the other.
    """
    starts, ends = busy.starts, busy.ends
    start_second, end_second = busy.start_second, busy.end_second
    if bounds is None:
        bounds = busy.bounds(windows, lead, trail)
    free = []
    for (a, b), start_low, start_high, end_low, end_high in zip(windows, *bounds, strict=True):
        first = bisect_right(starts, start_low)
        last = bisect_left(starts, start_high, first)
        done = bisect_right(ends, end_low)
        closing = bisect_left(ends, end_high, done)
        if first == done and first == last:
            if b - a >= shortest:  # nothing covers or touches the window
                free.append((a, b))
            continue
        # C(t) is 0 from ends[k - 1] + trail until starts[k] - lead (or the window's end). The
        # k are those of the starts inside the window, and the one after them, as long as
        # ends[k - 1] falls inside the window too (k <= closing); when k == done == first,
        # nothing covers the window's start.
        for k in range(first, min(last, closing) + 1):
            if k < last:
                start = starts[k]
                if k > done:
                    end = ends[k - 1]
                    if not end < start:
                        continue  # no gap even without the buffers
                    u = end_second(end) + trail
                else:
                    u = a
                v = start_second(start) - lead
            else:
                u = end_second(ends[k - 1]) + trail if k > done else a
                v = b
            if v - u >= shortest:
                free.append((u, v))
    return free
