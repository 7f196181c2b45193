"""Interviews through the API: read (UTC with Z, interviewers, steps), listed by start,
rescheduled (409/400 as on the recruiter page) and cancelled."""

from __future__ import annotations

from typing import Any

import pytest

from hireslot.messaging.models import WebhookMessage
from hireslot.messaging.webhooks import webhook_endpoint_create
from hireslot.scheduling.models import Interview
from hireslot.scheduling.services import interview_book
from tests.api.conftest import Api
from tests.api.worlds import FREE_START
from tests.scheduling.conftest import Company
from tests.scheduling.pool_company import pool_company_build


@pytest.fixture
def interview(company: Company) -> Interview:
    return interview_book(
        request=company.send().request, start=FREE_START, candidate_time_zone="Europe/Berlin"
    )


def test_an_interview_reads_as_the_contract_says(
    api: Api, company: Company, interview: Interview
) -> None:
    response = api.get(f"/api/v1/interviews/{interview.pk}")

    assert response.status_code == 200
    document = response.json()
    assert document["id"] == str(interview.pk)
    assert document["request_id"] == str(interview.request_id)
    assert document["start"] == "2026-03-03T15:00:00Z"
    assert document["end"] == "2026-03-03T15:45:00Z"
    assert document["status"] == "scheduled"
    assert document["interviewers"] == [
        {"id": str(company.interviewer.pk), "name": "Nora Alvarez", "email": "nora@acme.example"}
    ]
    assert document["conference_url"].startswith("https://")
    assert {"kind": "candidate_invite", "action": "book", "state": "pending"}.items() <= next(
        step for step in document["steps"] if step["kind"] == "candidate_invite"
    ).items()
    assert all(
        set(step) == {"kind", "action", "state", "attempts", "last_error"}
        for step in document["steps"]
    )


def test_the_steps_list_is_the_effects_ledger(api: Api, interview: Interview) -> None:
    response = api.get(f"/api/v1/interviews/{interview.pk}/steps")

    assert response.status_code == 200
    kinds = sorted(step["kind"] for step in response.json()["items"])
    assert kinds == sorted(interview.effects.values_list("kind", flat=True))
    assert response.json()["next"] is None


def test_interviews_are_listed_by_start_window(api: Api, interview: Interview) -> None:
    def ids(**query: Any) -> list[str]:
        return [row["id"] for row in api.get("/api/v1/interviews", **query).json()["items"]]

    assert ids() == [str(interview.pk)]
    assert ids(**{"from": "2026-03-03T15:00:00Z", "to": "2026-03-03T15:00:01Z"}) == [
        str(interview.pk)
    ]
    assert ids(**{"from": "2026-03-03T15:00:01Z"}) == []
    assert ids(to="2026-03-03T15:00:00+00:00") == []


def test_rescheduling_moves_the_interview(api: Api, interview: Interview) -> None:
    response = api.post(
        f"/api/v1/interviews/{interview.pk}/reschedule", {"start": "2026-03-04T16:00:00Z"}
    )

    assert response.status_code == 200
    assert response.json()["start"] == "2026-03-04T16:00:00Z"
    interview.refresh_from_db()
    assert interview.sequence == 1


def test_rescheduling_to_a_time_never_offered_is_a_400(api: Api, interview: Interview) -> None:
    response = api.post(
        f"/api/v1/interviews/{interview.pk}/reschedule", {"start": "2026-03-04T04:00:00Z"}
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "That time is not one of the offered times."}
    interview.refresh_from_db()
    assert interview.start == FREE_START


def test_rescheduling_to_a_taken_time_is_a_409(
    api: Api, company: Company, interview: Interview
) -> None:
    other_candidate = api.post(
        "/api/v1/candidates",
        {"first_name": "Bo", "email": "bo@example.com", "job_id": str(company.application.job_id)},
    ).json()
    request = api.post(
        "/api/v1/scheduling-requests",
        {
            "application_id": other_candidate["applications"][0]["id"],
            "template_id": str(company.template.pk),
        },
    ).json()
    api.post(f"/api/v1/scheduling-requests/{request['id']}/book", {"start": "2026-03-04T16:00:00Z"})

    response = api.post(
        f"/api/v1/interviews/{interview.pk}/reschedule", {"start": "2026-03-04T16:00:00Z"}
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": "Sorry, that time was just taken or is no longer available."
    }


def test_cancelling_with_a_reason(api: Api, company: Company, interview: Interview) -> None:
    webhook_endpoint_create(
        organization=company.organization, url="http://127.0.0.1:9/h", event_types=["*"]
    )

    response = api.post(f"/api/v1/interviews/{interview.pk}/cancel", {"reason": "Role filled"})

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "Role filled"
    data = WebhookMessage.objects.get(event_type="interview.cancelled").payload["data"]
    assert (data["cancelled_by"], data["reason"]) == ("api", "Role filled")
    again = api.post(f"/api/v1/interviews/{interview.pk}/cancel")
    assert again.status_code == 409
    assert again.json() == {"detail": "This interview was cancelled."}


def test_cancelling_without_a_body(api: Api, interview: Interview) -> None:
    response = api.client.generic(
        "POST",
        f"/api/v1/interviews/{interview.pk}/cancel",
        headers={"Authorization": f"Bearer {api.key}"},
    )

    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"


def test_an_interview_with_a_pool_seat_says_who_was_drawn_and_why(
    api: Api, company: Company
) -> None:
    pool = pool_company_build(company, ["Ann Lee", "Bo Chen"])
    booked = interview_book(
        request=company.send().request, start=FREE_START, candidate_time_zone="UTC"
    )

    document = api.get(f"/api/v1/interviews/{booked.pk}").json()

    [seat] = document["assignment"]
    assert seat["pool_id"] == str(pool.pool.pk)
    assert seat["pool"] == "Engineering interviewers"
    assert seat["name"] in {"Ann Lee", "Bo Chen"}
    assert seat["name"] in seat["reason"]
    assert seat["user_id"] in {person["id"] for person in document["interviewers"]}
