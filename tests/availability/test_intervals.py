"""Interval sweeps: the busy union from independently sorted starts and ends, and subtraction."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hireslot.availability import Intervals
from hireslot.availability.intervals import clip, intersect, subtract, widened_union

BASE = datetime(2026, 3, 2, tzinfo=UTC)
BASE_SECONDS = int(BASE.timestamp())


def _events(*pairs: tuple[float, float]) -> Intervals:
    return Intervals.of(
        [(BASE + timedelta(seconds=a), BASE + timedelta(seconds=b)) for a, b in pairs]
    )


def _relative(union: tuple[list[int], list[int]]) -> list[tuple[int, int]]:
    starts, ends = union
    return [(a - BASE_SECONDS, b - BASE_SECONDS) for a, b in zip(starts, ends, strict=True)]


def _naive_union(pairs: list[tuple[int, int]], lead: int, trail: int) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted((a - lead, b + trail) for a, b in pairs if a < b):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def test_union_merges_overlapping_and_touching_events() -> None:
    events = _events((50, 60), (0, 10), (5, 20), (20, 30))
    assert _relative(widened_union([events], 0, 0)) == [(0, 30), (50, 60)]


def test_widening_can_join_events() -> None:
    events = _events((0, 10), (30, 40))
    # Gap of 20 s: a total reach of 20 makes the widened events touch, 19 does not.
    assert _relative(widened_union([events], 10, 10)) == [(-10, 50)]
    assert _relative(widened_union([events], 10, 9)) == [(-10, 19), (20, 49)]


def test_empty_events_are_ignored_even_with_buffers() -> None:
    events = _events((10, 10), (30, 40))
    assert _relative(widened_union([events], 60, 60)) == [(-30, 100)]


def test_sub_second_edges_round_outward() -> None:
    events = _events((10.25, 20.5))
    assert _relative(widened_union([events], 0, 0)) == [(10, 21)]


def test_union_matches_a_plain_sort_and_merge() -> None:
    rng = random.Random(7)
    for _ in range(300):
        pairs = []
        for _ in range(rng.randrange(1, 40)):
            a = rng.randrange(0, 500)
            pairs.append((a, a + rng.choice((0, 1, 5, 20, 60))))
        lead, trail = rng.choice((0, 3)), rng.choice((0, 7))
        events = _events(*pairs)
        assert _relative(widened_union([events], lead, trail)) == _naive_union(pairs, lead, trail)


def test_union_near_the_end_of_time_does_not_overflow() -> None:
    late = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    events = Intervals.of([(late, late + timedelta(minutes=30))])
    starts, ends = widened_union([events], 0, 2 * 3600)
    assert ends[0] - starts[0] == 30 * 60 + 2 * 3600


def test_subtract_intersect_and_clip() -> None:
    windows = [(0, 100), (200, 300)]
    assert subtract(windows, [50, 90, 250], [60, 210, 260]) == [
        (0, 50),
        (60, 90),
        (210, 250),
        (260, 300),
    ]
    assert subtract(windows, [], []) == windows
    assert intersect([(0, 100), (200, 300)], [(50, 250)]) == [(50, 100), (200, 250)]
    assert clip(windows, 50, 250) == [(50, 100), (200, 250)]
