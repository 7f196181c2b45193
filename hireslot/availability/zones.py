"""UTC offsets of a zone as plain integer tables, so hot paths never call zoneinfo.

``zoneinfo`` exposes no transition list, so transitions are found by sampling ``utcoffset``
every few hours and bisecting to the exact second wherever the offset changes. That happens
once per zone and 32-day chunk (cached); a request then assembles the chunks covering its
horizon into a ``ZoneTable``, also cached.

Limitation: two transitions less than ``_SAMPLE`` apart that cancel each other out would go
unnoticed. No zone in the tz database does that, and within the supported years (1900 to 2199)
transitions are months apart.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from .instants import DAY, EPOCH

_CHUNK = 32 * DAY
_SAMPLE = 6 * 3600


def _offset(zone: ZoneInfo, instant: int) -> int:
    delta = (EPOCH + timedelta(seconds=instant)).astimezone(zone).utcoffset()
    if delta is None:  # pragma: no cover - a ZoneInfo always has an offset
        raise ValueError(f"{zone.key} has no UTC offset")
    return delta.days * DAY + delta.seconds


def _first_change(zone: ZoneInfo, low: int, high: int, before: int) -> int:
    """Smallest instant in ``(low, high]`` whose offset differs from ``before``."""
    while high - low > 1:
        middle = (low + high) // 2
        if _offset(zone, middle) == before:
            low = middle
        else:
            high = middle
    return high


@lru_cache(maxsize=4096)
def _chunk(zone: ZoneInfo, index: int) -> tuple[int, tuple[tuple[int, int], ...]]:
    """Offset at the chunk's first instant, and ``(instant, new offset)`` changes after it."""
    start = index * _CHUNK
    first = current = _offset(zone, start)
    changes = []
    low = start
    while low < start + _CHUNK:
        high = min(low + _SAMPLE, start + _CHUNK)
        later = _offset(zone, high)
        while later != current:
            instant = _first_change(zone, low, high, current)
            current = _offset(zone, instant)
            changes.append((instant, current))
            low = instant
        low = high
    return first, tuple(changes)


@dataclass(frozen=True, slots=True)
class ZoneTable:
    """Offsets of one zone over a covered span of instants.

    ``offsets[i]`` is in force from ``transitions[i - 1]`` (inclusive) to ``transitions[i]``.
    ``thresholds[i]`` is the local wall-clock second from which a wall time resolves with
    ``offsets[i + 1]`` instead of ``offsets[i]``: for a gap that is the *later* wall time
    (times inside the gap keep the offset from before it), for a fold it is also the later one
    (times inside the fold take their first occurrence) — in both cases
    ``transition + max(before, after)``. That is exactly ``fold=0`` in zoneinfo, which is
    RFC 5545's rule.
    """

    transitions: tuple[int, ...]
    offsets: tuple[int, ...]
    thresholds: tuple[int, ...]

    def offset_at(self, instant: int) -> int:
        """UTC offset in seconds in force at ``instant``."""
        return self.offsets[bisect_right(self.transitions, instant)]

    def local_day(self, instant: int) -> int:
        """Local date of ``instant`` as days since 1970-01-01."""
        return (instant + self.offsets[bisect_right(self.transitions, instant)]) // DAY

    def to_utc(self, wall: int) -> int:
        """Instant of local wall-clock seconds ``wall`` (seconds since 1970-01-01 local)."""
        return wall - self.offsets[bisect_right(self.thresholds, wall)]


@lru_cache(maxsize=1024)
def _table(zone: ZoneInfo, first_chunk: int, last_chunk: int) -> ZoneTable:
    offsets = [_chunk(zone, first_chunk)[0]]
    transitions = []
    for index in range(first_chunk, last_chunk + 1):
        for instant, offset in _chunk(zone, index)[1]:
            transitions.append(instant)
            offsets.append(offset)
    thresholds = [
        instant + max(offsets[i], offsets[i + 1]) for i, instant in enumerate(transitions)
    ]
    return ZoneTable(tuple(transitions), tuple(offsets), tuple(thresholds))


def zone_table(zone: ZoneInfo, low: int, high: int) -> ZoneTable:
    """A table valid for instants (and wall times within a day of them) in ``[low, high]``.

    Queries outside the span get the offset at its nearest edge, so callers widen the span by
    a day or two around what they need.
    """
    return _table(zone, low // _CHUNK, high // _CHUNK)
