"""Working windows (rule 1): local dates, overrides, 24:00, gaps, folds and merging."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from hireslot.availability import Interviewer
from hireslot.availability.instants import DAY
from hireslot.availability.windows import capped_days, merge, working_windows
from hireslot.availability.zones import zone_table


def _day(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()) // DAY


def _utc(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%MZ")


def _windows(person: Interviewer, first: str, last: str) -> list[tuple[str, str]]:
    low, high = _day(first), _day(last)
    table = zone_table(person.tz, (low - 3) * DAY, (high + 3) * DAY)
    return [(_utc(a), _utc(b)) for a, b in working_windows(person, table, low, high)]


def test_weekly_hours_apply_on_their_weekday_only() -> None:
    person = Interviewer.build(id="a", tz="UTC", weekly={"wed": [("09:00", "10:00")]})
    # 2026-03-02 is a Monday.
    assert _windows(person, "2026-03-02", "2026-03-08") == [
        ("2026-03-04T09:00Z", "2026-03-04T10:00Z")
    ]


def test_override_replaces_the_day_and_empty_override_is_a_day_off() -> None:
    person = Interviewer.build(
        id="a",
        tz="UTC",
        weekly={"mon": [("09:00", "10:00")], "tue": [("09:00", "10:00")]},
        overrides={date(2026, 3, 2): [("14:00", "15:00")], "2026-03-03": []},
    )
    assert _windows(person, "2026-03-02", "2026-03-03") == [
        ("2026-03-02T14:00Z", "2026-03-02T15:00Z")
    ]


def test_touching_and_overlapping_ranges_merge_across_midnight() -> None:
    person = Interviewer.build(
        id="a",
        tz="Europe/Berlin",
        weekly={
            "mon": [("20:00", "24:00"), ("08:00", "12:00"), ("11:00", "13:00")],
            "tue": [("00:00", "02:00")],
        },
    )
    # Berlin is +01:00 in early March.
    assert _windows(person, "2026-03-02", "2026-03-03") == [
        ("2026-03-02T07:00Z", "2026-03-02T12:00Z"),
        ("2026-03-02T19:00Z", "2026-03-03T01:00Z"),
    ]


def test_24_00_is_the_next_local_midnight_even_on_a_23_hour_day() -> None:
    person = Interviewer.build(id="a", tz="Europe/London", weekly={"sun": [("00:00", "24:00")]})
    assert _windows(person, "2026-03-29", "2026-03-29") == [
        ("2026-03-29T00:00Z", "2026-03-29T23:00Z")
    ]


def test_a_25_hour_day() -> None:
    person = Interviewer.build(id="a", tz="Europe/London", weekly={"sun": [("00:00", "24:00")]})
    assert _windows(person, "2026-10-25", "2026-10-25") == [
        ("2026-10-24T23:00Z", "2026-10-26T00:00Z")
    ]


def test_merge_joins_touching_and_drops_empty() -> None:
    assert merge([(5, 7), (1, 3), (3, 4), (8, 8), (6, 9)]) == [(1, 4), (5, 9)]


def test_capped_days_count_interview_starts_by_local_date() -> None:
    # Two interviews starting 23:30 and 00:30 New York time fall on different local dates.
    person = Interviewer.build(
        id="a",
        tz="America/New_York",
        interviews=[
            (datetime(2026, 3, 3, 4, 30, tzinfo=UTC), datetime(2026, 3, 3, 5, 0, tzinfo=UTC)),
            (datetime(2026, 3, 3, 5, 30, tzinfo=UTC), datetime(2026, 3, 3, 6, 0, tzinfo=UTC)),
        ],
        max_per_day=2,
    )
    low, high = _day("2026-03-01") * DAY, _day("2026-03-06") * DAY
    table = zone_table(ZoneInfo("America/New_York"), low - 3 * DAY, high + 3 * DAY)
    assert capped_days(person, table, low, high) == []
    capped = Interviewer.build(
        id="a", tz="America/New_York", interviews=list(person.interviews), max_per_day=1
    )
    assert [(_utc(a), _utc(b)) for a, b in capped_days(capped, table, low, high)] == [
        ("2026-03-02T05:00Z", "2026-03-04T05:00Z")
    ]
