"""Webhook endpoints through the API: subscribe (the secret shown once), list, rotate,
delete, read the delivery log, and replay a message with the same webhook-id."""

from __future__ import annotations

import re

from hireslot.messaging.models import WebhookDelivery, WebhookEndpoint, WebhookMessage
from tests.api.conftest import Api
from tests.scheduling.conftest import Company

SECRET = re.compile(r"^whsec_[A-Za-z0-9+/=]{32,88}$")


def subscribe(api: Api, **body: object) -> dict[str, object]:
    response = api.post(
        "/api/v1/webhook-endpoints",
        {"url": "http://127.0.0.1:9/hooks", "event_types": ["*"], **body},
    )
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_subscribing_answers_the_secret_once(api: Api) -> None:
    created = subscribe(api, description="ATS", event_types=["interview.scheduled"])

    assert SECRET.match(str(created["secret"]))
    assert created["event_types"] == ["interview.scheduled"]
    assert created["enabled"] is True
    (listed,) = api.get("/api/v1/webhook-endpoints").json()["items"]
    assert "secret" not in listed
    assert listed["id"] == created["id"]


def test_a_bad_endpoint_is_a_400_with_field_errors(api: Api) -> None:
    response = api.post(
        "/api/v1/webhook-endpoints",
        {"url": "ftp://example.com", "event_types": ["no.such_event"]},
    )

    assert response.status_code == 400
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"url", "event_types"}
    assert not WebhookEndpoint.objects.exists()


def test_rotating_gives_a_new_secret_while_the_old_one_still_signs(api: Api) -> None:
    created = subscribe(api)

    response = api.post(f"/api/v1/webhook-endpoints/{created['id']}/rotate-secret")

    assert response.status_code == 200
    assert SECRET.match(response.json()["secret"])
    assert response.json()["secret"] != created["secret"]
    assert response.json()["previous_secret_expires_at"] == "2026-03-03T12:00:00Z"


def test_deleting_answers_204(api: Api) -> None:
    created = subscribe(api)

    response = api.delete(f"/api/v1/webhook-endpoints/{created['id']}")

    assert response.status_code == 204
    assert response.content == b""
    assert not WebhookEndpoint.objects.exists()


def test_the_delivery_log_and_replay(api: Api, company: Company) -> None:
    created = subscribe(api)
    company.send()
    message = WebhookMessage.objects.get(event_type="scheduling_request.sent")
    WebhookDelivery.objects.create(
        organization=company.organization,
        message=message,
        endpoint_id=created["id"],
        attempt=1,
        status_code=500,
        error="HTTP 500",
    )

    log = api.get(f"/api/v1/webhook-endpoints/{created['id']}/deliveries").json()
    replay = api.post(f"/api/v1/webhook-messages/{message.message_id}/replay")

    (delivery,) = log["items"]
    assert delivery["message_id"] == message.message_id
    assert (delivery["event_type"], delivery["attempt"], delivery["status_code"]) == (
        "scheduling_request.sent",
        1,
        500,
    )
    assert replay.status_code == 202
    assert replay.json()["message_id"] == message.message_id
    assert replay.json()["state"] == "pending"


def test_replaying_an_unknown_message_is_a_404(api: Api) -> None:
    response = api.post("/api/v1/webhook-messages/msg_nothing/replay")

    assert response.status_code == 404
