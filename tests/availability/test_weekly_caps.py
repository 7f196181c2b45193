"""``max_per_week``: local weeks (Monday 00:00 to Monday 00:00 in the interviewer's zone),
counted like the daily cap, across clock changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hireslot.availability import Interviewer, InvalidDocument, parse_document

from .helpers import api_starts, single

EVERY_DAY = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def test_a_full_week_is_closed_from_local_monday_to_local_monday_across_spring_forward() -> None:
    # Given a New York interviewer free around the clock with max_per_week 1 and one interview
    # on Sunday 8 March at 23:30 EDT (03:30Z on the 9th, the day clocks sprang forward), when
    # asked for hourly slots from Saturday 28 February, then nothing is offered from Monday
    # 2 March 00:00 EST (05:00Z) to Monday 9 March 00:00 EDT (04:00Z, an hour earlier in UTC).
    document = single(
        "America/New_York",
        start="2026-02-28T00:00:00Z",
        end="2026-03-10T00:00:00Z",
        duration=60,
        weekly=EVERY_DAY,
        interviews=[["2026-03-09T03:30:00Z", "2026-03-09T03:45:00Z"]],
        max_per_week=1,
    )
    starts = api_starts(document)
    assert "2026-03-02T04:00:00Z" in starts  # Sunday 1 March, 23:00 EST
    assert "2026-03-02T05:00:00Z" not in starts
    assert not [s for s in starts if "2026-03-02T05" <= s < "2026-03-09T04"]
    # Monday 9 March, 00:00 EDT; 03:00Z is Sunday 23:00 EDT, still the capped week.
    assert "2026-03-09T03:00:00Z" not in starts
    assert "2026-03-09T04:00:00Z" in starts


def test_an_interview_just_after_local_monday_midnight_counts_in_the_new_week_at_fall_back() -> (
    None
):
    # London's week of 19 October lasts 169 hours (clocks go back on Sunday the 25th). An
    # interview at Monday 26 October 00:30 GMT caps the week starting that Monday, not the one
    # before; a slot at Sunday 23:00 GMT is still offered.
    document = single(
        "Europe/London",
        start="2026-10-25T20:00:00Z",
        end="2026-10-26T03:00:00Z",
        duration=60,
        weekly=EVERY_DAY,
        interviews=[["2026-10-26T00:30:00Z", "2026-10-26T01:00:00Z"]],
        max_per_week=1,
    )
    starts = api_starts(document)
    assert starts[-1] == "2026-10-25T23:00:00Z"
    assert starts == [f"2026-10-25T{h}:00:00Z" for h in range(20, 24)]


def test_a_week_at_the_cap_closes_a_slot_that_only_touches_it() -> None:
    # A slot that runs from Sunday into a capped Monday is not offered: no part of it may fall
    # in the capped week.
    document = single(
        "UTC",
        start="2026-03-01T22:00:00Z",
        end="2026-03-02T02:00:00Z",
        duration=90,
        interval=30,
        weekly=EVERY_DAY,
        interviews=[["2026-03-05T10:00:00Z", "2026-03-05T11:00:00Z"]],
        max_per_week=1,
    )
    assert api_starts(document) == ["2026-03-01T22:00:00Z", "2026-03-01T22:30:00Z"]


def test_both_caps_apply_each_on_its_own() -> None:
    booked = [
        ["2026-03-03T10:00:00Z", "2026-03-03T11:00:00Z"],
        ["2026-03-05T10:00:00Z", "2026-03-05T11:00:00Z"],
    ]
    base = {
        "start": "2026-03-02T00:00:00Z",
        "end": "2026-03-16T00:00:00Z",
        "duration": 60,
        "interval": 60,
        "weekly": {"mon": [["09:00", "12:00"]], "wed": [["09:00", "12:00"]]},
        "interviews": booked,
    }
    # A daily cap of 1 closes Tuesday and Thursday only; nobody works those days anyway.
    daily = api_starts(single("UTC", **base, max_per_day=1))
    assert len(daily) == 12
    # A weekly cap of 2 closes the first week; a daily cap of 5 does not matter.
    both = api_starts(single("UTC", **base, max_per_day=5, max_per_week=2))
    assert both == [s for s in daily if s >= "2026-03-09"]
    # A weekly cap of 3 is not reached.
    assert api_starts(single("UTC", **base, max_per_day=1, max_per_week=3)) == daily


def test_a_weekly_cap_of_zero_offers_nothing() -> None:
    document = single(
        "UTC",
        start="2026-03-02T00:00:00Z",
        end="2026-03-03T00:00:00Z",
        duration=60,
        weekly=EVERY_DAY,
        max_per_week=0,
    )
    assert api_starts(document) == []


def test_the_cap_is_counted_in_the_interviewers_own_zone() -> None:
    # Monday 2 March 01:00 in Tokyo is Sunday 1 March 16:00 UTC: for a Tokyo interviewer that
    # interview is in the week of 2 March, for a UTC one in the week of 23 February.
    interview = [["2026-03-01T16:00:00Z", "2026-03-01T17:00:00Z"]]
    fields = {
        "start": "2026-03-02T00:00:00Z",
        "end": "2026-03-03T00:00:00Z",
        "duration": 60,
        "weekly": EVERY_DAY,
        "interviews": interview,
        "max_per_week": 1,
    }
    assert api_starts(single("Asia/Tokyo", **fields)) == []
    assert len(api_starts(single("UTC", **fields))) == 24


def test_max_per_week_is_validated() -> None:
    with pytest.raises(InvalidDocument, match=r"^interviewers\[0\]\.max_per_week: must not be"):
        parse_document(
            single(
                "UTC",
                start="2026-03-02T00:00:00Z",
                end="2026-03-03T00:00:00Z",
                duration=60,
                max_per_week=-1,
            )
        )
    with pytest.raises(InvalidDocument, match=r"^interviewers\[0\]\.max_per_week: expected an"):
        parse_document(
            single(
                "UTC",
                start="2026-03-02T00:00:00Z",
                end="2026-03-03T00:00:00Z",
                duration=60,
                max_per_week="2",
            )
        )
    with pytest.raises(InvalidDocument, match=r"^max_per_week: expected an integer or None"):
        Interviewer.build(id="a", tz="UTC", max_per_week=True)
    person = Interviewer.build(
        id="a",
        tz="UTC",
        interviews=[(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 2, 1, tzinfo=UTC))],
        max_per_week=2,
    )
    assert person.max_per_week == 2
    document = single(
        "UTC",
        start="2026-03-02T00:00:00Z",
        end="2026-03-03T00:00:00Z",
        duration=60,
        max_per_week=None,
    )
    assert parse_document(document).interviewers[0].max_per_week is None
