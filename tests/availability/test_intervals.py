"""Interval sweeps: busy time subtracted from windows (independently sorted starts and ends,
only the events near the windows), intersections, subtraction."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from hireslot.availability import AvailabilityRequest, Intervals, Interviewer, find_slots
from hireslot.availability.busy import SMALL, column, free_within, small_blocks
from hireslot.availability.instants import format_instant
from hireslot.availability.intervals import clip, intersect, intersect_all, subtract
from hireslot.availability.types import Calendar, UtcTextIntervals
from hireslot.availability.windows import merge

BASE = datetime(2026, 3, 2, tzinfo=UTC)
BASE_SECONDS = int(BASE.timestamp())


def _datetimes(pairs: list[tuple[float, float]]) -> Intervals:
    return Intervals.of(
        [(BASE + timedelta(seconds=a), BASE + timedelta(seconds=b)) for a, b in pairs]
    )


def _texts(pairs: list[tuple[int, int]]) -> UtcTextIntervals:
    rows: list[object] = [
        [format_instant(BASE_SECONDS + a), format_instant(BASE_SECONDS + b)] for a, b in pairs
    ]
    read = UtcTextIntervals.read(rows)
    assert read is not None
    return read


def _subtract(
    calendar: Calendar, windows: list[tuple[int, int]], lead: int, trail: int, shortest: int = 1
) -> list[tuple[int, int]]:
    """What the engine does with one calendar: a column if large, integer blocks if small."""
    absolute = [(BASE_SECONDS + a, BASE_SECONDS + b) for a, b in windows]
    if len(calendar) > SMALL:
        free = free_within(absolute, column(calendar), lead, trail, shortest)
    else:
        blocks = merge(small_blocks(calendar, lead, trail))
        free = subtract(absolute, [a for a, _ in blocks], [b for _, b in blocks])
        free = [(a, b) for a, b in free if b - a >= shortest]
    return [(a - BASE_SECONDS, b - BASE_SECONDS) for a, b in free]


def _merged(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(pairs):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _naive(
    events: list[tuple[float, float]],
    windows: list[tuple[int, int]],
    lead: int,
    trail: int,
    shortest: int = 1,
) -> list[tuple[int, int]]:
    """Windows minus the widened events, second by second (edges rounded outward)."""
    blocked = set()
    for a, b in events:
        if a < b:
            blocked.update(range(int(a // 1) - lead, -int(-b // 1) + trail))
    free: list[tuple[int, int]] = []
    for low, high in windows:
        run = None
        for second in range(low, high + 1):
            if second < high and second not in blocked:
                run = second if run is None else run
            elif run is not None:
                if second - run >= shortest:
                    free.append((run, second))
                run = None
    return free


def _random_case(rng: random.Random) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    events = []
    for _ in range(rng.choice((1, 5, 40, SMALL + 1, 150))):
        a = rng.randrange(-100, 900)
        events.append((a, a + rng.choice((0, 1, 5, 20, 60, 200))))
    windows = _merged([(a, a + rng.randrange(1, 200)) for a in rng.sample(range(0, 800), 6)])
    # Windows must not touch.
    windows = [w for i, w in enumerate(windows) if i == 0 or windows[i - 1][1] < w[0]]
    return events, windows


def test_subtracting_a_text_calendar_matches_second_by_second() -> None:
    rng = random.Random(7)
    for _ in range(400):
        events, windows = _random_case(rng)
        lead, trail, shortest = rng.choice((0, 3, 60)), rng.choice((0, 7)), rng.choice((1, 30))
        expected = _naive([(a, b) for a, b in events], windows, lead, trail, shortest)
        assert _subtract(_texts(events), windows, lead, trail, shortest) == expected


def test_subtracting_a_datetime_calendar_rounds_outward() -> None:
    rng = random.Random(11)
    for _ in range(400):
        pairs, windows = _random_case(rng)
        events = [
            (a + rng.choice((0, 0.25, 0.5)), b + rng.choice((0, 0.5, 0.75))) for a, b in pairs
        ]
        events = [(a, max(a, b)) for a, b in events]
        lead, trail, shortest = rng.choice((0, 3)), rng.choice((0, 7)), rng.choice((1, 30))
        expected = _naive(events, windows, lead, trail, shortest)
        assert _subtract(_datetimes(events), windows, lead, trail, shortest) == expected


def test_widening_can_join_events() -> None:
    events = [(0, 10), (30, 40)] * 40  # large enough for a column
    # A gap of 20 s: a total reach of 20 closes it, 19 leaves one second.
    assert _subtract(_texts(events), [(-100, 100)], 10, 10) == [(-100, -10), (50, 100)]
    assert _subtract(_texts(events), [(-100, 100)], 10, 9) == [(-100, -10), (19, 20), (49, 100)]


def test_empty_events_are_ignored_even_with_buffers() -> None:
    for events in ([(10, 10), (30, 40)], [(10, 10), (30, 40)] * 40):
        assert _subtract(_texts(events), [(-100, 200)], 60, 60) == [(-100, -30), (100, 200)]
        assert _subtract(_datetimes(events), [(-100, 200)], 60, 60) == [(-100, -30), (100, 200)]


@pytest.mark.parametrize("copies", [1, SMALL + 1])
def test_sub_second_edges_round_outward(copies: int) -> None:
    events = _datetimes([(10.25, 20.5)] * copies)
    assert _subtract(events, [(0, 30)], 0, 0) == [(0, 10), (21, 30)]


def test_events_far_from_the_horizon_do_not_overflow() -> None:
    late = datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    early = datetime(1, 1, 1, 1, 0, tzinfo=UTC)
    busy = [(late, late + timedelta(minutes=30)), (early, early + timedelta(hours=1))] * SMALL
    person = Interviewer.build(
        id="a", tz="UTC", weekly={"mon": [("09:00", "10:00")]}, busy=busy, buffer_before=120
    )
    request = AvailabilityRequest.build(
        now=BASE, start=BASE, end=BASE + timedelta(days=1), duration=60, interviewers=[person]
    )
    assert [slot.start_at for slot in find_slots(request)] == [BASE + timedelta(hours=9)]


def test_intersect_all_matches_pairwise_intersection() -> None:
    rng = random.Random(3)
    for _ in range(300):
        sets = []
        for _ in range(rng.randrange(1, 6)):
            starts = sorted(rng.sample(range(0, 300), rng.randrange(0, 12)))
            pieces = _merged([(a, a + rng.randrange(1, 40)) for a in starts])
            sets.append([w for i, w in enumerate(pieces) if i == 0 or pieces[i - 1][1] < w[0]])
        expected = sets[0]
        for other in sets[1:]:
            expected = intersect(expected, other)
        assert intersect_all(sets) == expected


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
    assert intersect_all([[(0, 100), (200, 300)], [(50, 250)], [(60, 220)]]) == [
        (60, 100),
        (200, 220),
    ]
    assert intersect_all([[(0, 100)], []]) == []
    assert clip(windows, 50, 250) == [(50, 100), (200, 250)]
