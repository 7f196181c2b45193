"""Settings → Webhooks pages: admins only, one organization's endpoints only (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from hireslot.accounts.models import Membership, Organization, Role
from hireslot.messaging.models import WebhookDelivery, WebhookEndpoint, WebhookMessage
from hireslot.messaging.webhooks import webhook_endpoint_create, webhook_test_send
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(organization: Organization) -> Membership:
    return MembershipFactory(organization=organization, role=Role.ADMIN)


@pytest.fixture
def admin_client(client: Client, admin: Membership) -> Client:
    client.force_login(admin.user)
    return client


def endpoint_of(organization: Organization) -> WebhookEndpoint:
    endpoint, _ = webhook_endpoint_create(
        organization=organization, url="http://127.0.0.1:9/in", event_types=["*"]
    )
    return endpoint


def test_an_admin_creates_an_endpoint_and_sees_the_secret_once(admin_client: Client) -> None:
    created = admin_client.post(
        "/settings/webhooks/",
        {"url": "http://127.0.0.1:9/in", "event_types": ["interview.scheduled"]},
    )
    assert created.status_code == 200
    assert b"whsec_" in created.content
    assert b"whsec_" not in admin_client.get("/settings/webhooks/").content


def test_bad_input_is_shown_by_its_field_and_nothing_is_saved(
    admin_client: Client, settings: object
) -> None:
    refused = admin_client.post(
        "/settings/webhooks/", {"url": "ftp://example.com/x", "event_types": ["*"]}
    )
    assert refused.status_code == 400
    assert b"Enter an http:// or https:// address" in refused.content
    assert not WebhookEndpoint.objects.exists()


def test_recruiters_and_interviewers_cannot_reach_webhooks(
    organization: Organization, client: Client
) -> None:
    endpoint = endpoint_of(organization)
    for role in (Role.RECRUITER, Role.INTERVIEWER):
        client.force_login(MembershipFactory(organization=organization, role=role).user)
        for path in ("/settings/webhooks/", f"/settings/webhooks/{endpoint.pk}/"):
            assert client.get(path).status_code in (403, 404), (role, path)
        assert client.post(f"/settings/webhooks/{endpoint.pk}/delete/").status_code in (403, 404)
    assert WebhookEndpoint.objects.filter(pk=endpoint.pk).exists()


def test_another_organizations_endpoint_answers_404_on_every_page_and_action(
    admin_client: Client,
) -> None:
    theirs = endpoint_of(OrganizationFactory(slug="theirs"))
    message = webhook_test_send(endpoint=theirs)
    base = f"/settings/webhooks/{theirs.pk}"
    assert admin_client.get(f"{base}/").status_code == 404
    assert admin_client.get(f"{base}/delete/").status_code == 404
    for action in ("enable", "disable", "rotate", "test", "delete", "replay-failed"):
        assert admin_client.post(f"{base}/{action}/").status_code == 404, action
    assert admin_client.post(f"{base}/messages/{message.message_id}/replay/").status_code == 404
    assert theirs.url.encode() not in admin_client.get("/settings/webhooks/").content
    theirs.refresh_from_db()
    assert theirs.enabled and WebhookMessage.objects.filter(endpoint=theirs).count() == 1


def test_a_message_of_another_organization_cannot_be_replayed_through_ours(
    organization: Organization, admin_client: Client
) -> None:
    ours = endpoint_of(organization)
    theirs = webhook_test_send(endpoint=endpoint_of(OrganizationFactory(slug="theirs")))
    answer = admin_client.post(f"/settings/webhooks/{ours.pk}/messages/{theirs.message_id}/replay/")
    assert answer.status_code == 404


def test_the_log_shows_each_attempt_and_failed_ones_can_be_replayed(
    organization: Organization, admin_client: Client
) -> None:
    endpoint = endpoint_of(organization)
    message = webhook_test_send(endpoint=endpoint)
    WebhookMessage.objects.filter(pk=message.pk).update(state="failed", attempts=1)
    WebhookDelivery.objects.create(
        organization=organization,
        message=message,
        endpoint=endpoint,
        attempt=1,
        status_code=503,
        response_ms=87,
        response_body="upstream busy",
        error="HTTP 503",
    )
    page = admin_client.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
    for shown in (message.message_id, "503", "87 ms", "upstream busy", "HTTP 503"):
        assert shown in page
    now = datetime.now(UTC)
    replayed = admin_client.post(
        f"/settings/webhooks/{endpoint.pk}/replay-failed/",
        {
            "since": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "until": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        follow=True,
    )
    assert b"1 failed message will be sent again." in replayed.content
    message.refresh_from_db()
    assert message.state == "pending"
