"""Settings → Webhooks in a real browser: an admin adds an endpoint, copies the secret shown
once, sends a test event, reads the delivery log and deletes the endpoint; axe finds no
WCAG 2.2 AA problem on the way."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from standardwebhooks import Webhook

from hireslot.accounts.models import Role
from hireslot.messaging.models import WebhookEndpoint
from hireslot.messaging.webhooks.delivery import webhook_messages_deliver
from tests.browser import axe_violations, chromium_page, screenshot
from tests.factories import MembershipFactory, OrganizationFactory
from tests.messaging.webhook_receiver import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page() -> Iterator[Any]:
    yield from chromium_page()


def test_an_admin_adds_an_endpoint_tests_it_reads_the_log_and_deletes_it(
    page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    membership = MembershipFactory(organization=OrganizationFactory(), role=Role.ADMIN)
    problems: list[str] = []
    with Receiver() as receiver:
        # Given an admin who logs in and opens Settings → Webhooks
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(membership.user.email)
        page.get_by_label("Password").fill("correct horse battery")
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server.url}/settings/organization/")
        page.get_by_role("navigation", name="Settings").get_by_role("link", name="Webhooks").click()
        expect(page.get_by_role("heading", name="Webhook endpoints")).to_be_visible()

        # When they add an endpoint without an address, they are told what to fix
        page.get_by_role("button", name="Add endpoint").click()
        expect(page.locator("#id_url_error")).to_contain_text("required")
        problems += [f"form with errors: {p}" for p in axe_violations(page)]

        # When they add one for two events
        page.get_by_label("Endpoint URL").fill(receiver.url)
        page.get_by_label("Description").fill("Our ATS")
        page.get_by_label("All events, including ones added later").uncheck()
        page.get_by_label("interview.scheduled").check()
        page.get_by_label("interview.cancelled").check()
        page.get_by_role("button", name="Add endpoint").click()

        # Then the secret is shown once, and the endpoint is listed
        secret = page.get_by_label("Secret", exact=True).input_value()
        assert secret.startswith("whsec_")
        expect(
            page.get_by_role("cell", name="interview.scheduled, interview.cancelled")
        ).to_be_visible()
        problems += [f"secret shown: {p}" for p in axe_violations(page)]
        page.goto(f"{live_server.url}/settings/webhooks/")
        expect(page.get_by_label("Secret", exact=True)).to_have_count(0)
        endpoint = WebhookEndpoint.objects.get()
        assert endpoint.event_types == ["interview.scheduled", "interview.cancelled"]

        # When they send a test event and the worker delivers it
        page.get_by_role("link", name="Delivery log of").click()
        page.get_by_role("button", name="Send test event").click()
        expect(page.get_by_role("status")).to_contain_text("is on its way")
        webhook_messages_deliver()
        page.reload()

        # Then the log shows the attempt, and the receiver can verify it with the secret
        log = page.get_by_role("table")
        expect(log).to_contain_text("webhook.test")
        expect(log).to_contain_text("200")
        expect(log).to_contain_text(" ms")
        (received,) = receiver.received
        assert Webhook(secret).verify(received.body, received.headers)["type"] == "webhook.test"
        problems += [f"delivery log: {p}" for p in axe_violations(page)]
        screenshot(page, "webhooks-delivery-log")

        # When they disable it, then enable it again
        page.get_by_role("button", name="Disable").click()
        expect(page.get_by_text("Disabled", exact=True)).to_be_visible()
        page.get_by_role("button", name="Enable").click()
        expect(page.get_by_role("button", name="Send test event")).to_be_visible()

        # When they delete it, they are asked first
        page.get_by_role("link", name="Delete…").click()
        problems += [f"delete confirmation: {p}" for p in axe_violations(page)]
        page.get_by_role("button", name="Delete endpoint").click()
        expect(page.get_by_text("No endpoint yet.")).to_be_visible()
        assert not WebhookEndpoint.objects.exists()
    assert problems == []
