"""The built-in calendar's busy events and provider refreshes fill the busy cache."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hireslot.calendars.models import BusyInterval, BusySource, BusySync
from hireslot.calendars.providers.base import BusyBlock
from hireslot.calendars.selectors import busy_by_user
from hireslot.calendars.services import (
    busy_cache_replace,
    calendar_event_create,
    calendar_event_delete,
    calendar_event_update,
)
from hireslot.core.errors import HireSlotError
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def at(hour: int, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def test_a_busy_event_is_busy_at_once_and_follows_edits_and_deletion() -> None:
    owner = UserFactory()

    event = calendar_event_create(owner=owner, title="Dentist", start=at(9), end=at(10))
    assert busy_by_user(user_ids=[owner.pk], start=at(0), end=at(23)) == {
        owner.pk: [(at(9), at(10))]
    }

    calendar_event_update(event=event, start=at(14), end=at(15))
    assert busy_by_user(user_ids=[owner.pk], start=at(0), end=at(23))[owner.pk] == [
        (at(14), at(15))
    ]

    calendar_event_delete(event=event)
    assert busy_by_user(user_ids=[owner.pk], start=at(0), end=at(23)) == {}
    assert BusySync.objects.get(user=owner, source=BusySource.BUILT_IN).refreshed_at


def test_a_free_event_does_not_block() -> None:
    owner = UserFactory()

    calendar_event_create(owner=owner, title="Optional", start=at(9), end=at(10), busy=False)

    assert not BusyInterval.objects.filter(user=owner).exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [(at(10), at(9)), (at(10), at(10)), (datetime(2026, 3, 2, 9), datetime(2026, 3, 2, 10))],
)
def test_events_must_end_after_they_start_and_carry_a_zone(start: datetime, end: datetime) -> None:
    with pytest.raises(HireSlotError):
        calendar_event_create(owner=UserFactory(), title="Odd", start=start, end=end)

    assert not BusyInterval.objects.exists()


def test_a_refresh_replaces_busy_time_inside_its_window_only() -> None:
    user = UserFactory()
    busy_cache_replace(
        user_id=user.pk,
        source=BusySource.GOOGLE,
        window_start=at(0, day=2),
        window_end=at(0, day=4),
        blocks=[
            BusyBlock(start=at(9, day=2), end=at(10, day=2), ref="a"),
            BusyBlock(start=at(9, day=3), end=at(10, day=3), ref="b"),
        ],
    )

    busy_cache_replace(
        user_id=user.pk,
        source=BusySource.GOOGLE,
        window_start=at(0, day=3),
        window_end=at(0, day=4),
        blocks=[BusyBlock(start=at(15, day=3), end=at(16, day=3), ref="c")],
    )

    refs = sorted(BusyInterval.objects.filter(user=user).values_list("source_ref", flat=True))
    assert refs == ["a", "c"]


def test_busy_of_other_people_and_outside_the_range_is_left_out() -> None:
    alice, bob = UserFactory(), UserFactory()
    calendar_event_create(owner=alice, title="A", start=at(9), end=at(10))
    calendar_event_create(owner=bob, title="B", start=at(9), end=at(10))
    calendar_event_create(owner=alice, title="Later", start=at(9, day=9), end=at(10, day=9))

    busy = busy_by_user(user_ids=[alice.pk], start=at(0), end=at(0, day=3))

    assert busy == {alice.pk: [(at(9), at(10))]}
