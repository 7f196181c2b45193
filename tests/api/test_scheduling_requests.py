"""Scheduling requests through the API: sent with the page's refusals, with or without the
email, read and filtered, cancelled; the candidate's own slots, and booking them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hireslot.accounts.models import Plan
from hireslot.messaging.models import OutgoingEmail, WebhookMessage
from hireslot.messaging.webhooks import webhook_endpoint_create
from hireslot.recruiting.services import application_create, candidate_create, candidate_update
from hireslot.scheduling.models import Interview, SchedulingRequest
from hireslot.scheduling.services import scheduling_request_problem
from tests.api.conftest import Api
from tests.scheduling.conftest import Company

TUESDAY_10 = "2026-03-03T15:00:00Z"  # 10:00 in New York


def send(api: Api, company: Company, **extra: Any) -> Any:
    return api.post(
        "/api/v1/scheduling-requests",
        {
            "application_id": str(company.application.pk),
            "template_id": str(company.template.pk),
            **extra,
        },
    )


def test_sending_answers_201_with_the_candidates_link_and_emails_it(
    api: Api, company: Company
) -> None:
    response = send(api, company)

    assert response.status_code == 201
    document = response.json()
    request = SchedulingRequest.objects.get(pk=document["id"])
    assert document["status"] == "pending"
    assert document["link"].startswith("http://127.0.0.1:8000/s/")
    assert document["expires_at"] == "2026-03-09T12:00:00Z"
    assert document["application_id"] == str(company.application.pk)
    assert document["template_id"] == str(company.template.pk)
    assert document["interview_id"] is None
    assert document["emailed"] is True
    assert request.sender == company.recruiter  # the key's maker, still a member
    assert OutgoingEmail.objects.filter(to="ada@acme.example").count() == 1


def test_send_email_false_answers_the_link_without_emailing(api: Api, company: Company) -> None:
    response = send(api, company, send_email=False)

    assert response.status_code == 201
    assert response.json()["emailed"] is False
    assert response.json()["link"].startswith("http://127.0.0.1:8000/s/")
    assert not OutgoingEmail.objects.exists()
    link_path = response.json()["link"].removeprefix("http://127.0.0.1:8000")
    assert Client().get(link_path).status_code == 200


def test_a_second_request_for_the_same_interview_is_refused_with_409(
    api: Api, company: Company
) -> None:
    send(api, company)

    response = send(api, company)

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Ada Okafor already has a pending request for the Manager Interview."
    }
    assert SchedulingRequest.objects.count() == 1


def test_the_refusals_read_as_on_the_recruiter_page(api: Api, company: Company) -> None:
    candidate_update(candidate=company.candidate, email="")
    page_reason = scheduling_request_problem(
        application=company.application, template=company.template, sender=company.recruiter
    )

    response = send(api, company)

    assert response.status_code == 409
    assert response.json()["detail"] == page_reason == "Ada Okafor has no email address."


def test_a_plan_without_self_scheduling_is_refused_with_409(api: Api, company: Company) -> None:
    company.organization.plan = Plan.STARTER
    company.organization.save()

    response = send(api, company)

    assert response.status_code == 409
    assert "Self-scheduling is part of the Scale or Enterprise plan" in response.json()["detail"]


def test_interviewers_without_working_hours_are_refused_with_400(
    api: Api, company: Company
) -> None:
    settings = company.interviewer.availability
    settings.weekly_hours = {}
    settings.save()

    response = send(api, company)

    assert response.status_code == 400
    assert "has no working hours" in response.json()["detail"]


@pytest.mark.parametrize("field", ["application_id", "template_id"])
def test_an_unknown_id_in_the_body_names_the_field(api: Api, company: Company, field: str) -> None:
    response = send(api, company, **{field: "not-an-id"})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    assert not SchedulingRequest.objects.exists()


def test_reading_filtering_and_cancelling_a_request(api: Api, company: Company) -> None:
    request_id = send(api, company).json()["id"]

    assert api.get(f"/api/v1/scheduling-requests/{request_id}").json()["status"] == "pending"
    assert [
        r["id"] for r in api.get("/api/v1/scheduling-requests", status="pending").json()["items"]
    ] == [request_id]
    assert api.get("/api/v1/scheduling-requests", status="cancelled").json()["items"] == []

    cancelled = api.post(f"/api/v1/scheduling-requests/{request_id}/cancel")

    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert [
        r["id"] for r in api.get("/api/v1/scheduling-requests", status="cancelled").json()["items"]
    ] == [request_id]


def test_an_unknown_status_filter_is_a_400(api: Api) -> None:
    response = api.get("/api/v1/scheduling-requests", status="lost")

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "status"


def test_the_slots_are_exactly_the_candidates(api: Api, company: Company) -> None:
    sent = company.send()
    token = sent.link.rsplit("/", 1)[-1]
    candidates = Client().get(
        f"/s/{token}/slots", {"from": "2026-03-02", "to": "2026-03-06", "tz": "UTC"}
    )

    ours = api.get(
        f"/api/v1/scheduling-requests/{sent.request.pk}/slots",
        **{"from": "2026-03-02T00:00:00Z", "to": "2026-03-07T00:00:00Z"},
    )

    assert ours.status_code == 200
    assert ours.json()["slots"] == candidates.json()["slots"]
    assert {"start": TUESDAY_10, "end": "2026-03-03T15:45:00Z"} in ours.json()["slots"]


def test_slots_of_a_cancelled_request_are_a_409(api: Api, company: Company) -> None:
    request_id = send(api, company).json()["id"]
    api.post(f"/api/v1/scheduling-requests/{request_id}/cancel")

    response = api.get(f"/api/v1/scheduling-requests/{request_id}/slots")

    assert response.status_code == 409


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-03-05T00:00:00Z", "to": "2026-03-04T00:00:00Z"}, "to"),
        ({"from": "2026-03-02T00:00:00Z", "to": "2026-06-02T00:00:00Z"}, "to"),
        ({"from": "2026-03-02T00:00:00"}, "from"),
        ({"from": "9999-12-31T23:59:59Z"}, "from"),
    ],
)
def test_a_bad_slot_window_is_a_400_naming_the_field(
    api: Api, company: Company, query: dict[str, str], field: str
) -> None:
    request_id = send(api, company).json()["id"]

    response = api.get(f"/api/v1/scheduling-requests/{request_id}/slots", **query)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field


def test_booking_for_the_candidate_answers_the_interview(api: Api, company: Company) -> None:
    request_id = send(api, company).json()["id"]

    response = api.post(f"/api/v1/scheduling-requests/{request_id}/book", {"start": TUESDAY_10})

    assert response.status_code == 201
    interview = response.json()
    assert interview["start"] == TUESDAY_10
    assert interview["end"] == "2026-03-03T15:45:00Z"
    assert interview["status"] == "scheduled"
    assert interview["candidate_time_zone"] == "America/New_York"
    assert interview["interviewers"] == [
        {"id": str(company.interviewer.pk), "name": "Nora Alvarez", "email": "nora@acme.example"}
    ]
    request = api.get(f"/api/v1/scheduling-requests/{request_id}").json()
    assert request["status"] == "scheduled"
    assert request["interview_id"] == interview["id"]


def test_booking_a_time_no_longer_free_is_a_409(api: Api, company: Company, other_api: Api) -> None:
    first = company.send()
    second_candidate = api.post(
        "/api/v1/candidates",
        {"first_name": "Bo", "email": "bo@example.com", "job_id": str(company.application.job_id)},
    ).json()
    second = api.post(
        "/api/v1/scheduling-requests",
        {
            "application_id": second_candidate["applications"][0]["id"],
            "template_id": str(company.template.pk),
        },
    ).json()
    assert (
        api.post(
            f"/api/v1/scheduling-requests/{first.request.pk}/book", {"start": TUESDAY_10}
        ).status_code
        == 201
    )

    response = api.post(f"/api/v1/scheduling-requests/{second['id']}/book", {"start": TUESDAY_10})

    assert response.status_code == 409
    assert response.json()["detail"] == "Sorry, that time was just taken or is no longer available."
    assert Interview.objects.count() == 1


@pytest.mark.parametrize(
    "start", ["2026-03-03T03:00:00Z", "2026-03-03T15:07:00Z", "2026-03-01T15:00:00Z"]
)
def test_booking_a_time_never_offered_is_a_400(api: Api, company: Company, start: str) -> None:
    request_id = send(api, company).json()["id"]

    response = api.post(f"/api/v1/scheduling-requests/{request_id}/book", {"start": start})

    assert response.status_code == 400
    assert not Interview.objects.exists()


def test_booking_in_an_unknown_zone_is_a_400(api: Api, company: Company) -> None:
    request_id = send(api, company).json()["id"]

    response = api.post(
        f"/api/v1/scheduling-requests/{request_id}/book",
        {"start": TUESDAY_10, "time_zone": "Mars/Olympus"},
    )

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "time_zone", "message": "“Mars/Olympus” is not a known time zone."}
    ]


def test_cancelling_a_booked_request_tells_webhooks_the_api_did_it(
    api: Api, company: Company
) -> None:
    webhook_endpoint_create(
        organization=company.organization,
        url="http://127.0.0.1:9/hooks",
        event_types=["interview.cancelled"],
    )
    request_id = send(api, company).json()["id"]
    api.post(f"/api/v1/scheduling-requests/{request_id}/book", {"start": TUESDAY_10})

    response = api.post(f"/api/v1/scheduling-requests/{request_id}/cancel")

    assert response.json()["status"] == "cancelled"
    message = WebhookMessage.objects.get(event_type="interview.cancelled")
    assert message.payload["data"]["cancelled_by"] == "api"


def test_a_page_of_requests_costs_the_same_queries_for_one_or_many(
    api: Api, company: Company
) -> None:
    """Given one request without an interview, and then seven more: listing them must not
    cost a query per request (it once looked each missing interview up twice)."""
    send(api, company, send_email=False)
    with CaptureQueriesContext(connection) as one:
        assert len(api.get("/api/v1/scheduling-requests").json()["items"]) == 1
    for number in range(7):
        candidate = candidate_create(
            organization=company.organization, first_name=f"C{number}", email=f"c{number}@x.example"
        )
        application = application_create(
            candidate=candidate, job=company.application.job, actor=company.recruiter
        )
        api.post(
            "/api/v1/scheduling-requests",
            {
                "application_id": str(application.pk),
                "template_id": str(company.template.pk),
                "send_email": False,
            },
        )

    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/api/v1/scheduling-requests").json()["items"]) == 8

    assert len(many.captured_queries) == len(one.captured_queries)
