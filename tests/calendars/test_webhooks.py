"""Provider webhooks: Graph's address check is echoed only while a subscription is being
created for that connection, forged or unknown calls learn nothing, a genuine notification
queues a sync, and the subscription's secret is never stored in plain."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from django.apps import apps
from django.test import Client
from django.utils.timezone import now as django_now
from django_tasks_db.models import DBTaskResult

from hireslot.calendars.models import CalendarConnection
from hireslot.calendars.providers.microsoft.notifications import client_state_digest
from hireslot.calendars.push import push_ensure
from hireslot.calendars.services import oauth_app_save
from hireslot.calendars.services_refresh import calendar_connection_refresh_run
from tests.calendars.microsoft_fake import (
    ACCOUNT,
    CLIENT_ID,
    CLIENT_SECRET,
    FakeMicrosoft,
    fake_microsoft_serve,
)
from tests.scheduling.conftest import Company

TOKEN = "Validation: Testing client application reachability for subscription Request-Id: 1f2e"


def validate(client: Client, connection_id: object, token: str = TOKEN) -> Any:
    return client.post(f"/hooks/microsoft/{connection_id}?validationToken={quote(token)}")


def microsoft_row(company: Company, **fields: Any) -> CalendarConnection:
    return CalendarConnection.objects.create(
        **{"user": company.interviewer, "provider": "microsoft", "account": "n@x", **fields}
    )


def test_validation_is_refused_for_an_unknown_or_idle_connection(
    company: Company, client: Client
) -> None:
    """Given no subscription being created, when anyone sends a validation token, then
    nothing is echoed: the endpoint is not an echo service."""
    idle = microsoft_row(company)
    lapsed = microsoft_row(
        company, account="l@x", push_validation_until=django_now() - timedelta(seconds=1)
    )

    for connection_id in ("anything", "0c8a3d8e-8a3e-4f5e-9d55-1f0a2b3c4d5e", idle.pk, lapsed.pk):
        response = validate(client, connection_id)
        assert response.status_code == 404, connection_id
        assert TOKEN.encode() not in response.content


def test_only_a_graph_like_token_is_echoed_while_a_create_is_in_flight(
    company: Company, client: Client
) -> None:
    awaiting = microsoft_row(company, push_validation_until=django_now() + timedelta(seconds=30))

    echoed = validate(client, awaiting.pk)
    too_long = validate(client, awaiting.pk, "a" * 513)
    markup = validate(client, awaiting.pk, "<script>alert(1)</script>")
    line_break = validate(client, awaiting.pk, "ok\r\nSet-Cookie: x=1")

    assert echoed.status_code == 200
    assert echoed["Content-Type"] == "text/plain; charset=utf-8"
    assert echoed.content == TOKEN.encode()
    assert validate(client, awaiting.pk, "a" * 512).status_code == 200
    for refused in (too_long, markup, line_break):
        assert refused.status_code == 404 and refused.content == b""


def test_unknown_or_forged_notifications_are_refused(company: Company, client: Client) -> None:
    row = microsoft_row(
        company,
        sync_state={
            "subscription": {"id": "sub-1", "client_state_digest": client_state_digest("secret")}
        },
    )
    forged = {"value": [{"subscriptionId": "sub-1", "clientState": "guess"}]}
    digest_itself = {
        "value": [{"subscriptionId": "sub-1", "clientState": client_state_digest("secret")}]
    }

    assert client.post("/hooks/microsoft/not-a-uuid", forged, "application/json").status_code == 404
    assert client.post(f"/hooks/microsoft/{row.pk}", forged, "application/json").status_code == 404
    assert (
        client.post(f"/hooks/microsoft/{row.pk}", digest_itself, "application/json").status_code
        == 404
    )
    assert client.post(f"/hooks/microsoft/{row.pk}", "{", "application/json").status_code == 400
    assert client.post(f"/hooks/google/{row.pk}").status_code == 404
    assert not DBTaskResult.objects.filter(task_path__endswith="push_sync").exists()


def test_a_genuine_notification_queues_a_sync(company: Company, client: Client) -> None:
    row = microsoft_row(
        company,
        sync_state={
            "subscription": {"id": "sub-1", "client_state_digest": client_state_digest("secret")}
        },
    )
    body = {"value": [{"subscriptionId": "sub-1", "clientState": "secret"}]}

    response = client.post(f"/hooks/microsoft/{row.pk}", body, "application/json")

    assert response.status_code == 202
    queued = DBTaskResult.objects.get(task_path__endswith="calendar_connection_push_sync")
    assert queued.args_kwargs["kwargs"] == {"connection_id": str(row.pk)}


def test_a_deeply_nested_notification_is_a_400(company: Company, client: Client) -> None:
    row = CalendarConnection.objects.create(
        user=company.interviewer,
        provider="microsoft",
        account="n@x",
        sync_state={"subscription": {"id": "sub-1", "client_state": "secret"}},
    )
    deep = '{"value": ' + "[" * 20_000 + "]" * 20_000 + "}"

    response = client.post(f"/hooks/microsoft/{row.pk}", deep, "application/json")

    assert response.status_code == 400
    assert b"nests deeper" in response.content
    assert not DBTaskResult.objects.filter(task_path__endswith="push_sync").exists()


def test_existing_plain_client_states_are_migrated_to_digests(company: Company) -> None:
    plain = microsoft_row(
        company, sync_state={"subscription": {"id": "sub-1", "client_state": "secret"}}
    )
    untouched = microsoft_row(company, account="u@x", sync_state={"delta": {"link": "x"}})
    migration = importlib.import_module(
        "hireslot.calendars.migrations.0004_push_validation_and_client_state_digest"
    )

    migration.client_state_digest(apps, None)

    plain.refresh_from_db()
    untouched.refresh_from_db()
    assert plain.sync_state == {
        "subscription": {"id": "sub-1", "client_state_digest": client_state_digest("secret")}
    }
    assert untouched.sync_state == {"delta": {"link": "x"}}


# --- Against the Microsoft fake: the real handshake through our webhook -----------------------


@pytest.fixture
def outlook(settings: Any, company: Company) -> Iterator[tuple[FakeMicrosoft, CalendarConnection]]:
    for fake in fake_microsoft_serve():
        settings.HIRESLOT_MICROSOFT_LOGIN_URL = fake.login_url
        settings.HIRESLOT_GRAPH_API_URL = fake.graph_url
        settings.HIRESLOT_BASE_URL = "https://hireslot.example"
        oauth_app_save(
            organization=company.organization,
            provider="microsoft",
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            tenant="organizations",
        )
        row = CalendarConnection.objects.create(
            user=company.interviewer,
            organization=company.organization,
            provider="microsoft",
            account=ACCOUNT,
            credentials=fake.grant(),
            last_synced_at=django_now(),
        )
        yield fake, row


@pytest.mark.django_db(transaction=True)
def test_creating_a_subscription_passes_graphs_validation_through_the_webhook(
    outlook: tuple[FakeMicrosoft, CalendarConnection],
) -> None:
    """Given a connection, when the refresh cycle creates its Graph subscription, then Graph's
    validation call (made while the create is in flight, from another thread and database
    connection) is echoed by the real webhook, the subscription works, and afterwards the
    webhook no longer echoes anything."""
    fake, row = outlook
    webhook = Client()

    def graph_validates(token: str) -> tuple[int, str, str]:
        response = validate(webhook, row.pk, token)
        return response.status_code, response["Content-Type"], response.content.decode()

    fake.notification_endpoint = graph_validates

    push_ensure(row=row)

    row.refresh_from_db()
    [(subscription_id, subscription)] = fake.subscriptions.items()
    secret = subscription["clientState"]
    assert row.sync_state["subscription"]["id"] == subscription_id
    assert secret not in json.dumps(row.sync_state)
    assert row.sync_state["subscription"]["client_state_digest"] == client_state_digest(secret)
    assert row.push_validation_until is None
    assert validate(webhook, row.pk, "Validation: later").status_code == 404

    event_id = fake.add_event(django_now() + timedelta(days=1), django_now() + timedelta(days=1))
    genuine = fake.notification(subscription_id, event_id, "created")
    forged = json.loads(json.dumps(genuine))
    forged["value"][0]["clientState"] = "forged"
    assert webhook.post(f"/hooks/microsoft/{row.pk}", forged, "application/json").status_code == (
        404
    )
    assert webhook.post(f"/hooks/microsoft/{row.pk}", genuine, "application/json").status_code == (
        202
    )
    assert (
        DBTaskResult.objects.filter(task_path__endswith="calendar_connection_push_sync").count()
        == 1
    )


@pytest.mark.django_db(transaction=True)
def test_a_subscription_cannot_be_created_when_the_webhook_is_not_awaiting_it(
    outlook: tuple[FakeMicrosoft, CalendarConnection],
) -> None:
    """The handshake fails for a connection whose create is not in flight: Graph (here the
    fake) validating an id it was not asked about gets nothing back."""
    fake, row = outlook
    other = CalendarConnection.objects.create(
        user=row.user, provider="microsoft", account="other@contoso.example"
    )
    webhook = Client()

    def validates_the_wrong_connection(token: str) -> tuple[int, str, str]:
        response = validate(webhook, other.pk, token)
        return response.status_code, response.get("Content-Type", ""), response.content.decode()

    fake.notification_endpoint = validates_the_wrong_connection

    push_ensure(row=row)

    row.refresh_from_db()
    assert not fake.subscriptions
    assert "subscription" not in row.sync_state
    assert row.push_validation_until is None


@pytest.mark.django_db(transaction=True)
def test_lifecycle_notifications_reach_the_webhook_and_renew_or_recreate_the_subscription(
    outlook: tuple[FakeMicrosoft, CalendarConnection],
) -> None:
    """Given a subscription made with a lifecycle address, when Graph reports that it needs
    authorizing again, that notifications were missed, or that it removed the subscription,
    then the webhook accepts the genuine report, queues a full refresh of busy time, and the
    refresh renews the subscription (or makes a new one when Graph removed it); a forged
    report is refused."""
    fake, row = outlook
    webhook = Client()

    def graph_validates(token: str) -> tuple[int, str, str]:
        response = validate(webhook, row.pk, token)
        return response.status_code, response["Content-Type"], response.content.decode()

    fake.notification_endpoint = graph_validates
    push_ensure(row=row)
    [(first_id, subscription)] = fake.subscriptions.items()
    assert (
        subscription["lifecycleNotificationUrl"]
        == f"https://hireslot.example/hooks/microsoft/{row.pk}"
    )

    def report(event: str, subscription_id: str) -> int:
        body = fake.lifecycle(subscription_id, event)
        return webhook.post(f"/hooks/microsoft/{row.pk}", body, "application/json").status_code

    forged = fake.lifecycle(first_id, "subscriptionRemoved")
    forged["value"][0]["clientState"] = "guess"
    assert webhook.post(f"/hooks/microsoft/{row.pk}", forged, "application/json").status_code == 404

    assert report("reauthorizationRequired", first_id) == 202
    assert report("missed", first_id) == 202
    refreshes = DBTaskResult.objects.filter(task_path__endswith="calendar_connection_refresh")
    assert refreshes.count() == 2
    assert not DBTaskResult.objects.filter(task_path__endswith="push_sync").exists()
    calendar_connection_refresh_run(connection_id=str(row.pk))
    assert fake.calls("PATCH", f"/subscriptions/{first_id}")  # renewed: authorized again

    assert report("subscriptionRemoved", first_id) == 202
    del fake.subscriptions[first_id]  # what Graph did
    calendar_connection_refresh_run(connection_id=str(row.pk))

    row.refresh_from_db()
    [(second_id, _)] = fake.subscriptions.items()
    assert second_id != first_id
    assert row.sync_state["subscription"]["id"] == second_id
