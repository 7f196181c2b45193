"""A connected calendar is a complete backend: the app asks the adapter named in settings,
by method, how people sign in, whether typed-in credentials work, how push channels start,
stop and are received, what changed since the last sync, and how access is revoked; it
never decides by the provider's name."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

import grimp
import pytest
from django.test import Client
from django.utils.timezone import now as django_now
from django_tasks_db.models import DBTaskResult

from hireslot.calendars.connections import (
    calendar_connection_disconnect,
    calendar_credentials_check,
    calendar_oauth_flows,
)
from hireslot.calendars.models import BusyInterval, BusySync, CalendarConnection
from hireslot.calendars.providers.base import (
    BusyBlock,
    BusyWindow,
    CalendarInfo,
    PushAnswer,
    PushCall,
)
from hireslot.calendars.providers.google import GoogleCalendarProvider
from hireslot.calendars.providers.microsoft import MicrosoftCalendarProvider
from hireslot.calendars.push import push_ensure, push_sync
from hireslot.core.remote import ConnectionBrokenError, OAuthClient, TransientProviderError
from tests.calendars.test_connections import ScriptedProvider
from tests.scheduling.conftest import Company

SECRET = "channel-secret"


class PushingProvider(ScriptedProvider):
    """A service with push: it records what the app asked of it."""

    calls: ClassVar[list[str]] = []
    validation_seen: ClassVar[list[bool]] = []
    window: ClassVar[BusyWindow | None] = None
    fail_stop: ClassVar[bool] = False

    def push_start(self, *, address: str) -> None:
        self.calls.append(f"start {address}")
        row = CalendarConnection.objects.get(pk=self.connection.id)
        self.validation_seen.append(row.push_validation_until is not None)

    def push_stop(self) -> None:
        self.calls.append("stop")
        if self.fail_stop:
            raise TransientProviderError("The service did not answer.")

    def access_revoke(self) -> None:
        self.calls.append("revoke")

    def push_receive(self, call: PushCall) -> PushAnswer:
        if "check" in call.query:
            return PushAnswer(status=200, echo=call.query["check"])
        if call.headers.get("X-Channel-Secret") != SECRET:
            return PushAnswer(status=404)
        return PushAnswer(status=200, sync=call.headers.get("X-State") != "hello")

    def changes_sync(self) -> BusyWindow | None:
        self.calls.append("sync")
        return self.window

    @classmethod
    def credentials_check(cls, credentials: dict[str, Any]) -> tuple[str, list[CalendarInfo]]:
        if credentials.get("password") != "right":
            raise ConnectionBrokenError("Wrong password.")
        return str(credentials["username"]), [CalendarInfo(id="c", name="Work", primary=True)]


class ValidatingProvider(PushingProvider):
    """A service that calls the push address back while a channel is made (like Graph)."""

    push_validates_address = True


PROVIDERS = {
    "google": f"{__name__}.PushingProvider",
    "microsoft": f"{__name__}.ValidatingProvider",
    "caldav": f"{__name__}.PushingProvider",
    "ics_feed": "tests.calendars.test_connections.ReadOnlyProvider",
}


@pytest.fixture(autouse=True)
def pushing(settings: Any) -> None:
    PushingProvider.calls, PushingProvider.validation_seen = [], []
    PushingProvider.window, PushingProvider.fail_stop = None, False
    settings.HIRESLOT_CONNECTED_CALENDAR_PROVIDERS = PROVIDERS
    settings.HIRESLOT_BASE_URL = "https://hireslot.example"


def connect(company: Company, provider: str = "google", **fields: Any) -> CalendarConnection:
    fields.setdefault("credentials", {"access_token": "a", "refresh_token": "r"})
    return CalendarConnection.objects.create(
        user=company.interviewer,
        organization=company.organization,
        provider=provider,
        account=f"nora-{provider}@calendar.example",
        **fields,
    )


def test_push_starts_through_the_adapter_and_opens_the_check_window_only_when_asked(
    company: Company,
) -> None:
    plain, validating = connect(company, "google"), connect(company, "microsoft")

    push_ensure(row=plain)
    push_ensure(row=validating)

    assert PushingProvider.calls == [
        f"start https://hireslot.example/hooks/google/{plain.pk}",
        f"start https://hireslot.example/hooks/microsoft/{validating.pk}",
    ]
    # Only the service that checks the address saw the window open, and it closed after.
    assert PushingProvider.validation_seen == [False, True]
    validating.refresh_from_db()
    assert validating.push_validation_until is None


def test_a_webhook_call_is_judged_by_the_connections_adapter(company: Company) -> None:
    row = connect(company, "google")
    webhook = Client()
    hook = f"/hooks/google/{row.pk}"

    forged = webhook.post(hook, HTTP_X_CHANNEL_SECRET="guess")
    hello = webhook.post(hook, HTTP_X_CHANNEL_SECRET=SECRET, HTTP_X_STATE="hello")
    assert (forged.status_code, hello.status_code) == (404, 200)
    assert not DBTaskResult.objects.filter(task_path__endswith="push_sync").exists()

    changed = webhook.post(hook, HTTP_X_CHANNEL_SECRET=SECRET)

    assert changed.status_code == 200
    queued = DBTaskResult.objects.get(task_path__endswith="calendar_connection_push_sync")
    assert queued.args_kwargs["kwargs"] == {"connection_id": str(row.pk)}
    # Another provider's address, or one for a removed connection, learns nothing.
    assert webhook.post(f"/hooks/microsoft/{row.pk}", HTTP_X_CHANNEL_SECRET=SECRET).status_code == (
        404
    )
    assert webhook.post("/hooks/google/not-a-uuid", HTTP_X_CHANNEL_SECRET=SECRET).status_code == (
        404
    )


def test_a_service_without_push_refuses_every_webhook_call(company: Company, settings: Any) -> None:
    settings.HIRESLOT_CONNECTED_CALENDAR_PROVIDERS = {
        **PROVIDERS,
        "ics_feed": "hireslot.calendars.providers.ics_feed.IcsFeedCalendarProvider",
    }
    row = connect(company, "ics_feed", credentials={"url": "https://feeds.example/c.ics"})

    assert Client().post(f"/hooks/ics_feed/{row.pk}", HTTP_X_CHANNEL_SECRET=SECRET).status_code == (
        404
    )


def test_an_address_check_is_echoed_only_while_a_channel_is_being_made(
    company: Company,
) -> None:
    idle = connect(company, "google")
    creating = connect(
        company, "microsoft", push_validation_until=django_now() + timedelta(seconds=30)
    )
    webhook = Client()

    refused = webhook.post(f"/hooks/google/{idle.pk}?check=hello")
    echoed = webhook.post(f"/hooks/microsoft/{creating.pk}?check=hello")

    assert refused.status_code == 404 and refused.content == b""
    assert echoed.status_code == 200 and echoed.content == b"hello"
    assert echoed["Content-Type"] == "text/plain; charset=utf-8"


def test_an_incremental_sync_stores_the_window_the_adapter_reports(company: Company) -> None:
    row = connect(company, "google")
    start = django_now()
    BusyInterval.objects.create(
        user=company.interviewer,
        source="google",
        start=start + timedelta(hours=1),
        end=start + timedelta(hours=2),
    )

    assert push_sync(row=row) == 0  # nothing changed: the cache stays as it is
    assert BusyInterval.objects.filter(user=company.interviewer).count() == 1

    fresh = BusyBlock(start=start + timedelta(hours=3), end=start + timedelta(hours=4), ref="e1")
    PushingProvider.window = BusyWindow(start=start, end=start + timedelta(days=1), blocks=[fresh])

    assert push_sync(row=row) == 1
    [interval] = BusyInterval.objects.filter(user=company.interviewer)
    assert (interval.start, interval.source_ref) == (fresh.start, "e1")
    assert PushingProvider.calls == ["sync", "sync"]


@pytest.mark.parametrize("service_fails", [False, True])
def test_disconnecting_stops_push_revokes_and_forgets_even_when_the_service_fails(
    company: Company, service_fails: bool
) -> None:
    PushingProvider.fail_stop = service_fails
    row = connect(company, "google")
    BusyInterval.objects.create(
        user=company.interviewer,
        source="google",
        start=django_now(),
        end=django_now() + timedelta(hours=1),
    )
    BusySync.objects.create(user=company.interviewer, source="google", refreshed_at=django_now())

    calendar_connection_disconnect(row=row)

    assert PushingProvider.calls == (["stop"] if service_fails else ["stop", "revoke"])
    assert not CalendarConnection.objects.filter(pk=row.pk).exists()
    assert not BusyInterval.objects.filter(user=company.interviewer, source="google").exists()
    assert not BusySync.objects.filter(user=company.interviewer, source="google").exists()


def test_typed_in_credentials_are_checked_by_the_adapter_named_in_settings(
    settings: Any,
) -> None:
    good = {"url": "https://dav.example/", "username": "nora", "password": "right"}

    account, calendars = calendar_credentials_check(provider="caldav", credentials=good)

    assert (account, [c.name for c in calendars]) == ("nora", ["Work"])
    with pytest.raises(ConnectionBrokenError, match="Wrong password"):
        calendar_credentials_check(provider="caldav", credentials={**good, "password": "x"})
    settings.HIRESLOT_CONNECTED_CALENDAR_PROVIDERS = {}
    with pytest.raises(ConnectionBrokenError, match="not available on this server"):
        calendar_credentials_check(provider="caldav", credentials=good)


def test_sign_in_flows_come_from_the_adapters_named_in_settings(settings: Any) -> None:
    settings.HIRESLOT_CONNECTED_CALENDAR_PROVIDERS = {
        "google": "hireslot.calendars.providers.google.GoogleCalendarProvider",
        "microsoft": "hireslot.calendars.providers.microsoft.MicrosoftCalendarProvider",
        "caldav": "hireslot.calendars.providers.caldav.CalDavCalendarProvider",
    }

    flows = calendar_oauth_flows()

    assert flows == {
        "google": GoogleCalendarProvider.oauth_flow,
        "microsoft": MicrosoftCalendarProvider.oauth_flow,
    }
    client = OAuthClient(client_id="cid", client_secret="s", tenant="organizations")
    url = flows["google"].authorization_url(
        client=client, redirect_uri="https://h.example/cb", state="st", code_challenge="ch"
    )
    assert "client_id=cid" in url and "state=st" in url
    del settings.HIRESLOT_CONNECTED_CALENDAR_PROVIDERS["google"]
    assert set(calendar_oauth_flows()) == {"microsoft"}


def test_calendars_conferencing_and_the_shared_contract_are_in_no_import_cycle() -> None:
    graph = grimp.build_graph("hireslot")
    ours = ("hireslot.calendars", "hireslot.conferencing", "hireslot.core.remote")
    modules = sorted(m for m in graph.modules if m.startswith(ours) and ".migrations" not in m)
    for module in modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and imported.startswith(ours):
                assert not graph.chain_exists(importer=imported, imported=module), (
                    f"{module} and {imported} import each other"
                )
