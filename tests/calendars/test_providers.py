"""Interview events reach calendars through providers: once per interview, retry-safe."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.test import override_settings

from hireslot.accounts.models import User
from hireslot.calendars.connections import event_provider_for
from hireslot.calendars.models import BusyInterval, CalendarEvent
from hireslot.calendars.providers import CalendarOwner, EventSpec
from hireslot.calendars.providers.local import BuiltInCalendarProvider
from hireslot.calendars.providers.memory import InMemoryCalendarProvider
from hireslot.calendars.selectors import busy_by_user
from hireslot.calendars.services import calendar_event_create
from hireslot.core.remote import PermanentProviderError, TransientProviderError
from tests.factories import UserFactory

MEMORY = "hireslot.calendars.providers.memory.InMemoryCalendarProvider"


def at(hour: int, day: int = 2) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def owner_of(user: User) -> CalendarOwner:
    return CalendarOwner(user_id=user.pk, email=user.email, time_zone="Europe/London")


def interview_event(**changes: Any) -> EventSpec:
    spec = EventSpec(
        uid=f"{uuid.uuid4()}@hireslot",
        sequence=0,
        title="Interview: Ada Lovelace (Backend Engineer)",
        description="Candidate: Ada Lovelace\nReschedule: https://hireslot.test/s/abc",
        location="https://meet.jit.si/HireSlot-room",
        start=at(9),
        end=at(10),
    )
    return replace(spec, **changes)


@pytest.fixture(autouse=True)
def _empty_memory_calendar() -> Iterator[None]:
    InMemoryCalendarProvider.reset()
    yield
    InMemoryCalendarProvider.reset()


# --- The built-in calendar ------------------------------------------------------------------


@pytest.mark.django_db
def test_upserting_an_interview_twice_then_rescheduling_leaves_one_event_that_moved() -> None:
    # Given an interviewer on the built-in calendar and a booked interview
    user = UserFactory()
    provider = BuiltInCalendarProvider()
    spec = interview_event()

    # When the booking's effect runs, is retried, and the interview is then rescheduled
    first = provider.event_upsert(owner=owner_of(user), spec=spec)
    again = provider.event_upsert(owner=owner_of(user), spec=spec)
    moved = provider.event_upsert(
        owner=owner_of(user),
        spec=replace(spec, sequence=1, start=at(14), end=at(15), title="Interview (moved)"),
    )

    # Then there is one event, at the new time with the new title, and it is the same event
    assert first == again == moved
    assert first.provider == "built_in"
    event = CalendarEvent.objects.get(owner=user)
    assert str(event.pk) == first.event_id
    assert (event.title, event.start, event.end) == ("Interview (moved)", at(14), at(15))
    assert event.description == spec.description
    assert event.location == spec.location
    # And the interviewer is busy at the new time only, marked as that interview
    busy = BusyInterval.objects.get(user=user)
    assert (busy.start, busy.end, busy.interview_uid) == (at(14), at(15), spec.uid)


@pytest.mark.django_db
def test_a_stale_retry_does_not_move_a_rescheduled_event_back() -> None:
    # Given an interview already rescheduled to 14:00 (sequence 1)
    user = UserFactory()
    provider = BuiltInCalendarProvider()
    original = interview_event()
    provider.event_upsert(
        owner=owner_of(user), spec=replace(original, sequence=1, start=at(14), end=at(15))
    )

    # When a retry of the original booking (sequence 0) arrives late
    provider.event_upsert(owner=owner_of(user), spec=original)

    # Then the event stays at the rescheduled time
    assert busy_by_user(user_ids=[user.pk], start=at(0), end=at(23))[user.pk] == [(at(14), at(15))]


@pytest.mark.django_db
def test_the_same_interview_uid_on_two_calendars_is_two_events() -> None:
    # Given a panel interview: one uid, two interviewers
    alice, bob = UserFactory(), UserFactory()
    provider = BuiltInCalendarProvider()
    spec = interview_event()

    # When it is put on both calendars
    provider.event_upsert(owner=owner_of(alice), spec=spec)
    provider.event_upsert(owner=owner_of(bob), spec=spec)

    # Then each of them is busy
    busy = busy_by_user(user_ids=[alice.pk, bob.pk], start=at(0), end=at(23))
    assert busy == {alice.pk: [(at(9), at(10))], bob.pk: [(at(9), at(10))]}


@pytest.mark.django_db
def test_the_database_refuses_a_second_event_for_the_same_interview_on_one_calendar() -> None:
    # Given an interview event (what two racing workers would both try to insert)
    user = UserFactory()
    spec = interview_event()
    BuiltInCalendarProvider().event_upsert(owner=owner_of(user), spec=spec)
    calendar_event_create(owner=user, title="Lunch", start=at(12), end=at(13))

    # Then a second row with its uid is refused, while ordinary events (no uid) may repeat
    with pytest.raises(IntegrityError), transaction.atomic():
        CalendarEvent.objects.create(
            owner=user, uid=spec.uid, title="Copy", start=at(9), end=at(10)
        )
    calendar_event_create(owner=user, title="Lunch", start=at(12), end=at(13))
    assert CalendarEvent.objects.filter(owner=user).count() == 3


@pytest.mark.django_db
def test_deleting_an_interview_event_frees_the_time_and_a_second_delete_is_fine() -> None:
    # Given an interview on the built-in calendar next to the interviewer's own event
    user = UserFactory()
    provider = BuiltInCalendarProvider()
    spec = interview_event()
    provider.event_upsert(owner=owner_of(user), spec=spec)
    calendar_event_create(owner=user, title="Dentist", start=at(16), end=at(17))

    # When the interview is cancelled, and the cancellation is retried
    provider.event_delete(owner=owner_of(user), uid=spec.uid)
    provider.event_delete(owner=owner_of(user), uid=spec.uid)

    # Then only the interviewer's own event is left, and busy
    assert list(CalendarEvent.objects.filter(owner=user).values_list("title", flat=True)) == [
        "Dentist"
    ]
    assert busy_by_user(user_ids=[user.pk], start=at(0), end=at(23))[user.pk] == [(at(16), at(17))]


@pytest.mark.django_db
def test_deleting_an_event_that_never_existed_is_fine() -> None:
    user = UserFactory()

    BuiltInCalendarProvider().event_delete(owner=owner_of(user), uid="nothing@hireslot")

    assert not CalendarEvent.objects.exists()


@pytest.mark.django_db
def test_an_interviewer_without_an_account_is_a_permanent_failure_with_a_clear_message() -> None:
    # Given an interviewer whose account has since been deleted
    gone = CalendarOwner(user_id=uuid.uuid4(), email="gone@example.com", time_zone="UTC")

    # When the event is put on their calendar, then it fails for good, naming them
    with pytest.raises(PermanentProviderError, match=r"gone@example\.com"):
        BuiltInCalendarProvider().event_upsert(owner=gone, spec=interview_event())
    # And cancelling it later is fine
    BuiltInCalendarProvider().event_delete(owner=gone, uid="any@hireslot")


@pytest.mark.django_db
def test_an_event_that_ends_before_it_starts_is_a_permanent_failure() -> None:
    user = UserFactory()

    with pytest.raises(PermanentProviderError, match="end after it starts"):
        BuiltInCalendarProvider().event_upsert(
            owner=owner_of(user), spec=interview_event(start=at(10), end=at(9))
        )

    assert not CalendarEvent.objects.exists()
    assert not BusyInterval.objects.exists()


@pytest.mark.django_db
def test_a_very_long_title_still_reaches_the_calendar() -> None:
    user = UserFactory()

    BuiltInCalendarProvider().event_upsert(
        owner=owner_of(user), spec=interview_event(title="Interview " + "x" * 1000)
    )

    title = CalendarEvent.objects.get(owner=user).title
    assert title.startswith("Interview xxx")
    assert len(title) == 300


# --- Busy time without HireSlot's own interviews ---------------------------------------------


@pytest.mark.django_db
def test_busy_time_leaves_out_interview_events_only_when_asked() -> None:
    # Given an interviewer with a booked interview at 9:00 and their own meeting at 11:00
    user = UserFactory()
    BuiltInCalendarProvider().event_upsert(owner=owner_of(user), spec=interview_event())
    calendar_event_create(owner=user, title="Team sync", start=at(11), end=at(12))

    # When busy time is read plainly, and then without interview events
    everything = busy_by_user(user_ids=[user.pk], start=at(0), end=at(23))
    own_only = busy_by_user(
        user_ids=[user.pk], start=at(0), end=at(23), exclude_interview_events=True
    )

    # Then the plain read has both, the other only the interviewer's own meeting
    assert everything[user.pk] == [(at(9), at(10)), (at(11), at(12))]
    assert own_only[user.pk] == [(at(11), at(12))]


# --- Choosing the provider -------------------------------------------------------------------


@pytest.mark.django_db
def test_everyone_uses_the_built_in_calendar_by_default() -> None:
    provider = event_provider_for(owner_of(UserFactory()))

    assert isinstance(provider, BuiltInCalendarProvider)
    assert provider.name == "built_in"


@pytest.mark.django_db
def test_the_setting_chooses_the_provider() -> None:
    owner = CalendarOwner(user_id=uuid.uuid4(), email="a@example.com", time_zone="UTC")
    spec = interview_event()

    with override_settings(HIRESLOT_CALENDAR_PROVIDER=MEMORY):
        provider = event_provider_for(owner)
        ref = provider.event_upsert(owner=owner, spec=spec)

    assert ref.provider == "memory"
    assert InMemoryCalendarProvider.events_of(owner.user_id) == [spec]


@pytest.mark.parametrize(
    ("path", "complaint"),
    [
        ("hireslot.calendars.providers.nowhere.Provider", "cannot be imported"),
        ("hireslot.calendars.providers.base.EventSpec", "is not a CalendarProvider"),
    ],
)
@pytest.mark.django_db
def test_a_wrong_provider_setting_names_itself(path: str, complaint: str) -> None:
    owner = CalendarOwner(user_id=uuid.uuid4(), email="a@example.com", time_zone="UTC")

    with (
        override_settings(HIRESLOT_CALENDAR_PROVIDER=path),
        pytest.raises(ImproperlyConfigured, match=complaint),
    ):
        event_provider_for(owner)


# --- The in-memory double ------------------------------------------------------------------


def test_the_memory_double_keeps_one_event_per_uid_and_forgets_deleted_ones() -> None:
    owner = CalendarOwner(user_id=uuid.uuid4(), email="a@example.com", time_zone="UTC")
    provider = InMemoryCalendarProvider()
    spec = interview_event()

    first = provider.event_upsert(owner=owner, spec=spec)
    moved = replace(spec, sequence=1, start=at(14), end=at(15))
    second = InMemoryCalendarProvider().event_upsert(owner=owner, spec=moved)
    InMemoryCalendarProvider().event_upsert(owner=owner, spec=spec)  # stale retry

    assert first == second
    assert InMemoryCalendarProvider.events_of(owner.user_id) == [moved]

    provider.event_delete(owner=owner, uid=spec.uid)
    provider.event_delete(owner=owner, uid=spec.uid)
    assert InMemoryCalendarProvider.events_of(owner.user_id) == []


def test_the_memory_double_fails_the_next_calls_as_told_then_works() -> None:
    # Given a calendar that will time out twice
    owner = CalendarOwner(user_id=uuid.uuid4(), email="a@example.com", time_zone="UTC")
    provider = InMemoryCalendarProvider()
    spec = interview_event()
    InMemoryCalendarProvider.fail_next(TransientProviderError("Calendar timed out."), times=2)

    # When the effect is tried three times
    for _ in range(2):
        with pytest.raises(TransientProviderError, match="Calendar timed out"):
            provider.event_upsert(owner=owner, spec=spec)
        # Then a failed attempt wrote nothing
        assert InMemoryCalendarProvider.events_of(owner.user_id) == []
    provider.event_upsert(owner=owner, spec=spec)

    # Then the third attempt put the event on the calendar, and every attempt was seen
    assert InMemoryCalendarProvider.events_of(owner.user_id) == [spec]
    assert InMemoryCalendarProvider.calls == [("event_upsert", spec.uid)] * 3


def test_the_memory_double_can_fail_for_good() -> None:
    owner = CalendarOwner(user_id=uuid.uuid4(), email="a@example.com", time_zone="UTC")
    InMemoryCalendarProvider.fail_next(PermanentProviderError("Calendar access was revoked."))

    with pytest.raises(PermanentProviderError, match="access was revoked"):
        InMemoryCalendarProvider().event_delete(owner=owner, uid="x@hireslot")

    # And the next call goes through; reset forgets events, calls and pending failures
    InMemoryCalendarProvider().event_upsert(owner=owner, spec=interview_event())
    InMemoryCalendarProvider.fail_next(times=3)
    InMemoryCalendarProvider.reset()
    InMemoryCalendarProvider().event_delete(owner=owner, uid="x@hireslot")
    assert InMemoryCalendarProvider.events_of(owner.user_id) == []
    assert InMemoryCalendarProvider.calls == [("event_delete", "x@hireslot")]
