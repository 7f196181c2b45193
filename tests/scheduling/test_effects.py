"""The effects ledger: every consequence carried out once, retried when a provider is down,
shown as failed with a retry when it stays down, and never undoing the booking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from hireslot.calendars.models import CalendarEvent
from hireslot.calendars.providers.memory import InMemoryCalendarProvider
from hireslot.core.errors import HireSlotError
from hireslot.core.remote import PermanentProviderError
from hireslot.messaging.models import Notification, OutgoingEmail
from hireslot.recruiting.models import Task
from hireslot.scheduling.models import Effect, Interview, WorkflowAction
from hireslot.scheduling.services import effect_retry, effect_run, interview_book

from .conftest import Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
MEMORY = "hireslot.calendars.providers.memory.InMemoryCalendarProvider"


def book(company: Company) -> Interview:
    request = company.send().request
    return interview_book(request=request, start=TUESDAY_10, candidate_time_zone="Europe/Paris")


def run_all(interview: Interview) -> None:
    for effect in Effect.objects.filter(interview=interview):
        effect_run(effect_id=str(effect.pk))


def test_each_effect_does_its_part_once_even_when_run_twice(company: Company) -> None:
    interview = book(company)

    run_all(interview)
    run_all(interview)

    assert set(Effect.objects.values_list("state", flat=True)) == {"done"}
    event = CalendarEvent.objects.get(owner=company.interviewer)
    assert event.uid == interview.uid
    assert (event.start, event.end) == (interview.start, interview.end)
    assert "Ada Okafor" in event.title
    task = Task.objects.get()
    assert task.title == "Prepare for Ada Okafor's Manager Interview"
    assert task.assignee == company.recruiter
    company.application.refresh_from_db()
    assert company.application.current_stage.name == "Phone Screen"
    assert sorted(n.recipient.email for n in Notification.objects.all()) == [
        "nora@acme.example",
        "riley@acme.example",
    ]
    invite = OutgoingEmail.objects.get(kind="interview_invite")
    assert invite.calendar_method == "REQUEST"
    assert f"UID:{interview.uid}" in invite.calendar_ics
    # The candidate chose Paris: their email speaks their time.
    assert "4:00" in invite.subject and "(Central European Time)" in invite.subject


def test_a_named_stage_that_does_not_exist_fails_visibly(company: Company) -> None:
    company.template.workflow_action = WorkflowAction.NAMED_STAGE
    company.template.move_to_stage_name = "Final Round"
    company.template.save()
    interview = book(company)

    run_all(interview)

    move = Effect.objects.get(kind="stage_move")
    assert move.state == Effect.State.FAILED
    assert "no stage named “Final Round”" in move.last_error
    assert Interview.objects.get(pk=interview.pk).status == "scheduled"


@override_settings(HIRESLOT_CALENDAR_PROVIDER=MEMORY)
def test_a_calendar_outage_is_retried_with_backoff_then_succeeds(company: Company) -> None:
    interview = book(company)
    calendar = Effect.objects.get(kind="calendar_event")
    InMemoryCalendarProvider.fail_next(times=2)

    assert effect_run(effect_id=str(calendar.pk)) == Effect.State.RETRYING
    calendar.refresh_from_db()
    assert calendar.attempts == 1
    assert calendar.next_attempt_at is not None
    assert calendar.next_attempt_at > datetime.now(UTC) + timedelta(seconds=10)
    effect_run(effect_id=str(calendar.pk))
    assert effect_run(effect_id=str(calendar.pk)) == Effect.State.DONE

    assert [spec.uid for spec in InMemoryCalendarProvider.events_of(company.interviewer.pk)] == [
        interview.uid
    ]


@override_settings(HIRESLOT_CALENDAR_PROVIDER=MEMORY)
def test_a_permanent_failure_is_shown_and_a_retry_carries_it_out(company: Company) -> None:
    interview = book(company)
    calendar = Effect.objects.get(kind="calendar_event")
    InMemoryCalendarProvider.fail_next(PermanentProviderError("Calendar access was revoked."))

    assert effect_run(effect_id=str(calendar.pk)) == Effect.State.FAILED
    calendar.refresh_from_db()
    assert calendar.last_error == "Calendar access was revoked."
    # The booking stands.
    assert Interview.objects.get(pk=interview.pk).status == "scheduled"

    effect_retry(effect=calendar)
    assert effect_run(effect_id=str(calendar.pk)) == Effect.State.DONE
    with pytest.raises(HireSlotError, match="Only a failed step"):
        effect_retry(effect=calendar)


@override_settings(HIRESLOT_CALENDAR_PROVIDER=MEMORY)
def test_retries_are_bounded(company: Company) -> None:
    book(company)
    calendar = Effect.objects.get(kind="calendar_event")
    InMemoryCalendarProvider.fail_next(times=100)

    states = [effect_run(effect_id=str(calendar.pk)) for _ in range(10)]

    assert states[:7] == [Effect.State.RETRYING] * 7
    assert states[7:] == [Effect.State.FAILED] * 3
    calendar.refresh_from_db()
    assert calendar.attempts == 8
