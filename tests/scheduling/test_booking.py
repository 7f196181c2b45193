"""Booking, rescheduling and cancelling: the interview, the holds, the request and its effects."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django_tasks_db.models import DBTaskResult

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from hireslot.core.tokens import link_token_derive
from hireslot.scheduling.errors import (
    AlreadyBookedError,
    ChangeTooLateError,
    RequestClosedError,
    SlotNotOfferedError,
    SlotTakenError,
)
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewerBooking,
    RequestEvent,
    SchedulingRequest,
)
from hireslot.scheduling.services import (
    interview_book,
    interview_cancel,
    interview_reschedule,
    scheduling_request_cancel,
)

from .conftest import Company, company_build, person

# Tuesday 3 March 2026, 10:00 in New York (EST, UTC-5).
TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def book(company: Company, start: datetime = TUESDAY_10) -> Interview:
    request = company.send().request
    return interview_book(request=request, start=start, candidate_time_zone="Europe/Berlin")


def test_booking_holds_the_time_and_writes_every_consequence(company: Company) -> None:
    interview = book(company)

    assert (interview.start, interview.end) == (TUESDAY_10, TUESDAY_10 + timedelta(minutes=45))
    assert interview.conference_url.startswith("https://meet.jit.si/")
    request = SchedulingRequest.objects.get(pk=interview.request_id)
    assert request.status == SchedulingRequest.Status.SCHEDULED
    assert list(InterviewerBooking.objects.values_list("interviewer_id", "active")) == [
        (company.interviewer.pk, True)
    ]
    kinds = sorted(Effect.objects.filter(interview=interview).values_list("kind", flat=True))
    # The interviewer's event, the invite, the task, the stage move, and notifications to the
    # sender and to the interviewer (who is also the hiring manager: told once).
    assert kinds == [
        "calendar_event",
        "candidate_invite",
        "notification",
        "notification",
        "stage_move",
        "task",
    ]
    assert set(Effect.objects.values_list("state", flat=True)) == {"pending"}
    assert [e.kind for e in request.events.all()] == ["sent", "scheduled"]


def test_a_booked_time_is_no_longer_offered_to_anyone(company: Company) -> None:
    book(company)
    other = company_build("other")
    # The same interviewer on a second company's template: their own calendar is shared.
    other.template.interviewers.set([company.interviewer])
    other.template.include_hiring_manager = False
    other.template.save()
    second = other.send().request

    with pytest.raises(SlotTakenError):
        interview_book(request=second, start=TUESDAY_10, candidate_time_zone="UTC")
    # 45 minutes after, plus nothing else in the way, is fine.
    later = interview_book(
        request=second, start=TUESDAY_10 + timedelta(minutes=60), candidate_time_zone="UTC"
    )
    assert later.start == TUESDAY_10 + timedelta(minutes=60)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (TUESDAY_10 + timedelta(minutes=7), "not one of the offered times"),
        (datetime(2026, 3, 3, 3, 0, tzinfo=UTC), "not one of the offered times"),  # 22:00 NY
        (datetime(2026, 3, 2, 11, 0, tzinfo=UTC), "already passed"),
        (TUESDAY_10 + timedelta(seconds=30), "not one of the offered times"),
    ],
)
def test_a_time_that_was_never_offered_is_refused(
    company: Company, start: datetime, message: str
) -> None:
    request = company.send().request

    with pytest.raises(SlotNotOfferedError, match=message):
        interview_book(request=request, start=start, candidate_time_zone="UTC")
    assert not Interview.objects.exists()


def test_booking_twice_is_refused_without_a_second_interview(company: Company) -> None:
    interview = book(company)

    with pytest.raises(AlreadyBookedError):
        interview_book(
            request=interview.request,
            start=TUESDAY_10 + timedelta(hours=2),
            candidate_time_zone="UTC",
        )
    assert Interview.objects.count() == 1


def test_an_expired_or_cancelled_request_cannot_be_booked(company: Company) -> None:
    expired = company.send().request
    with (
        time_machine.travel(expired.expires_at + timedelta(minutes=1), tick=False),
        pytest.raises(RequestClosedError),
    ):
        interview_book(
            request=expired, start=TUESDAY_10 + timedelta(days=7), candidate_time_zone="UTC"
        )

    scheduling_request_cancel(request=expired, actor=company.recruiter)
    with pytest.raises(RequestClosedError):
        interview_book(request=expired, start=TUESDAY_10, candidate_time_zone="UTC")
    assert not Interview.objects.exists()


def test_an_unknown_candidate_zone_is_refused(company: Company) -> None:
    request = company.send().request

    with pytest.raises(Exception, match="not a known time zone"):
        interview_book(request=request, start=TUESDAY_10, candidate_time_zone="Mars/Olympus")


def test_reschedule_moves_the_same_interview_and_raises_its_sequence(company: Company) -> None:
    interview = book(company)
    uid = interview.uid
    # The new time overlaps the old one: an interview never blocks its own move.
    new_start = TUESDAY_10 + timedelta(minutes=30)

    moved = interview_reschedule(
        interview=interview, start=new_start, actor=None, by_candidate=True
    )

    assert (moved.pk, moved.uid, moved.sequence) == (interview.pk, uid, 1)
    assert moved.start == new_start
    holds = InterviewerBooking.objects.filter(interview=interview)
    assert list(holds.filter(active=True).values_list("start", flat=True)) == [new_start]
    assert SchedulingRequest.objects.get(pk=interview.request_id).status == "rescheduled"
    reschedule_effects = Effect.objects.filter(interview=interview, action="reschedule")
    assert sorted(reschedule_effects.values_list("kind", flat=True)) == [
        "calendar_event",
        "candidate_invite",
        "notification",
        "notification",
    ]


def test_candidates_cannot_change_within_the_cut_off_but_recruiters_can(
    company: Company,
) -> None:
    interview = book(company)

    with time_machine.travel(TUESDAY_10 - timedelta(minutes=90), tick=False):
        with pytest.raises(ChangeTooLateError, match="within 2 hours"):
            interview_cancel(interview=interview, actor=None, by_candidate=True)
        cancelled = interview_cancel(
            interview=interview, actor=company.recruiter, by_candidate=False, reason="Sick"
        )

    assert cancelled.status == Interview.Status.CANCELLED
    assert cancelled.sequence == 1
    assert not InterviewerBooking.objects.filter(active=True).exists()
    request = SchedulingRequest.objects.get(pk=interview.request_id)
    assert request.status == SchedulingRequest.Status.CANCELLED
    event = request.events.get(kind=RequestEvent.Kind.CANCELLED)
    assert (event.actor, event.detail, event.by_candidate) == (company.recruiter, "Sick", False)


def test_cancelling_a_request_with_a_booking_cancels_the_interview(company: Company) -> None:
    interview = book(company)

    scheduling_request_cancel(request=interview.request, actor=company.recruiter, reason="Filled")

    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED
    cancel_invite = Effect.objects.get(
        interview=interview, kind="candidate_invite", action="cancel"
    )
    assert cancel_invite.payload["method"] == "CANCEL"


def test_one_booking_costs_at_most_eighteen_queries(
    company: Company, django_assert_max_num_queries: Any
) -> None:
    # Given a panel of three (two interviewers and the hiring manager), the starter template's
    # task, stage move and notifications to the sender, the manager and the panel
    panel = [
        person(f"{name.lower()}@acme.example", f"{name} Panel", "Europe/London")
        for name in ("Kofi", "Mei")
    ]
    for user in panel:
        membership_add(user=user, organization=company.organization, role=Role.INTERVIEWER)
    company.template.interviewers.set(panel)
    link = f"/s/{link_token_derive(company.send().request.token_nonce)}/book"
    client = Client()

    # When the candidate books through the page's endpoint
    with django_assert_max_num_queries(18):
        response = client.post(link, {"start": "2026-03-03T15:00:00Z", "tz": "Europe/Berlin"})

    # Then the booking and all its consequences (reminders too) are written in at most
    # eighteen statements
    assert response.status_code == 303
    interview = Interview.objects.get()
    assert interview.bookings.count() == 3
    kinds = sorted(Effect.objects.filter(interview=interview).values_list("kind", flat=True))
    assert kinds == ["calendar_event"] * 3 + ["candidate_invite"] + ["notification"] * 4 + [
        "stage_move",
        "task",
    ]
    # One task carries them out in turn (besides the invitation's delivery and the first
    # nudge's wake-up from the send, and the reminders' wake-up at the first one's moment)
    assert DBTaskResult.objects.count() == 4


def test_the_language_the_candidate_booked_in_is_kept_for_their_emails(company: Company) -> None:
    interview = interview_book(
        request=company.send().request,
        start=TUESDAY_10,
        candidate_time_zone="Europe/Berlin",
        candidate_language="pt-BR",
    )
    assert interview.candidate_language == "pt-br"
    unsupported = interview_book(
        request=company_build(slug="other").send().request,
        start=TUESDAY_10,
        candidate_time_zone="UTC",
        candidate_language="tlh",
    )
    assert unsupported.candidate_language == ""


def test_a_candidates_own_cancel_keeps_the_link_open_to_book_again(company: Company) -> None:
    interview = book(company)

    interview_cancel(interview=interview, actor=None, by_candidate=True, reason="Clash")

    request = SchedulingRequest.objects.get(pk=interview.request_id)
    assert request.status == SchedulingRequest.Status.OPENED
    event = request.events.get(kind=RequestEvent.Kind.CANCELLED)
    assert event.by_candidate
    again = interview_book(
        request=request, start=TUESDAY_10 + timedelta(hours=1), candidate_time_zone="UTC"
    )
    assert again.status == Interview.Status.SCHEDULED
    assert Interview.objects.filter(request=request).count() == 2
