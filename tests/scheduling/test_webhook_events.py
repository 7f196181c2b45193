"""The services that change requests, interviews and connections record their webhook events
in their own transaction, with the payloads the contract names (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from hireslot.calendars.connections import connection_mark_broken
from hireslot.calendars.models import CalendarConnection
from hireslot.messaging.models import WebhookMessage
from hireslot.messaging.webhooks import webhook_endpoint_create
from hireslot.scheduling.documents import (
    REQUEST_STATUS_OF,
    REQUEST_STATUSES,
    instant_z,
    request_document,
)
from hireslot.scheduling.models import SchedulingRequest
from hireslot.scheduling.services import (
    interview_book,
    interview_cancel,
    interview_reschedule,
    scheduling_request_cancel,
    scheduling_request_open,
    scheduling_request_resend,
    scheduling_requests_expiry_announce,
)
from tests.scheduling.conftest import NOW, Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


@pytest.fixture
def hooked(company: Company) -> Company:
    webhook_endpoint_create(
        organization=company.organization, url="http://127.0.0.1:9/hooks", event_types=["*"]
    )
    return company


def events() -> list[tuple[str, dict[str, Any]]]:
    return [
        (message.event_type, message.payload["data"])
        for message in WebhookMessage.objects.order_by("created_at", "message_id")
    ]


def last(event_type: str) -> dict[str, Any]:
    return [data for kind, data in events() if kind == event_type][-1]


def test_no_endpoint_no_message(company: Company) -> None:
    request = company.send().request
    interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")
    assert not WebhookMessage.objects.exists()


def test_a_request_sent_opened_and_cancelled_through_the_api_is_told_each_time(
    hooked: Company,
) -> None:
    request = hooked.send().request
    scheduling_request_open(request=request)
    scheduling_request_open(request=request)  # a second open changes nothing
    scheduling_request_cancel(request=request, actor=None, cancelled_by="api")

    assert [kind for kind, _ in events()] == [
        "scheduling_request.sent",
        "scheduling_request.opened",
        "scheduling_request.cancelled",
    ]
    assert [data["request"]["status"] for _, data in events()] == [
        "pending",
        "opened",
        "cancelled",
    ]
    sent = last("scheduling_request.sent")["request"]
    assert sent["id"] == str(request.pk)
    assert sent["link"].startswith("http")
    assert sent["expires_at"] == instant_z(NOW + timedelta(days=7)) == "2026-03-09T12:00:00Z"
    assert sent["application_id"] == str(hooked.application.pk)
    assert sent["template_id"] == str(hooked.template.pk)


def test_a_reschedule_says_where_the_interview_was(hooked: Company) -> None:
    request = hooked.send().request
    interview = interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")
    later = TUESDAY_10 + timedelta(hours=1)
    interview_reschedule(
        interview=interview, start=later, actor=hooked.recruiter, by_candidate=False
    )

    data = last("interview.rescheduled")
    assert data["previous"] == {"start": "2026-03-03T15:00:00Z", "end": "2026-03-03T15:45:00Z"}
    assert data["interview"]["start"] == "2026-03-03T16:00:00Z"
    assert data["request"]["status"] == "scheduled"
    assert {"interview", "request", "candidate", "reschedule_url", "cancel_url"} <= set(data)


@pytest.mark.parametrize(
    ("by_candidate", "cancelled_by", "expected", "request_status"),
    [
        (True, None, "candidate", "opened"),
        (False, None, "recruiter", "cancelled"),
        (False, "api", "api", "cancelled"),
    ],
)
def test_a_cancel_says_who_cancelled_and_why(
    hooked: Company,
    by_candidate: bool,
    cancelled_by: Any,
    expected: str,
    request_status: str,
) -> None:
    request = hooked.send().request
    interview = interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")
    interview_cancel(
        interview=interview,
        actor=None if by_candidate else hooked.recruiter,
        by_candidate=by_candidate,
        reason="Found another job",
        cancelled_by=cancelled_by,
    )
    data = last("interview.cancelled")
    assert data["cancelled_by"] == expected
    assert data["reason"] == "Found another job"
    assert data["interview"]["status"] == "cancelled"
    assert data["interview"]["interviewers"][0]["email"] == "nora@acme.example"
    assert data["request"]["status"] == request_status
    kinds = [kind for kind, _ in events()]
    # A company cancel closes the request too; a candidate's leaves it open.
    assert ("scheduling_request.cancelled" in kinds) == (request_status == "cancelled")


def test_an_expired_link_is_announced_once_and_again_after_a_resend_expires(
    hooked: Company, travel: time_machine.Coordinates
) -> None:
    request = hooked.send().request
    travel.move_to(NOW + timedelta(days=8))
    assert scheduling_requests_expiry_announce() == 1
    assert scheduling_requests_expiry_announce() == 0
    assert last("scheduling_request.expired")["request"]["status"] == "expired"

    scheduling_request_resend(request=request, actor=hooked.recruiter)
    travel.move_to(NOW + timedelta(days=16))
    assert scheduling_requests_expiry_announce() == 1
    assert [kind for kind, _ in events()].count("scheduling_request.expired") == 2


def test_a_broken_calendar_connection_is_told_once_per_outage(hooked: Company) -> None:
    row = CalendarConnection.objects.create(
        user=hooked.interviewer,
        organization=hooked.organization,
        provider="google",
        account="nora@calendar.example",
        credentials={"access_token": "old"},
    )
    connection_mark_broken(row=row, error="invalid_grant")
    connection_mark_broken(row=row, error="invalid_grant")
    (data,) = [data for kind, data in events() if kind == "calendar_connection.broken"]
    assert data == {
        "user": {"id": str(hooked.interviewer.pk), "email": "nora@acme.example"},
        "provider": "google",
        "error": "invalid_grant",
    }


def test_every_status_of_ours_maps_to_one_of_the_contracts(company: Company) -> None:
    assert set(REQUEST_STATUS_OF) == set(SchedulingRequest.Status.values)
    assert {"pending", "cancelled", "scheduled", "expired"} <= set(REQUEST_STATUSES)
    request = company.send().request
    request.status = SchedulingRequest.Status.RESCHEDULED
    assert request_document(request)["status"] == "scheduled"
