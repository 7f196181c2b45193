"""Installing OAuth apps (admins) and connecting accounts (everyone): state and PKCE kept in
the session, tampered callbacks refused, secrets never shown again, health visible."""

from __future__ import annotations

import base64
import hashlib
import types
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from hireslot.calendars.models import CalendarConnection, OAuthApp
from hireslot.calendars.providers.base import CalendarInfo, OAuthClient, TokenGrant
from hireslot.calendars.services import oauth_app_save
from hireslot.conferencing.models import ZoomConnection
from hireslot.web.views import connections
from tests.scheduling.conftest import Company

EXCHANGED: list[dict[str, Any]] = []


def _authorization_url(
    *, client: OAuthClient, redirect_uri: str, state: str, code_challenge: str
) -> str:
    return (
        f"https://accounts.example/authorize?client_id={client.client_id}&state={state}"
        f"&code_challenge={code_challenge}&redirect_uri={redirect_uri}"
    )


def _code_exchange(
    *, client: OAuthClient, code: str, redirect_uri: str, code_verifier: str
) -> TokenGrant:
    EXCHANGED.append({"client": client, "code": code, "verifier": code_verifier})
    return TokenGrant(
        access_token="at-1",
        refresh_token="rt-1",
        expires_at=2_000_000_000.0,
        scope="calendar",
        account="nora@calendar.example",
    )


@pytest.fixture
def fake_flows(monkeypatch: pytest.MonkeyPatch) -> None:
    """A provider whose consent page and token endpoint are these two functions."""
    module = types.ModuleType("fake_oauth_flows")
    for provider in ("google", "zoom"):
        setattr(module, f"{provider}_authorization_url", _authorization_url)
        setattr(module, f"{provider}_code_exchange", _code_exchange)
    import sys

    monkeypatch.setitem(sys.modules, "fake_oauth_flows", module)
    monkeypatch.setitem(connections.FLOWS, "google", "fake_oauth_flows")
    monkeypatch.setitem(connections.FLOWS, "zoom", "fake_oauth_flows")
    EXCHANGED.clear()


def as_user(company: Company, admin: bool = False) -> Client:
    if admin:
        membership_add(user=company.recruiter, organization=company.organization, role=Role.ADMIN)
        company.recruiter.memberships.update(role=Role.ADMIN)
    client = Client()
    client.force_login(company.recruiter)
    return client


def test_an_admin_installs_an_app_and_the_secret_is_never_shown(company: Company) -> None:
    client = as_user(company, admin=True)

    client.post(
        "/settings/integrations/",
        {"provider": "google", "client_id": "cid.apps", "client_secret": "s3cret"},
    )
    page = client.get("/settings/integrations/").content.decode()

    app = OAuthApp.objects.get(organization=company.organization, provider="google")
    assert (app.client_id, app.client_secret) == ("cid.apps", "s3cret")
    assert "s3cret" not in page
    assert "/settings/connections/google/callback" in page  # the redirect address to register


def test_only_admins_see_integrations(company: Company) -> None:
    assert as_user(company).get("/settings/integrations/").status_code == 403


def test_connecting_keeps_state_and_pkce_and_saves_the_connection(
    company: Company, fake_flows: None
) -> None:
    oauth_app_save(
        organization=company.organization, provider="google", client_id="cid", client_secret="cs"
    )
    client = as_user(company)

    start = client.post("/settings/connections/google/connect/")
    query = parse_qs(urlsplit(start["Location"]).query)
    state, challenge = query["state"][0], query["code_challenge"][0]
    done = client.get("/settings/connections/google/callback", {"state": state, "code": "c0de"})

    assert done.status_code == 302
    verifier = EXCHANGED[0]["verifier"]
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    assert challenge == expected.rstrip(b"=").decode()
    assert EXCHANGED[0]["client"].client_secret == "cs"
    row = CalendarConnection.objects.get(user=company.recruiter)
    assert (row.provider, row.account, row.receives_events) == (
        "google",
        "nora@calendar.example",
        True,
    )
    assert row.credentials["refresh_token"] == "rt-1"


def test_a_tampered_or_replayed_callback_is_refused(company: Company, fake_flows: None) -> None:
    oauth_app_save(
        organization=company.organization, provider="google", client_id="cid", client_secret="cs"
    )
    client = as_user(company)
    start = client.post("/settings/connections/google/connect/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]

    wrong = client.get("/settings/connections/google/callback", {"state": "x" + state, "code": "c"})
    replay = client.get("/settings/connections/google/callback", {"state": state, "code": "c"})

    assert wrong.status_code == 400
    assert replay.status_code == 400  # the state was used up
    assert not CalendarConnection.objects.exists()
    assert EXCHANGED == []


def test_a_declined_consent_is_explained(company: Company, fake_flows: None) -> None:
    oauth_app_save(
        organization=company.organization, provider="google", client_id="cid", client_secret="cs"
    )
    client = as_user(company)
    start = client.post("/settings/connections/google/connect/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]

    response = client.get(
        "/settings/connections/google/callback",
        {"state": state, "error": "access_denied"},
        follow=True,
    )

    assert "did not connect: access_denied" in response.content.decode()


def test_connecting_without_an_installed_app_says_who_can_fix_it(company: Company) -> None:
    response = as_user(company).post("/settings/connections/google/connect/", follow=True)

    assert "an administrator can install it" in response.content.decode()


def test_zoom_connects_to_the_person(company: Company, fake_flows: None) -> None:
    oauth_app_save(
        organization=company.organization, provider="zoom", client_id="z", client_secret="zs"
    )
    client = as_user(company)
    start = client.post("/settings/connections/zoom/connect/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]

    client.get("/settings/connections/zoom/callback", {"state": state, "code": "c"})

    zoom = ZoomConnection.objects.get(user=company.recruiter)
    assert zoom.credentials["access_token"] == "at-1"
    assert (
        "Connected as nora@calendar.example"
        in client.get("/settings/connections/").content.decode()
    )


def test_an_ics_feed_needs_a_web_address(company: Company) -> None:
    client = as_user(company)

    client.post("/settings/connections/ics/", {"url": "ftp://example.com/cal.ics", "name": "x"})
    assert not CalendarConnection.objects.exists()

    client.post("/settings/connections/ics/", {"url": "webcal://example.com/c.ics", "name": "Me"})
    row = CalendarConnection.objects.get()
    assert row.credentials == {"url": "https://example.com/c.ics"}
    assert row.receives_events is False  # read-only


def test_people_manage_only_their_own_connections(company: Company) -> None:
    theirs = CalendarConnection.objects.create(
        user=company.interviewer, provider="ics_feed", account="Nora", credentials={"url": "x"}
    )

    response = as_user(company).post(f"/settings/connections/{theirs.pk}/remove/")

    assert response.status_code == 404
    assert CalendarConnection.objects.filter(pk=theirs.pk).exists()


def test_feeds_on_private_addresses_are_refused_when_not_allowed(
    company: Company, settings: Any
) -> None:
    settings.HIRESLOT_ALLOW_PRIVATE_URLS = False
    client = as_user(company)

    for url in (
        "http://127.0.0.1:8080/cal.ics",
        "https://10.0.0.5/cal.ics",
        "http://localhost/c",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:8080/cal.ics",
        "http://[::ffff:127.0.0.1]/cal.ics",
        "http://[fd00::5]/cal.ics",
        "http://100.64.0.9/cal.ics",
    ):
        response = client.post("/settings/connections/ics/", {"url": url, "name": "x"}, follow=True)
        page = response.content.decode()
        assert "refused: private address" in page, url
        assert "HireSlot only connects to public internet addresses" in page
    assert not CalendarConnection.objects.exists()


def test_people_choose_which_calendars_count_and_which_gets_interviews(
    company: Company, settings: Any
) -> None:
    from tests.calendars.test_connections import PROVIDERS, ScriptedProvider

    settings.HIRESLOT_CONNECTED_CALENDAR_PROVIDERS = PROVIDERS
    ScriptedProvider.calendars = [
        CalendarInfo(id="primary", name="Riley", primary=True),
        CalendarInfo(id="team", name="Team holidays"),
        CalendarInfo(id="shared", name="Shared read-only", can_write=False),
    ]
    row = CalendarConnection.objects.create(
        user=company.recruiter, provider="google", account="r@x", receives_events=True
    )
    client = as_user(company)

    page = client.get(f"/settings/connections/{row.pk}/calendars/").content.decode()
    assert "Team holidays" in page and 'value="shared"' in page

    client.post(
        f"/settings/connections/{row.pk}/calendars/",
        {"busy": ["primary", "team", "not-mine"], "events": "team"},
    )
    row.refresh_from_db()
    assert (row.busy_calendars, row.event_calendar) == (["primary", "team"], "team")

    response = client.post(
        f"/settings/connections/{row.pk}/calendars/", {"events": "elsewhere"}, follow=True
    )
    assert "Choose one of your calendars" in response.content.decode()
