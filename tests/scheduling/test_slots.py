"""Slots come from people's saved rules and the busy cache, read in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pytest_django import DjangoAssertNumQueries

from hireslot.accounts.models import AvailabilitySettings, User
from hireslot.accounts.services import date_override_set
from hireslot.availability import AvailabilityRequest, find_slots
from hireslot.calendars.services import calendar_event_create
from hireslot.scheduling.slots import bookable_times_preview, interviewers_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday; London is on GMT (UTC+0)


def person(time_zone: str = "Europe/London", **rules: object) -> User:
    user = UserFactory()
    AvailabilitySettings.objects.create(
        user=user,
        time_zone=time_zone,
        weekly_hours={"mon": [["09:00", "12:00"]], "tue": [["09:00", "12:00"]]},
        minimum_notice_minutes=0,
        **rules,
    )
    return user


def starts(slots: list) -> list[str]:  # type: ignore[type-arg]
    return [s.start_at.strftime("%a %H:%M") for s in slots]


def test_preview_offers_weekly_hours_in_the_persons_zone() -> None:
    user = person("Asia/Kolkata")  # 09:00 IST is 03:30 UTC

    slots = bookable_times_preview(user=user, now=MONDAY, limit=3, duration=60)

    assert [s.start_at.isoformat() for s in slots] == [
        "2026-03-02T03:30:00+00:00",
        "2026-03-02T04:30:00+00:00",
        "2026-03-02T05:30:00+00:00",
    ]


def test_a_busy_event_on_the_built_in_calendar_removes_slots_with_buffers() -> None:
    user = person(buffer_after_minutes=15)
    calendar_event_create(
        owner=user,
        title="Standup",
        start=MONDAY + timedelta(hours=10),
        end=MONDAY + timedelta(hours=10, minutes=30),
    )

    slots = bookable_times_preview(user=user, now=MONDAY, limit=6, duration=30)

    # 09:30 would end at 10:00 with its 15-minute after-buffer reaching into the standup.
    assert starts(slots) == [
        "Mon 09:00",
        "Mon 10:30",
        "Mon 11:00",
        "Mon 11:30",
        "Tue 09:00",
        "Tue 09:30",
    ]


def test_a_day_off_override_removes_that_day_and_special_hours_replace_it() -> None:
    user = person()
    date_override_set(user=user, day=date(2026, 3, 2), hours=[])
    date_override_set(user=user, day=date(2026, 3, 3), hours=[["14:00", "15:00"]])

    slots = bookable_times_preview(user=user, now=MONDAY, limit=10, duration=30)

    assert starts(slots)[:2] == ["Tue 14:00", "Tue 14:30"]
    assert not any(s.startswith("Mon 0") for s in starts(slots)[:2])


def test_minimum_notice_and_horizon_limit_the_preview() -> None:
    user = person(booking_horizon_days=2)
    AvailabilitySettings.objects.filter(user=user).update(minimum_notice_minutes=24 * 60)

    slots = bookable_times_preview(
        user=user, now=MONDAY + timedelta(hours=10), limit=50, duration=60
    )

    assert starts(slots) == ["Tue 10:00", "Tue 11:00"]


def test_a_panel_needs_everyone_free() -> None:
    alice, bob = person(), person()
    calendar_event_create(
        owner=bob, title="Busy", start=MONDAY + timedelta(hours=9), end=MONDAY + timedelta(hours=11)
    )
    window_end = MONDAY + timedelta(days=1)
    request = AvailabilityRequest.build(
        now=MONDAY,
        start=MONDAY,
        end=window_end,
        duration=60,
        interviewers=interviewers_for(users=[alice, bob], start=MONDAY, end=window_end),
    )

    assert starts(find_slots(request)) == ["Mon 11:00"]


@pytest.mark.parametrize("count", [2, 12])
def test_engine_input_is_read_in_a_fixed_number_of_queries(
    count: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    users = [person() for _ in range(count)]
    for user in users:
        calendar_event_create(owner=user, title="x", start=MONDAY, end=MONDAY + timedelta(hours=1))
        date_override_set(user=user, day=date(2026, 3, 3), hours=[])

    # The people with their settings and calendar flags, their overrides, and their busy
    # time with their bookings: three, however many people.
    with django_assert_num_queries(3):
        interviewers = interviewers_for(users=users, start=MONDAY, end=MONDAY + timedelta(days=7))

    assert len(interviewers) == count
