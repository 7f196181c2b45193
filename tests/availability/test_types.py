"""The Python API as the Django app uses it: aware datetimes, ZoneInfo, time, timedelta."""

from __future__ import annotations

import dataclasses
import re
from datetime import UTC, date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from hireslot.availability import (
    AvailabilityRequest,
    Intervals,
    Interviewer,
    InvalidDocument,
    Slot,
    find_slots,
)

NEW_YORK = ZoneInfo("America/New_York")


def _request(*people: Interviewer, **fields: object) -> AvailabilityRequest:
    options: dict[str, object] = {
        "now": datetime(2026, 3, 1, tzinfo=UTC),
        "start": datetime(2026, 3, 2, tzinfo=UTC),
        "end": datetime(2026, 3, 3, tzinfo=UTC),
        "duration": timedelta(minutes=60),
        "interviewers": people,
    }
    options.update(fields)
    return AvailabilityRequest.build(**options)  # type: ignore[arg-type]


def test_build_from_database_like_values() -> None:
    alice = Interviewer.build(
        id="alice",
        tz=NEW_YORK,
        weekly={"mon": [(time(9), time(12)), (time(22), time(0))]},
        overrides={date(2026, 3, 3): []},
        busy=[
            (datetime(2026, 3, 2, 10, tzinfo=NEW_YORK), datetime(2026, 3, 2, 11, tzinfo=NEW_YORK))
        ],
        buffer_before=timedelta(minutes=10),
        max_per_day=2,
    )
    slots = find_slots(_request(alice, end=datetime(2026, 3, 4, tzinfo=UTC)))
    # 09:00 EST = 14:00Z; busy 10:00-11:00 EST with 10 minutes before -> 11:10, next hour 12:00
    # is the end of the morning. The evening range ends at time(0), i.e. local midnight.
    assert [s.start_at.astimezone(NEW_YORK).strftime("%H:%M") for s in slots] == [
        "09:00",
        "22:00",
        "23:00",
    ]
    assert slots[0].start_at == datetime(2026, 3, 2, 14, tzinfo=UTC)
    assert slots[0].end_at - slots[0].start_at == timedelta(hours=1)
    assert slots[0].start_at.tzinfo is UTC
    assert slots[0].interviewers == ("alice",)


def test_slot_is_a_frozen_value() -> None:
    slot = Slot(0, 60, ("a",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        slot.start = 5  # type: ignore[misc]
    assert slot == Slot(0, 60, ("a",))
    assert slot.start_at == datetime(1970, 1, 1, tzinfo=UTC)


def test_intervals_iterate_as_pairs_and_accept_any_aware_tzinfo() -> None:
    pairs = [
        (
            datetime(2026, 3, 2, 9, tzinfo=timezone(timedelta(hours=-5))),
            datetime(2026, 3, 2, 15, tzinfo=UTC),
        ),
    ]
    busy = Intervals.of(pairs)
    assert list(busy) == pairs
    assert len(busy) == 1


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        (
            [(datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 10))],
            "busy[0][0]: datetime must be aware",
        ),
        (
            [(datetime(2026, 3, 2, 10, tzinfo=UTC), datetime(2026, 3, 2, 9, tzinfo=UTC))],
            "busy[0]: end is before start",
        ),
        (
            [("2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z")],
            "busy[0][0]: expected an aware datetime",
        ),
        ([(datetime(2026, 3, 2, 9, tzinfo=UTC),)], "busy[0]: expected a [start, end] pair"),
    ],
)
def test_build_rejects_bad_busy_with_its_index(
    pairs: list[tuple[object, ...]], message: str
) -> None:
    with pytest.raises(InvalidDocument) as caught:
        Interviewer.build(id="a", tz="UTC", busy=pairs)  # type: ignore[arg-type]
    assert caught.value.message.startswith(message)


def test_build_rejects_bad_scalars() -> None:
    with pytest.raises(InvalidDocument, match="tz: unknown time zone"):
        Interviewer.build(id="a", tz="Nowhere/Special")
    with pytest.raises(InvalidDocument, match=re.escape("weekly.funday: unknown weekday")):
        Interviewer.build(id="a", tz="UTC", weekly={"funday": []})
    with pytest.raises(InvalidDocument, match="buffer_before: must be a whole number of minutes"):
        Interviewer.build(id="a", tz="UTC", buffer_before=timedelta(seconds=90))
    with pytest.raises(
        InvalidDocument, match=re.escape("weekly.mon[0][1]: wall-clock times are whole")
    ):
        Interviewer.build(id="a", tz="UTC", weekly={"mon": [(time(9), time(9, 30, 15))]})
    person = Interviewer.build(id="a", tz="UTC")
    with pytest.raises(InvalidDocument, match="now: datetime must be aware"):
        _request(person, now=datetime(2026, 3, 1))
    with pytest.raises(InvalidDocument, match=re.escape("interviewers[1].id: duplicate id 'a'")):
        _request(person, person)
    with pytest.raises(InvalidDocument, match="mode: expected"):
        _request(person, mode="most")


def test_request_defaults() -> None:
    person = Interviewer.build(id="a", tz="Asia/Kolkata")
    request = _request(person, duration=30)
    assert request.step == 30
    assert request.grid_zone == ZoneInfo("Asia/Kolkata")
    assert request.mode == "all"
    assert request.min_notice == 0


def test_the_package_docstring_example_runs() -> None:
    import doctest

    import hireslot.availability

    assert doctest.testmod(hireslot.availability).failed == 0
