"""Matching the candidate's availability (issue 16, decision 0031): suggestions are exactly
the offered times inside one window, auto-scheduling books the earliest at once (or leaves
the request waiting for the team), and ``availability.submitted`` is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from hireslot.messaging.models import EmailTemplate, WebhookMessage
from hireslot.messaging.webhooks import webhook_endpoint_create
from hireslot.recruiting.services import application_create, candidate_create
from hireslot.scheduling.models import Interview, RequestEvent, SchedulingRequest
from hireslot.scheduling.selectors import offered_slots
from hireslot.scheduling.services import interview_book, scheduling_request_send
from hireslot.scheduling.services.availability import (
    AvailabilitySubmitted,
    candidate_availability_submit,
)
from hireslot.scheduling.services.bulk import bulk_send_run, bulk_send_start
from hireslot.scheduling.services.starter import AVAILABILITY_NAME
from hireslot.scheduling.suggestions import (
    Suggestion,
    availability_suggestions,
    slots_inside_windows,
)

from .conftest import NOW, Company
from .loop_company import loop_company_build

TUESDAY = datetime(2026, 3, 3, tzinfo=UTC)


def at(day: datetime, hour: int, minute: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute)


def submit(
    request: SchedulingRequest, *windows: tuple[datetime, datetime]
) -> AvailabilitySubmitted:
    return candidate_availability_submit(
        request=request, time_zone="Europe/Berlin", windows=windows
    )


def test_suggestions_are_the_offered_times_lying_wholly_inside_a_window(company: Company) -> None:
    request = company.send().request
    # 09:00-11:00 in New York on Tuesday, and a Saturday nobody works.
    submit(
        request,
        (at(TUESDAY, 14), at(TUESDAY, 16)),
        (at(TUESDAY + timedelta(days=4), 14), at(TUESDAY + timedelta(days=4), 20)),
    )

    suggestions = availability_suggestions(request=request)

    offered = offered_slots(request=request, start=at(TUESDAY, 0), end=at(TUESDAY, 23), now=NOW)
    expected = [
        s.start_at for s in offered if at(TUESDAY, 14) <= s.start_at and s.end_at <= at(TUESDAY, 16)
    ]
    assert [s.start for s in suggestions] == expected
    # 45 minutes every 30: 14:00, 14:30, 15:00; 15:30 would end at 16:15, outside.
    assert [s.start for s in suggestions] == [at(TUESDAY, 14), at(TUESDAY, 14, 30), at(TUESDAY, 15)]
    assert all(s.end - s.start == timedelta(minutes=45) for s in suggestions)


def test_a_time_another_candidate_booked_is_no_longer_suggested(company: Company) -> None:
    request = company.send().request
    submit(request, (at(TUESDAY, 14), at(TUESDAY, 17)))
    other = candidate_create(
        organization=company.organization,
        first_name="Bo",
        last_name="Lund",
        email="bo@acme.example",
    )
    other_application = application_create(
        candidate=other, job=company.application.job, actor=company.recruiter
    )
    other_request = scheduling_request_send(
        application=other_application, template=company.template, sender=company.recruiter
    ).request
    interview_book(request=other_request, start=at(TUESDAY, 14, 30), candidate_time_zone="UTC")

    suggestions = availability_suggestions(request=request)

    # 14:30-15:15 is taken: 14:00, 14:30 and 15:00 overlap it.
    assert [s.start for s in suggestions] == [at(TUESDAY, 15, 30), at(TUESDAY, 16)]


def test_auto_schedule_books_the_earliest_suggestion_and_emails_everyone(
    company: Company, client: Client
) -> None:
    company.template.auto_schedule = True
    company.template.save()
    request = company.send().request

    submitted = candidate_availability_submit(
        request=request,
        time_zone="Asia/Tokyo",
        windows=[(at(TUESDAY, 15), at(TUESDAY, 17)), (at(TUESDAY, 13), at(TUESDAY, 14, 30))],
        candidate_language="en",
    )

    assert submitted.interview is not None
    interview = Interview.objects.get()
    # 13:00Z is 08:00 in New York, before Nora's hours: the earliest fit is 14:00 (09:00).
    assert interview.start == at(TUESDAY, 15)
    assert interview.candidate_time_zone == "Asia/Tokyo"
    request.refresh_from_db()
    assert request.status == "scheduled"
    kinds = list(request.events.values_list("kind", flat=True))
    assert kinds == ["sent", "availability_received", "scheduled"]
    assert interview.effects.filter(kind="candidate_invite").exists()
    assert interview.effects.filter(kind="calendar_event").exists()


def test_auto_schedule_with_nothing_that_fits_leaves_the_request_waiting_for_the_team(
    company: Company,
) -> None:
    company.template.auto_schedule = True
    company.template.save()
    request = company.send().request
    saturday = TUESDAY + timedelta(days=4)

    submitted = candidate_availability_submit(
        request=request, time_zone="UTC", windows=[(at(saturday, 10), at(saturday, 20))]
    )

    assert submitted.interview is None
    assert not Interview.objects.exists()
    request.refresh_from_db()
    assert request.status == "availability_received"
    assert availability_suggestions(request=request) == []


def test_availability_submitted_is_sent_to_webhooks_with_the_windows(company: Company) -> None:
    webhook_endpoint_create(
        organization=company.organization,
        url="http://127.0.0.1:9/hooks",
        event_types=["availability.submitted"],
    )
    request = company.send().request

    candidate_availability_submit(
        request=request,
        time_zone="Asia/Tokyo",
        windows=[(at(TUESDAY, 14), at(TUESDAY, 16))],
        note="Any time that day",
    )

    message = WebhookMessage.objects.get()
    assert message.event_type == "availability.submitted"
    data = message.payload["data"]
    assert data["request"]["status"] == "availability_received"
    assert data["request"]["kind"] == "offer_times"
    assert data["availability"] == {
        "time_zone": "Asia/Tokyo",
        "windows": [{"start": "2026-03-03T14:00:00Z", "end": "2026-03-03T16:00:00Z"}],
        "note": "Any time that day",
        "submitted_at": "2026-03-02T12:00:00Z",
    }


def test_an_availability_request_says_share_when_you_are_free(company: Company) -> None:
    sent = scheduling_request_send(
        application=company.application,
        template=company.template,
        sender=company.recruiter,
        kind="ask_availability",
    )

    email = sent.request.email
    assert email is not None
    assert email.subject == "When could you do your Manager Interview with Acme acme?"
    assert "share when you are free" in email.body_text
    assert sent.request.kind == "ask_availability"
    assert sent.request.status == "availability_requested"


def test_a_booked_interview_cannot_take_availability(company: Company) -> None:
    request = company.send().request
    interview_book(request=request, start=at(TUESDAY, 15), candidate_time_zone="UTC")

    with pytest.raises(Exception, match="already booked"):
        submit(request, (at(TUESDAY, 16), at(TUESDAY, 18)))
    assert not RequestEvent.objects.filter(kind="availability_received").exists()


def test_a_loop_is_suggested_only_when_the_whole_loop_fits_one_window_and_auto_books_whole(
    company: Company,
) -> None:
    loop = loop_company_build(company)
    loop.template.auto_schedule = True
    loop.template.save()
    request = scheduling_request_send(
        application=company.application, template=loop.template, sender=company.recruiter
    ).request
    # 09:30-13:30 in New York; the loop takes 3 h 15 min.
    window = (at(TUESDAY, 14, 30), at(TUESDAY, 18, 30))
    offered = offered_slots(request=request, start=window[0], end=window[1], now=NOW)
    expected = [s.start_at for s in offered if s.end_at <= window[1]]
    assert expected == [at(TUESDAY, 14, 30), at(TUESDAY, 15)]
    assert [s.start for s in availability_suggestions_for(request, window)] == expected

    submitted = candidate_availability_submit(request=request, time_zone="UTC", windows=[window])

    assert submitted.interview is not None
    sessions = list(Interview.objects.filter(request=request).order_by("loop_position"))
    assert len(sessions) == 4
    assert sessions[0].start == at(TUESDAY, 14, 30)
    assert sessions[-1].end <= window[1]


def availability_suggestions_for(
    request: SchedulingRequest, window: tuple[datetime, datetime]
) -> list[Suggestion]:
    """The suggestions for ``window`` alone, computed without storing anything."""
    offered = offered_slots(request=request, start=window[0], end=window[1], now=NOW)
    return slots_inside_windows(offered, [window])


def test_a_bulk_send_of_a_template_that_asks_sends_availability_requests(
    company: Company,
) -> None:
    company.template.ask_availability = True
    company.template.email_template = EmailTemplate.objects.get(
        organization=company.organization, name=AVAILABILITY_NAME
    )
    company.template.save()
    others = [
        application_create(
            candidate=candidate_create(
                organization=company.organization,
                first_name=f"Cand{number}",
                email=f"cand{number}@example.com",
            ),
            job=company.application.job,
            actor=company.recruiter,
        )
        for number in range(3)
    ]
    bulk_send = bulk_send_start(
        organization=company.organization,
        template=company.template,
        applications=others,
        sender=company.recruiter,
    )

    bulk_send_run(bulk_send_id=bulk_send.pk)

    requests = SchedulingRequest.objects.filter(bulk_send=bulk_send).select_related("email")
    assert [(r.kind, r.status) for r in requests] == [
        ("ask_availability", "availability_requested")
    ] * 3
    assert {r.email.subject for r in requests if r.email} == {
        "When could you do your Manager Interview with Acme acme?"
    }
