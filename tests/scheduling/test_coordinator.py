"""Coordinator scheduling: a recruiter books for the candidate from the times the candidate
would be offered, with the candidate booking's effects, and nothing is left behind when it
is refused (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hireslot.messaging.models import OutgoingEmail, WebhookMessage
from hireslot.messaging.webhooks import webhook_endpoint_create
from hireslot.scheduling.errors import RequestSkippedError, SlotNotOfferedError, SlotTakenError
from hireslot.scheduling.loops import request_times
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewerBooking,
    RequestEvent,
    SchedulingRequest,
)
from hireslot.scheduling.services import interview_book
from hireslot.scheduling.services.coordinator import coordinator_schedule, coordinator_times

from .conftest import NOW, Company
from .loop_company import agenda_at, loop_company_build
from .pool_company import pool_company_build

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
WEEK = (NOW, NOW + timedelta(days=7))


def schedule(company: Company, start: datetime = TUESDAY_10, **changes: object) -> Interview:
    return coordinator_schedule(
        application=company.application,
        template=changes.pop("template", company.template),  # type: ignore[arg-type]
        start=start,
        candidate_time_zone="Asia/Tokyo",
        actor=company.recruiter,
    )


def test_the_picker_offers_exactly_the_candidates_times_and_writes_nothing(
    company: Company,
) -> None:
    times = coordinator_times(
        application=company.application,
        template=company.template,
        actor=company.recruiter,
        start=WEEK[0],
        end=WEEK[1],
        now=NOW,
    )
    assert not SchedulingRequest.objects.exists()
    assert not RequestEvent.objects.exists()

    sent = company.send().request
    offered = request_times(request=sent, start=WEEK[0], end=WEEK[1], now=NOW)
    assert [slot.start_at for slot in times.slots] == [slot.start_at for slot in offered]
    assert times.slots, "the candidate is offered times this week"
    assert times.duration_minutes == 45


def test_scheduling_directly_books_with_the_candidate_bookings_effects_and_no_link_email(
    company: Company,
) -> None:
    webhook_endpoint_create(
        organization=company.organization, url="http://127.0.0.1:9/hooks", event_types=["*"]
    )
    interview = schedule(company)

    assert (interview.start, interview.candidate_time_zone) == (TUESDAY_10, "Asia/Tokyo")
    request = SchedulingRequest.objects.get(pk=interview.request_id)
    assert request.status == SchedulingRequest.Status.SCHEDULED
    assert request.email_id is None, "no scheduling link was emailed"
    assert not OutgoingEmail.objects.exists(), "only the effects email (the invite), later"
    kinds = sorted(Effect.objects.filter(interview=interview).values_list("kind", flat=True))
    assert "candidate_invite" in kinds and "calendar_event" in kinds
    assert list(InterviewerBooking.objects.values_list("interviewer_id", flat=True)) == [
        company.interviewer.pk
    ]
    assert "interview.scheduled" in set(WebhookMessage.objects.values_list("event_type", flat=True))
    # The timeline says who scheduled it, and that no link went out.
    sent = request.events.get(kind="sent")
    scheduled = request.events.get(kind="scheduled")
    assert sent.actor == company.recruiter and "Scheduled directly by Riley Chen" in sent.detail
    assert scheduled.actor == company.recruiter
    assert not scheduled.by_candidate


def test_a_time_never_offered_is_refused_and_nothing_is_written(company: Company) -> None:
    with pytest.raises(SlotNotOfferedError):
        schedule(company, start=TUESDAY_10 + timedelta(minutes=7))
    with pytest.raises(SlotNotOfferedError):
        schedule(company, start=TUESDAY_10.replace(hour=3))  # 22:00 in New York

    assert not SchedulingRequest.objects.exists()
    assert not Interview.objects.exists()
    assert not RequestEvent.objects.exists()


def test_a_time_taken_meanwhile_is_refused_with_409_and_nothing_is_written(
    company: Company,
) -> None:
    other = company.send().request
    interview_book(request=other, start=TUESDAY_10, candidate_time_zone="UTC")
    # The other request is booked, not waiting: sending again is allowed.
    with pytest.raises(SlotTakenError) as refusal:
        schedule(company)
    assert refusal.value.status_code == 409
    assert SchedulingRequest.objects.count() == 1
    assert Interview.objects.count() == 1


def test_a_candidate_with_a_request_waiting_is_told_so(company: Company) -> None:
    company.send()
    with pytest.raises(RequestSkippedError, match="already has a pending request"):
        schedule(company)
    assert Interview.objects.count() == 0


def test_a_pool_seat_is_drawn_as_for_the_candidate(company: Company) -> None:
    pooled = pool_company_build(company, ["Ann Lee", "Bo Chen"])
    interview = schedule(company)
    assert [seat["name"] for seat in interview.assignment] in (["Ann Lee"], ["Bo Chen"])
    holders = set(InterviewerBooking.objects.values_list("interviewer_id", flat=True))
    assert company.interviewer.pk in holders
    assert holders & {user.pk for user in pooled.engineers}


def test_a_loop_is_scheduled_whole(company: Company) -> None:
    loop = loop_company_build(company)
    schedule(company, template=loop.template)
    sessions = Interview.objects.filter(loop__isnull=False).order_by("start")
    assert [(row.start, row.end) for row in sessions] == [
        (start, end) for _, start, end in agenda_at(TUESDAY_10)
    ]
