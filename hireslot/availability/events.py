"""Calendar events as the engine receives them: ``Intervals`` (aware datetimes, from the
Python API) and ``UtcTextIntervals`` (canonical UTC texts, from JSON), both column-wise.

There are thousands per interviewer, so they are checked, sorted and searched with C-level
passes over whole columns rather than converted event by event (see docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import compress, repeat
from operator import attrgetter, ge, gt, le, lt, not_
from typing import TypeAlias, cast

from .errors import InvalidDocument, describe
from .instants import check_aware, utc_dates_valid, utc_texts_valid

_TZINFO = attrgetter("tzinfo")
_LIST_ITEM = list.__getitem__


@dataclass(frozen=True, slots=True)
class Intervals:
    """Calendar intervals ``[start, end)`` as two parallel tuples of aware datetimes.

    Kept as datetimes, column-wise, because there are thousands per interviewer: the engine
    sorts and merges them with C-level passes and converts only the merged edges to integers,
    which is cheaper than converting every instant (see docs/performance.md). Iterating yields
    ``(start, end)`` pairs. ``has_empty`` records whether any interval has ``start == end``.
    """

    starts: tuple[datetime, ...] = ()
    ends: tuple[datetime, ...] = ()
    has_empty: bool = field(init=False, default=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts, ends = self.starts, self.ends
        if type(starts) is not tuple or type(ends) is not tuple or len(starts) != len(ends):
            raise InvalidDocument("", "starts and ends must be tuples of the same length")
        if not starts:
            return
        try:
            naive = None in set(map(_TZINFO, starts))
            # Raises TypeError for anything not comparable with an aware datetime.
            suspicious = any(map(le, ends, starts))
        except (AttributeError, TypeError):
            raise InvalidDocument("", "expected aware datetimes") from None
        if naive:
            raise InvalidDocument("", "datetimes must be aware (have a tzinfo)")
        if suspicious:
            if any(map(lt, ends, starts)):
                raise InvalidDocument("", "an interval ends before it starts")
            object.__setattr__(self, "has_empty", True)

    def __iter__(self) -> Iterator[tuple[datetime, datetime]]:
        return zip(self.starts, self.ends, strict=True)

    def __len__(self) -> int:
        return len(self.starts)

    @classmethod
    def of(cls, pairs: Iterable[Sequence[datetime]], field: str = "") -> Intervals:
        """Validated ``Intervals`` from ``(start, end)`` pairs of aware datetimes."""
        items = pairs if isinstance(pairs, list | tuple) else list(pairs)
        if not items:
            return cls()
        try:
            columns = list(zip(*items, strict=True))
            if len(columns) == 2:
                return cls(tuple(columns[0]), tuple(columns[1]))
        except (TypeError, ValueError):
            pass
        return cls.of_checked(items, field, check_aware)

    @classmethod
    def of_checked(
        cls, items: Sequence[object], field: str, read: Callable[[object, str], datetime]
    ) -> Intervals:
        """Item-by-item construction that names the first bad item in its error."""
        starts = []
        ends = []
        for index, item in enumerate(items):
            where = f"{field}[{index}]"
            if isinstance(item, str | bytes) or not isinstance(item, Sequence) or len(item) != 2:
                raise InvalidDocument(where, f"expected a [start, end] pair, got {describe(item)}")
            start = read(item[0], f"{where}[0]")
            end = read(item[1], f"{where}[1]")
            if end < start:
                raise InvalidDocument(where, "end is before start")
            starts.append(start)
            ends.append(end)
        return cls(tuple(starts), tuple(ends))


NO_INTERVALS = Intervals()


class UtcTextIntervals:
    """Calendar intervals read from JSON whose instants all have the canonical UTC shape
    ``YYYY-MM-DDTHH:MM:SSZ``, which calendar APIs return and which is kept as text.

    For that shape text order is time order, so the columns are checked, sorted and merged as
    strings by C code, and only the edges of the merged busy time become integers (see
    docs/performance.md). It reads like ``Intervals``: iterating yields ``(start, end)`` pairs of
    aware UTC datetimes and ``starts``/``ends`` are tuples of them, built on demand.

    ``start_texts`` and ``end_texts`` are the input columns; ``sorted_starts`` and
    ``sorted_ends`` hold the non-empty intervals' texts, each sorted on its own, as the busy
    union wants them. Use ``read`` to build one.
    """

    __slots__ = ("end_texts", "has_empty", "sorted_ends", "sorted_starts", "start_texts")

    def __init__(
        self,
        start_texts: tuple[str, ...],
        end_texts: tuple[str, ...],
        sorted_starts: list[str],
        sorted_ends: list[str],
        has_empty: bool,
    ) -> None:
        self.start_texts = start_texts
        self.end_texts = end_texts
        self.sorted_starts = sorted_starts
        self.sorted_ends = sorted_ends
        self.has_empty = has_empty

    @classmethod
    def read(cls, pairs: list[object]) -> UtcTextIntervals | None:
        """The intervals of ``[[start, end], ...]``, or None unless every pair is two
        canonical UTC texts with ``start <= end`` (the general reader then takes over)."""
        # Only lists of two: ``list.__getitem__`` refuses anything but a list (a dict's keys
        # would pass for a pair), and once every row has two items, a total of 2n means none
        # has more. (Not zip(*pairs): it would hold an iterator per pair at once and wake the
        # cyclic GC several times.) The items are only known to be strings once
        # utc_texts_valid has checked them.
        rows = cast("list[list[str]]", pairs)
        try:
            start_list = list(map(_LIST_ITEM, rows, repeat(0)))
            end_list = list(map(_LIST_ITEM, rows, repeat(1)))
        except (TypeError, IndexError):
            return None
        if sum(map(len, rows)) != 2 * len(rows):
            return None
        if not utc_texts_valid(start_list + end_list):
            return None
        starts, ends = tuple(start_list), tuple(end_list)
        has_empty = any(map(ge, starts, ends))
        empties: list[str] = []
        if has_empty:
            if any(map(gt, starts, ends)):
                return None
            kept = list(map(lt, starts, ends))
            empties = sorted(compress(starts, map(not_, kept)))
            sorted_starts, sorted_ends = (
                sorted(compress(starts, kept)),
                sorted(compress(ends, kept)),
            )
        else:
            sorted_starts, sorted_ends = sorted(starts), sorted(ends)
        if not (
            utc_dates_valid(sorted_starts)
            and utc_dates_valid(sorted_ends)
            and utc_dates_valid(empties)
        ):
            return None
        return cls(starts, ends, sorted_starts, sorted_ends, has_empty)

    @property
    def starts(self) -> tuple[datetime, ...]:
        return tuple(map(datetime.fromisoformat, self.start_texts))

    @property
    def ends(self) -> tuple[datetime, ...]:
        return tuple(map(datetime.fromisoformat, self.end_texts))

    def __iter__(self) -> Iterator[tuple[datetime, datetime]]:
        return zip(self.starts, self.ends, strict=True)

    def __len__(self) -> int:
        return len(self.start_texts)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, UtcTextIntervals | Intervals):
            return (self.starts, self.ends) == (other.starts, other.ends)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.starts, self.ends))

    def __repr__(self) -> str:
        return f"UtcTextIntervals({len(self)} intervals)"

    def as_intervals(self) -> Intervals:
        """The same intervals as datetimes."""
        return Intervals(self.starts, self.ends)


Calendar: TypeAlias = Intervals | UtcTextIntervals
"""Busy time or booked interviews, as the Python API or the JSON reader built them."""
