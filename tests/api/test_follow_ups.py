"""The contract's "Reminders, nudges, no-shows": what the API shows of them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine

from hireslot.messaging.models import OutgoingEmail, WebhookMessage
from hireslot.messaging.webhooks import webhook_endpoint_create
from hireslot.scheduling.models import Interview, SchedulingRequest
from hireslot.scheduling.services import interview_book
from tests.scheduling.conftest import Company

from .conftest import Api

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def book(company: Company) -> Interview:
    request = company.send().request
    return interview_book(request=request, start=TUESDAY_10, candidate_time_zone="Europe/Paris")


def test_an_interview_shows_its_two_candidate_reminders_and_a_cancel_cancels_them(
    company: Company, api: Api
) -> None:
    interview = book(company)

    body = api.get(f"/api/v1/interviews/{interview.pk}").json()

    assert [
        (r["audience"], r["channel"], r["due_at"], r["state"], r["reason"])
        for r in body["reminders"]
    ] == [
        ("candidate", "email", "2026-03-02T15:00:00Z", "planned", ""),
        ("candidate", "email", "2026-03-03T14:00:00Z", "planned", ""),
    ]
    assert body["no_show"] is None
    ids = [r["id"] for r in body["reminders"]]

    moved = api.post(
        f"/api/v1/interviews/{interview.pk}/reschedule",
        {"start": "2026-03-04T15:00:00Z", "reason": "The panel changed"},
    )
    assert moved.status_code == 200
    body = api.get(f"/api/v1/interviews/{interview.pk}").json()
    [move] = body["reschedules"]
    assert (move["by"], move["reason"]) == ("team", "The panel changed")
    assert move["detail"] == "2026-03-03 15:00 → 2026-03-04 15:00 UTC"
    assert [(r["id"], r["due_at"]) for r in body["reminders"]] == [
        (ids[0], "2026-03-03T15:00:00Z"),
        (ids[1], "2026-03-04T14:00:00Z"),
    ]

    assert api.post(f"/api/v1/interviews/{interview.pk}/cancel").status_code == 200
    body = api.get(f"/api/v1/interviews/{interview.pk}").json()
    assert {r["state"] for r in body["reminders"]} == {"cancelled"}


def test_a_request_shows_its_nudges_and_booking_cancels_them(company: Company, api: Api) -> None:
    request = company.send().request

    body = api.get(f"/api/v1/scheduling-requests/{request.pk}").json()
    assert [(n["due_at"], n["state"]) for n in body["nudges"]] == [
        ("2026-03-03T12:00:00Z", "planned"),
        ("2026-03-05T12:00:00Z", "planned"),
    ]

    booked = api.post(
        f"/api/v1/scheduling-requests/{request.pk}/book", {"start": "2026-03-03T15:00:00Z"}
    )
    assert booked.status_code == 201
    body = api.get(f"/api/v1/scheduling-requests/{request.pk}").json()
    assert {(n["state"], n["reason"]) for n in body["nudges"]} == {
        ("cancelled", "The candidate booked.")
    }


def test_a_no_show_is_refused_before_the_start_and_recorded_after(
    company: Company, api: Api
) -> None:
    webhook_endpoint_create(
        organization=company.organization,
        url="https://ats.example/hooks",
        event_types=["interview.no_show"],
    )
    company.template.no_show_follow_up = "new_link"
    company.template.save()
    interview = book(company)
    path = f"/api/v1/interviews/{interview.pk}/no-show"

    early = api.post(path, {"who": "candidate", "note": "Nobody joined"})
    assert early.status_code == 409
    assert "started" in early.json()["detail"]

    with time_machine.travel(TUESDAY_10 + timedelta(minutes=10), tick=False):
        marked = api.post(path, {"who": "candidate", "note": "Nobody joined"})

    assert marked.status_code == 200
    no_show = marked.json()["no_show"]
    assert (no_show["who"], no_show["note"]) == ("candidate", "Nobody joined")
    # The template's follow-up: a fresh link to pick a new time, emailed to the candidate
    fresh = SchedulingRequest.objects.get(pk=no_show["follow_up_request_id"])
    assert fresh.status == "pending" and fresh.application_id == company.application.pk
    assert (
        OutgoingEmail.objects.filter(kind="scheduling_request", to="ada@acme.example").count() == 2
    )
    [message] = WebhookMessage.objects.filter(event_type="interview.no_show")
    assert message.payload["data"]["no_show"]["who"] == "candidate"
    # Once is enough
    with time_machine.travel(TUESDAY_10 + timedelta(minutes=11), tick=False):
        assert api.post(path, {"who": "candidate"}).status_code == 409
    assert api.post(path, {"who": "nobody"}).status_code in (400, 422)
