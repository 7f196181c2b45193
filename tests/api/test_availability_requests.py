"""Availability requests through the API (issue 16): ``kind`` on sending and in every
answer, the shared ``availability`` and its ``suggestions``, and booking one."""

from __future__ import annotations

from typing import Any

from django.test import Client

from hireslot.scheduling.models import Interview, SchedulingRequest
from tests.api.conftest import Api
from tests.scheduling.conftest import Company


def send(api: Api, company: Company, **extra: Any) -> Any:
    return api.post(
        "/api/v1/scheduling-requests",
        {
            "application_id": str(company.application.pk),
            "template_id": str(company.template.pk),
            **extra,
        },
    )


def share(client: Client, link: str, *windows: tuple[str, str], zone: str = "Asia/Tokyo") -> Any:
    """The candidate sends their windows from their link, as the week grid does."""
    path = link.removeprefix("http://127.0.0.1:8000")
    return client.post(
        f"{path}/availability",
        data={
            "time_zone": zone,
            "windows": [{"start": start, "end": end} for start, end in windows],
            "note": "After 9 my time",
        },
        content_type="application/json",
    )


def test_kind_defaults_to_the_templates_and_is_in_every_answer(api: Api, company: Company) -> None:
    offered = send(api, company).json()
    assert offered["kind"] == "offer_times"
    assert offered["status"] == "pending"
    SchedulingRequest.objects.all().delete()
    company.template.ask_availability = True
    company.template.save()

    asked = send(api, company).json()

    assert asked["kind"] == "ask_availability"
    assert asked["status"] == "availability_requested"
    listed = api.get("/api/v1/scheduling-requests").json()
    assert [row["kind"] for row in listed["items"]] == ["ask_availability"]
    detail = api.get(f"/api/v1/scheduling-requests/{asked['id']}").json()
    assert detail["kind"] == "ask_availability"
    assert detail["availability"] is None
    assert detail["suggestions"] == []
    filtered = api.get("/api/v1/scheduling-requests", status="availability_requested").json()
    assert [row["id"] for row in filtered["items"]] == [asked["id"]]


def test_kind_in_the_body_overrides_the_templates(api: Api, company: Company) -> None:
    response = send(api, company, kind="ask_availability")

    assert response.status_code == 201
    assert response.json()["kind"] == "ask_availability"


def test_an_unknown_kind_is_a_400(api: Api, company: Company) -> None:
    response = send(api, company, kind="guess")

    assert response.status_code == 400
    assert not SchedulingRequest.objects.exists()


def test_the_request_shows_the_shared_windows_and_the_times_that_fit(
    api: Api, company: Company, client: Client
) -> None:
    sent = send(api, company).json()
    # 09:00-11:00 in New York (Tuesday), and 18:00-19:30 after Nora's hours.
    assert share(
        client,
        sent["link"],
        ("2026-03-03T23:00:00Z", "2026-03-04T00:30:00Z"),
        ("2026-03-03T14:00:00Z", "2026-03-03T16:00:00Z"),
    ).json() == {"status": "availability_received"}

    detail = api.get(f"/api/v1/scheduling-requests/{sent['id']}").json()

    assert detail["status"] == "availability_received"
    assert detail["availability"] == {
        "time_zone": "Asia/Tokyo",
        "windows": [
            {"start": "2026-03-03T14:00:00Z", "end": "2026-03-03T16:00:00Z"},
            {"start": "2026-03-03T23:00:00Z", "end": "2026-03-04T00:30:00Z"},
        ],
        "note": "After 9 my time",
        "submitted_at": "2026-03-02T12:00:00Z",
    }
    assert detail["suggestions"] == [
        {"start": "2026-03-03T14:00:00Z", "end": "2026-03-03T14:45:00Z"},
        {"start": "2026-03-03T14:30:00Z", "end": "2026-03-03T15:15:00Z"},
        {"start": "2026-03-03T15:00:00Z", "end": "2026-03-03T15:45:00Z"},
    ]


def test_booking_a_suggestion_books_it_in_the_candidates_zone(
    api: Api, company: Company, client: Client
) -> None:
    sent = send(api, company).json()
    share(client, sent["link"], ("2026-03-03T14:00:00Z", "2026-03-03T16:00:00Z"))

    response = api.post(
        f"/api/v1/scheduling-requests/{sent['id']}/book", {"start": "2026-03-03T14:30:00Z"}
    )

    assert response.status_code == 201
    assert response.json()["start"] == "2026-03-03T14:30:00Z"
    assert response.json()["candidate_time_zone"] == "Asia/Tokyo"
    detail = api.get(f"/api/v1/scheduling-requests/{sent['id']}").json()
    assert detail["status"] == "scheduled"
    assert detail["interview_id"] == response.json()["id"]
    assert detail["suggestions"] == []


def test_booking_an_offered_time_outside_the_windows_is_a_400(
    api: Api, company: Company, client: Client
) -> None:
    sent = send(api, company).json()
    share(client, sent["link"], ("2026-03-03T14:00:00Z", "2026-03-03T16:00:00Z"))

    # Offered (17:00 is 12:00 in New York) but not inside the candidate's window.
    response = api.post(
        f"/api/v1/scheduling-requests/{sent['id']}/book", {"start": "2026-03-03T17:00:00Z"}
    )

    assert response.status_code == 400
    assert "Not one of the suggestions" in response.json()["detail"]
    assert not Interview.objects.exists()


def test_booking_a_suggestion_taken_meanwhile_is_a_409(
    api: Api, company: Company, client: Client
) -> None:
    sent = send(api, company).json()
    share(client, sent["link"], ("2026-03-03T14:00:00Z", "2026-03-03T16:00:00Z"))
    other = api.post(
        "/api/v1/candidates",
        {"first_name": "Bo", "email": "bo@example.com", "job_id": str(company.application.job_id)},
    ).json()
    second = send(api, company, application_id=other["applications"][0]["id"]).json()
    assert (
        api.post(
            f"/api/v1/scheduling-requests/{second['id']}/book", {"start": "2026-03-03T14:00:00Z"}
        ).status_code
        == 201
    )

    response = api.post(
        f"/api/v1/scheduling-requests/{sent['id']}/book", {"start": "2026-03-03T14:00:00Z"}
    )

    assert response.status_code == 409
    assert Interview.objects.count() == 1


def test_an_expired_request_keeps_its_availability_but_suggests_nothing(
    api: Api, company: Company, client: Client
) -> None:
    sent = send(api, company).json()
    share(client, sent["link"], ("2026-03-03T14:00:00Z", "2026-03-03T16:00:00Z"))
    assert api.get(f"/api/v1/scheduling-requests/{sent['id']}").json()["suggestions"]
    SchedulingRequest.objects.filter(pk=sent["id"]).update(expires_at="2026-03-02T12:00:00Z")

    detail = api.get(f"/api/v1/scheduling-requests/{sent['id']}").json()

    assert detail["status"] == "expired"
    assert detail["availability"]["windows"] == [
        {"start": "2026-03-03T14:00:00Z", "end": "2026-03-03T16:00:00Z"}
    ]
    assert detail["suggestions"] == []
