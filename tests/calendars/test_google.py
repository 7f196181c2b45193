"""Google Calendar (with Meet) against a fake Google on loopback: connecting, busy time,
interview events that survive retries, push and sync, and the errors an account can throw."""

from __future__ import annotations

import base64
import hashlib
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import time_machine
from django.utils.timezone import now as django_now

from hireslot.calendars.models import BusyInterval, CalendarConnection, OAuthApp
from hireslot.calendars.providers.base import CalendarOwner, EventSpec
from hireslot.calendars.providers.google import (
    GoogleCalendarProvider,
    google_authorization_url,
    google_code_exchange,
    google_missing_scopes,
    google_notification_accept,
    google_sync,
    google_token_revoke,
    google_watch_renew,
    google_watch_start,
)
from hireslot.core.remote import (
    Connection,
    ConnectionBrokenError,
    OAuthClient,
    PermanentProviderError,
    TokenGrant,
    TransientProviderError,
)
from hireslot.scheduling.models import Effect, Interview
from hireslot.scheduling.services import (
    effect_run,
    interview_book,
    interview_cancel,
    interview_reschedule,
)
from tests.scheduling.conftest import NOW, Company, company_build

from .google_fake import FakeGoogle, fake_google_running

CLIENT = OAuthClient(client_id="hireslot-test.apps.googleusercontent.com", client_secret="s3cret")
ACCOUNT = "nora@acme.example"
EVENTS = "https://www.googleapis.com/auth/calendar.events"
READONLY = "https://www.googleapis.com/auth/calendar.readonly"
FREEBUSY = "https://www.googleapis.com/auth/calendar.events.freebusy"
CALENDAR_LIST = "https://www.googleapis.com/auth/calendar.calendarlist.readonly"
GRANTED = (
    f"openid https://www.googleapis.com/auth/userinfo.email {EVENTS} {FREEBUSY} {CALENDAR_LIST}"
)
OWNER = CalendarOwner(user_id=uuid.uuid4(), email=ACCOUNT, time_zone="America/New_York")
HOOK = "https://hireslot.example/hooks/google"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def interview(sequence: int = 0, **changes: Any) -> EventSpec:
    spec = EventSpec(
        uid="6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b@hireslot",
        sequence=sequence,
        title="Manager Interview: Ada Okafor",
        description="Interview template: https://hireslot.test/templates/interviews/1/",
        location="",
        start=at(3, 15),
        end=at(3, 16),
    )
    return replace(spec, **changes)


EVENT_ID = "6f1c2a345b6d4e7f8a9b0c1d2e3f4a5b"


@pytest.fixture
def google(settings: Any) -> Iterator[FakeGoogle]:
    with fake_google_running() as fake:
        fake.client_add(CLIENT.client_id, CLIENT.client_secret)
        fake.account_add(ACCOUNT)
        settings.HIRESLOT_GOOGLE_AUTH_URL = f"{fake.base_url}/o/oauth2/v2/auth"
        settings.HIRESLOT_GOOGLE_TOKEN_URL = f"{fake.base_url}/token"
        settings.HIRESLOT_GOOGLE_REVOKE_URL = f"{fake.base_url}/revoke"
        settings.HIRESLOT_GOOGLE_API_URL = f"{fake.base_url}/calendar/v3"
        yield fake


@dataclass
class Linked:
    """A connected account as the app holds it, with what the provider asked it to save."""

    connection: Connection
    saved_credentials: list[dict[str, Any]] = field(default_factory=list)
    saved_states: list[dict[str, Any]] = field(default_factory=list)

    @property
    def provider(self) -> GoogleCalendarProvider:
        return GoogleCalendarProvider(self.connection)


def linked(google: FakeGoogle, *, scope: str = GRANTED, **changes: Any) -> Linked:
    tokens = google.tokens_issue(client_id=CLIENT.client_id, email=ACCOUNT, scope=scope)
    result = Linked(
        Connection(
            id="connection-1",
            provider="google",
            account=ACCOUNT,
            credentials={
                "access_token": tokens["access_token"],
                "refresh_token": tokens["refresh_token"],
                "expires_at": time.time() + tokens["expires_in"],
                "scope": tokens["scope"],
            },
            client=CLIENT,
            **changes,
        )
    )
    result.connection.on_credentials = result.saved_credentials.append
    result.connection.on_sync_state = result.saved_states.append
    return result


# --- connecting -------------------------------------------------------------------------------


def consent(google: FakeGoogle, verifier: str) -> dict[str, str]:
    """The person's browser: open our consent URL, come back with a code."""
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    url = google_authorization_url(
        client=CLIENT,
        redirect_uri="https://hireslot.test/settings/google/callback",
        state="state-123",
        code_challenge=challenge.decode().rstrip("="),
        login_hint=ACCOUNT,
    )
    answer = httpx.get(url)
    assert answer.status_code == 302, answer.text
    back = parse_qs(urlsplit(answer.headers["Location"]).query)
    return {"code": back["code"][0], "state": back["state"][0], "url": url}


def test_connecting_asks_for_offline_access_and_learns_the_account(google: FakeGoogle) -> None:
    verifier = "v" * 64
    returned = consent(google, verifier)

    grant = google_code_exchange(
        client=CLIENT,
        code=returned["code"],
        redirect_uri="https://hireslot.test/settings/google/callback",
        code_verifier=verifier,
    )

    asked = parse_qs(urlsplit(returned["url"]).query)
    assert asked["access_type"] == ["offline"]
    assert asked["prompt"] == ["consent"]
    assert asked["include_granted_scopes"] == ["true"]
    assert asked["code_challenge_method"] == ["S256"]
    # The narrowest scopes Google documents for the calls HireSlot makes; no calendar.readonly.
    assert set(asked["scope"][0].split()) == {"openid", "email", EVENTS, FREEBUSY, CALENDAR_LIST}
    assert returned["state"] == "state-123"
    assert grant.account == ACCOUNT
    assert grant.refresh_token
    assert google_missing_scopes(grant) == []


def test_a_wrong_code_verifier_is_refused(google: FakeGoogle) -> None:
    returned = consent(google, "v" * 64)

    with pytest.raises(ConnectionBrokenError):
        google_code_exchange(
            client=CLIENT,
            code=returned["code"],
            redirect_uri="https://hireslot.test/settings/google/callback",
            code_verifier="w" * 64,
        )


def test_a_grant_without_calendar_events_is_refused_with_what_to_tick(google: FakeGoogle) -> None:
    google.consent_scopes = ["openid", "email", FREEBUSY, CALENDAR_LIST]
    returned = consent(google, "v" * 64)

    with pytest.raises(ConnectionBrokenError, match="view and edit events"):
        google_code_exchange(
            client=CLIENT,
            code=returned["code"],
            redirect_uri="https://hireslot.test/settings/google/callback",
            code_verifier="v" * 64,
        )


def test_full_calendar_access_counts_as_every_scope() -> None:
    grant = TokenGrant("a", "r", 0, "openid https://www.googleapis.com/auth/calendar")
    assert google_missing_scopes(grant) == []
    assert google_missing_scopes(replace(grant, scope=READONLY)) == [EVENTS]


def test_the_narrow_grant_reads_busy_time_lists_calendars_and_writes_events(
    google: FakeGoogle,
) -> None:
    """Given only the narrow scopes (the fake accepts, per method, what Google's reference
    lists), when HireSlot does each of its jobs, then Google allows every call."""
    account = linked(google)

    account.provider.event_upsert(owner=OWNER, spec=interview())
    assert account.provider.busy_read(start=at(3, 0), end=at(4, 0))
    assert account.provider.calendars_list()
    account.provider.event_delete(owner=OWNER, uid=interview().uid)


def test_an_existing_broader_grant_keeps_working_without_reconnecting(google: FakeGoogle) -> None:
    """Given a connection made when HireSlot asked for calendar.events and calendar.readonly,
    when it is used, then nothing asks its owner to reconnect."""
    old = f"openid https://www.googleapis.com/auth/userinfo.email {EVENTS} {READONLY}"
    account = linked(google, scope=old)

    assert google_missing_scopes(TokenGrant("a", "r", 0, old)) == []
    account.provider.event_upsert(owner=OWNER, spec=interview())
    assert account.provider.busy_read(start=at(3, 0), end=at(4, 0))
    assert account.provider.calendars_list()


def test_a_refresh_that_returns_fewer_scopes_breaks_the_connection(google: FakeGoogle) -> None:
    account = linked(google)
    google.expire_access_tokens()
    account.connection.credentials["expires_at"] = 0
    google.refresh_scope = f"openid {READONLY}"

    with pytest.raises(ConnectionBrokenError, match="Reconnect Google Calendar"):
        account.provider.busy_read(start=at(3, 0), end=at(4, 0))


def test_a_saved_grant_from_before_a_scope_was_needed_asks_to_reconnect(
    google: FakeGoogle,
) -> None:
    account = linked(google, scope=f"openid {EVENTS}")

    with pytest.raises(ConnectionBrokenError, match="see the list of your calendars"):
        account.provider.calendars_list()
    assert google.calls("POST", "/freeBusy") == []


def test_a_token_google_narrowed_behind_our_back_asks_to_reconnect(google: FakeGoogle) -> None:
    account = linked(google)
    # Google now honours only the events scope for this token, whatever we saved.
    narrowed = google.tokens_issue(client_id=CLIENT.client_id, email=ACCOUNT, scope=EVENTS)
    account.connection.credentials["access_token"] = narrowed["access_token"]

    with pytest.raises(ConnectionBrokenError, match="reconnect Google Calendar"):
        account.provider.busy_read(start=at(3, 0), end=at(4, 0))


# --- tokens -----------------------------------------------------------------------------------


def test_a_token_expiring_mid_flow_is_refreshed_and_saved(google: FakeGoogle) -> None:
    account = linked(google)
    refresh_token = account.connection.credentials["refresh_token"]
    account.provider.event_upsert(owner=OWNER, spec=interview())
    # Google expired the token early (our clock still thinks it is good).
    google.expire_access_tokens()

    account.provider.event_upsert(owner=OWNER, spec=interview(1, start=at(3, 17), end=at(3, 18)))

    assert [r.body["grant_type"] for r in google.calls("POST", "/token")] == ["refresh_token"]
    saved = account.saved_credentials[-1]
    assert saved["refresh_token"] == refresh_token  # Google does not rotate it
    (patch,) = google.calls("PATCH", "/events")
    assert patch.headers["authorization"] == f"Bearer {saved['access_token']}"
    assert google.events_of(ACCOUNT)[0]["start"]["dateTime"] == "2026-03-03T17:00:00Z"


def test_a_revoked_grant_breaks_the_connection(google: FakeGoogle) -> None:
    account = linked(google)
    google.revoke_account(ACCOUNT)

    with pytest.raises(ConnectionBrokenError, match="reconnect"):
        account.provider.event_upsert(owner=OWNER, spec=interview())


def test_revoking_on_disconnect_ends_the_grant_and_twice_is_fine(google: FakeGoogle) -> None:
    account = linked(google)
    token = account.connection.credentials["refresh_token"]

    google_token_revoke(client=CLIENT, token=token)
    google_token_revoke(client=CLIENT, token=token)

    assert token not in google.calls("POST", "/revoke")[0].path  # never in the URL
    account.connection.credentials["expires_at"] = 0
    with pytest.raises(ConnectionBrokenError):
        account.provider.calendars_list()


# --- errors -----------------------------------------------------------------------------------


def test_a_rate_limit_is_retried_after_what_google_says(google: FakeGoogle) -> None:
    account = linked(google)
    google.fail_next(429, "rateLimitExceeded", "Rate Limit Exceeded", headers={"Retry-After": "30"})

    with pytest.raises(TransientProviderError) as raised:
        account.provider.event_upsert(owner=OWNER, spec=interview())

    assert raised.value.retry_after == 30
    assert google.events_of(ACCOUNT) == []


@pytest.mark.parametrize(
    ("status", "reason"),
    [(403, "userRateLimitExceeded"), (403, "quotaExceeded"), (500, "backendError"), (503, "")],
)
def test_quota_and_server_trouble_are_worth_retrying(
    google: FakeGoogle, status: int, reason: str
) -> None:
    account = linked(google)
    google.fail_next(status, reason)

    with pytest.raises(TransientProviderError):
        account.provider.busy_read(start=at(3, 0), end=at(4, 0))


def test_an_event_calendar_that_does_not_exist_fails_for_a_person_to_fix(
    google: FakeGoogle,
) -> None:
    account = linked(google, event_calendar="gone@group.calendar.google.com")

    with pytest.raises(PermanentProviderError, match="404") as raised:
        account.provider.event_upsert(owner=OWNER, spec=interview())
    assert not isinstance(raised.value, ConnectionBrokenError)


# --- interview events -------------------------------------------------------------------------


def test_an_insert_retried_after_it_got_through_leaves_one_event(google: FakeGoogle) -> None:
    account = linked(google)
    first = account.provider.event_upsert(owner=OWNER, spec=interview())

    again = account.provider.event_upsert(owner=OWNER, spec=interview())

    assert first == again
    assert first.event_id == EVENT_ID
    assert [r.status for r in google.calls("POST", "/events")] == [200, 409]
    (event,) = google.events_of(ACCOUNT)
    assert event["id"] == EVENT_ID
    assert event["extendedProperties"]["private"]["hireslot_interview"] == interview().uid
    assert all(r.param("sendUpdates") == "none" for r in google.calls("POST", "/events"))


def test_a_reschedule_patches_the_event_and_a_stale_retry_leaves_it(google: FakeGoogle) -> None:
    account = linked(google)
    account.provider.event_upsert(owner=OWNER, spec=interview())

    account.provider.event_upsert(owner=OWNER, spec=interview(2, start=at(4, 14), end=at(4, 15)))
    account.provider.event_upsert(owner=OWNER, spec=interview(1, start=at(3, 19), end=at(3, 20)))

    (patch,) = google.calls("PATCH", f"/events/{EVENT_ID}")
    assert patch.param("conferenceDataVersion") == "1"
    assert patch.param("sendUpdates") == "none"
    assert patch.headers["if-match"]
    (event,) = google.events_of(ACCOUNT)
    assert event["start"]["dateTime"] == "2026-03-04T14:00:00Z"


def test_an_event_edited_meanwhile_is_retried_not_overwritten_blindly(google: FakeGoogle) -> None:
    account = linked(google)
    account.provider.event_upsert(owner=OWNER, spec=interview())
    google.fail_next(412, "conditionNotMet", method="PATCH")

    with pytest.raises(TransientProviderError):
        account.provider.event_upsert(owner=OWNER, spec=interview(1, start=at(4, 14)))


def test_deleting_is_done_once_and_deleting_again_is_fine(google: FakeGoogle) -> None:
    account = linked(google)
    account.provider.event_upsert(owner=OWNER, spec=interview())

    account.provider.event_delete(owner=OWNER, uid=interview().uid)
    account.provider.event_delete(owner=OWNER, uid=interview().uid)
    account.provider.event_delete(owner=OWNER, uid=f"{uuid.uuid4()}@hireslot")

    assert google.events_of(ACCOUNT) == []
    assert [r.status for r in google.calls("DELETE", "/events/")] == [204, 410, 404]


def test_a_meet_link_still_pending_is_polled_until_google_has_it(
    google: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(GoogleCalendarProvider, "meet_poll_seconds", (0.0, 0.0, 0.0))
    google.meet_pending_reads = 2
    account = linked(google)

    ref, join_url = account.provider.meet_event_upsert(owner=OWNER, spec=interview())

    assert ref.event_id == EVENT_ID
    assert join_url.startswith("https://meet.google.com/")
    (insert,) = google.calls("POST", "/events")
    assert insert.param("conferenceDataVersion") == "1"
    request = insert.body["conferenceData"]["createRequest"]
    assert request["conferenceSolutionKey"] == {"type": "hangoutsMeet"}
    assert len(google.calls("GET", f"/events/{EVENT_ID}")) == 2


def test_a_meet_link_pending_too_long_comes_on_the_next_call_without_a_second_meeting(
    google: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(GoogleCalendarProvider, "meet_poll_seconds", (0.0,))
    google.meet_pending_reads = 2
    account = linked(google)

    _, first = account.provider.meet_event_upsert(owner=OWNER, spec=interview())
    _, second = account.provider.meet_event_upsert(owner=OWNER, spec=interview())

    assert first == ""
    assert second.startswith("https://meet.google.com/")
    (event,) = google.events_of(ACCOUNT)
    assert event["hangoutLink"] == second


def test_a_meet_google_refuses_to_create_is_reported(
    google: FakeGoogle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(GoogleCalendarProvider, "meet_poll_seconds", ())
    google.meet_fails = True

    with pytest.raises(PermanentProviderError, match="Meet"):
        linked(google).provider.meet_event_upsert(owner=OWNER, spec=interview())


def test_an_event_joining_another_events_meet_shows_it_as_googles_own_conference(
    google: FakeGoogle,
) -> None:
    # Given an interviewer whose session shares a Meet made by another interviewer's event
    account = linked(google)
    link = "https://meet.google.com/abc-mnop-xyz"
    joining = interview(location=link, conference_kind="google_meet")

    # When their event is written, then moved to a new link (the host changed)
    account.provider.event_upsert(owner=OWNER, spec=joining)
    (insert,) = google.calls("POST", "/events")
    (event,) = google.events_of(ACCOUNT)
    assert insert.param("conferenceDataVersion") == "1"
    assert "createRequest" not in insert.body["conferenceData"]  # no second Meet is made
    assert event["hangoutLink"] == link
    assert event["conferenceData"]["conferenceId"] == "abc-mnop-xyz"
    moved = "https://meet.google.com/qrs-tuvw-xyz"
    account.provider.event_upsert(owner=OWNER, spec=replace(joining, sequence=1, location=moved))

    # Then Google shows the new Join button; a Zoom or Jitsi link stays in the location only
    (event,) = google.events_of(ACCOUNT)
    assert event["hangoutLink"] == moved and event["location"] == moved
    zoom = "https://zoom.us/j/123456789"
    account.provider.event_upsert(
        owner=OWNER,
        spec=replace(
            joining,
            uid="7a1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b@hireslot",
            location=zoom,
            conference_kind="zoom",
        ),
    )
    (zoomed,) = [e for e in google.events_of(ACCOUNT) if e["location"] == zoom]
    assert "conferenceData" not in zoomed and "hangoutLink" not in zoomed


def test_the_calendar_list_shows_which_calendars_take_events(google: FakeGoogle) -> None:
    google.calendar_add("team@group.calendar.google.com", owner="lead@acme.example", summary="Team")
    google.calendars["team@group.calendar.google.com"].readers.add(ACCOUNT)

    calendars = linked(google).provider.calendars_list()

    assert [(c.id, c.primary, c.can_write) for c in calendars] == [
        (ACCOUNT, True, True),
        ("team@group.calendar.google.com", False, False),
    ]


# --- busy time --------------------------------------------------------------------------------


def test_a_long_window_is_read_in_chunks_of_sixty_days(google: FakeGoogle) -> None:
    google.event_add(ACCOUNT, at(1, 9) + timedelta(days=130), at(1, 10) + timedelta(days=130), "x")
    account = linked(google)

    blocks = account.provider.busy_read(start=at(1, 0), end=at(1, 0) + timedelta(days=150))

    calls = google.calls("POST", "/freeBusy")
    assert len(calls) == 3
    spans = [
        datetime.fromisoformat(c.body["timeMax"]) - datetime.fromisoformat(c.body["timeMin"])
        for c in calls
    ]
    assert max(spans) <= timedelta(days=60)
    assert [(b.start, b.end) for b in blocks] == [
        (at(1, 9) + timedelta(days=130), at(1, 10) + timedelta(days=130))
    ]


def test_more_than_fifty_calendars_are_asked_for_in_groups(google: FakeGoogle) -> None:
    ids = [f"cal{n}@group.calendar.google.com" for n in range(51)]
    for calendar_id in ids:
        google.calendar_add(calendar_id, owner=ACCOUNT, summary=calendar_id)
    google.event_add(ids[50], at(3, 13), at(3, 14), "in the last group")

    blocks = linked(google, busy_calendars=tuple(ids)).provider.busy_read(
        start=at(3, 0), end=at(4, 0)
    )

    assert [len(c.body["items"]) for c in google.calls("POST", "/freeBusy")] == [50, 1]
    assert [(b.start, b.end) for b in blocks] == [(at(3, 13), at(3, 14))]


def test_a_vanished_calendar_is_skipped_with_a_warning(
    google: FakeGoogle, caplog: pytest.LogCaptureFixture
) -> None:
    google.event_add(ACCOUNT, at(3, 13), at(3, 14), "dentist")
    account = linked(google, busy_calendars=(ACCOUNT, "deleted@group.calendar.google.com"))

    with caplog.at_level(logging.WARNING):
        blocks = account.provider.busy_read(start=at(3, 0), end=at(4, 0))

    assert [(b.start, b.end) for b in blocks] == [(at(3, 13), at(3, 14))]
    assert "deleted@group.calendar.google.com" in caplog.text


def test_no_readable_calendar_at_all_is_not_read_as_free(google: FakeGoogle) -> None:
    account = linked(google, busy_calendars=("deleted@group.calendar.google.com",))

    with pytest.raises(TransientProviderError, match="could not read any"):
        account.provider.busy_read(start=at(3, 0), end=at(4, 0))


def test_a_calendar_google_could_not_read_fails_the_read_rather_than_look_free(
    google: FakeGoogle,
) -> None:
    google.calendar_add("team@group.calendar.google.com", owner=ACCOUNT, summary="Team")
    google.calendars["team@group.calendar.google.com"].freebusy_error = "internalError"
    account = linked(google, busy_calendars=(ACCOUNT, "team@group.calendar.google.com"))

    with pytest.raises(TransientProviderError, match="internalError"):
        account.provider.busy_read(start=at(3, 0), end=at(4, 0))


def test_our_interview_is_told_apart_from_a_meeting_right_after_it(google: FakeGoogle) -> None:
    account = linked(google)
    account.provider.event_upsert(owner=OWNER, spec=interview())  # 15:00-16:00
    google.event_add(ACCOUNT, at(3, 16), at(3, 17), "1:1 right after")

    blocks = account.provider.busy_read(start=at(3, 0), end=at(4, 0))

    assert [(b.start, b.end, b.interview_uid) for b in blocks] == [
        (at(3, 15), at(3, 16), interview().uid),
        (at(3, 16), at(3, 17), ""),
    ]
    assert blocks[0].ref == EVENT_ID


# --- push and sync ----------------------------------------------------------------------------


def test_sync_reads_busy_time_only_when_something_changed(google: FakeGoogle) -> None:
    google.page_size = 2
    for hour in (9, 10, 11):
        google.event_add(ACCOUNT, at(3, hour), at(3, hour, 30), "standup")
    account = linked(google)
    window = {"start": at(3, 0), "end": at(4, 0)}

    first = google_sync(account.connection, **window)
    unchanged = google_sync(account.connection, **window)
    google.event_add(ACCOUNT, at(3, 14), at(3, 15), "new meeting")
    changed = google_sync(account.connection, **window)

    assert first is not None
    assert len(first) == 3
    assert unchanged is None
    assert changed is not None
    assert (at(3, 14), at(3, 15)) in [(b.start, b.end) for b in changed]
    assert account.saved_states[-1]["sync_tokens"]["primary"]


def test_an_expired_sync_token_means_a_full_resync(google: FakeGoogle) -> None:
    google.event_add(ACCOUNT, at(3, 9), at(3, 10), "standup")
    account = linked(google)
    google_sync(account.connection, start=at(3, 0), end=at(4, 0))
    old_token = account.connection.sync_state["sync_tokens"]["primary"]
    google.sync_tokens_expire()

    blocks = google_sync(account.connection, start=at(3, 0), end=at(4, 0))

    listings = [
        r
        for r in google.calls("GET", "/calendars/primary/events")
        if "privateExtendedProperty" not in r.query  # the busy read's own listing
    ]
    assert [r.status for r in listings][-2:] == [410, 200]
    assert "syncToken" not in listings[-1].query
    assert blocks is not None
    assert [(b.start, b.end) for b in blocks] == [(at(3, 9), at(3, 10))]
    assert account.connection.sync_state["sync_tokens"]["primary"] != old_token


def test_notifications_are_accepted_only_from_our_channel(google: FakeGoogle) -> None:
    account = linked(google)

    channels = google_watch_start(account.connection, address=HOOK)

    channel_id = channels["primary"]["id"]
    headers = google.notification_headers(channel_id)
    assert google_notification_accept(headers, account.connection)
    assert not google_notification_accept(
        {**headers, "X-Goog-Channel-Token": "guess"}, account.connection
    )
    assert not google_notification_accept(
        {**headers, "X-Goog-Channel-ID": str(uuid.uuid4())}, account.connection
    )
    # The token is kept only as a hash.
    assert headers["X-Goog-Channel-Token"] not in str(account.saved_states)


def test_a_channel_is_renewed_before_it_expires_and_the_old_one_stopped(
    google: FakeGoogle,
) -> None:
    account = linked(google)
    old = google_watch_start(account.connection, address=HOOK, ttl_seconds=3600)["primary"]

    assert google_watch_renew(account.connection, address=HOOK, margin=timedelta(minutes=5)) == []
    renewed = google_watch_renew(account.connection, address=HOOK, margin=timedelta(hours=2))

    assert renewed == ["primary"]
    new = account.connection.sync_state["channels"]["primary"]
    assert google.live_channels() == [new["id"]] != [old["id"]]
    assert not google_notification_accept(
        google.notification_headers(old["id"]), account.connection
    )


# --- through the app --------------------------------------------------------------------------


@pytest.fixture
def company(db: None, google: FakeGoogle) -> Iterator[Company]:
    with time_machine.travel(NOW, tick=False):
        yield company_build()


def google_connected(company: Company, google: FakeGoogle) -> CalendarConnection:
    OAuthApp.objects.create(
        organization=company.organization,
        provider="google",
        client_id=CLIENT.client_id,
        secrets={"client_secret": CLIENT.client_secret},
    )
    return google_account_connect(
        google, user=company.interviewer, organization_id=company.organization.pk, account=ACCOUNT
    )


def google_account_connect(
    google: FakeGoogle, *, user: Any, organization_id: Any, account: str
) -> CalendarConnection:
    """``user``'s Google Calendar connected (the fake's ``account``, granted every scope) and
    receiving interview events."""
    tokens = google.tokens_issue(client_id=CLIENT.client_id, email=account, scope=GRANTED)
    return CalendarConnection.objects.create(
        # Freshly read: a calendar unread for long would make its owner busy.
        last_synced_at=django_now(),
        user=user,
        organization_id=organization_id,
        provider="google",
        account=account,
        credentials={
            "access_token": tokens["access_token"],
            "refresh_token": tokens["refresh_token"],
            "expires_at": time.time() + 3599,
            "scope": tokens["scope"],
        },
        receives_events=True,
    )


def calendar_effects_run(interview: Interview) -> None:
    for effect in Effect.objects.filter(
        interview=interview, kind="calendar_event", state="pending"
    ):
        assert effect_run(effect_id=str(effect.pk)) == Effect.State.DONE, effect.last_error


def offered(company: Company, request: Any) -> set[datetime]:
    from hireslot.scheduling.slots import request_slots

    slots = request_slots(request=request, start=at(3, 0), end=at(4, 0), now=NOW)
    return {datetime.fromtimestamp(slot.start, UTC) for slot in slots}


def test_an_interviewer_on_google_gets_the_interview_and_their_busy_time_counts(
    company: Company, google: FakeGoogle
) -> None:
    from hireslot.calendars.connections import connection_busy_refresh

    row = google_connected(company, google)
    request = company.send().request
    assert at(3, 15) in offered(company, request)

    # Given a meeting in Google at Tuesday 10:00 New York, once the busy cache is refreshed
    google.event_add(ACCOUNT, at(3, 15), at(3, 16), "Board meeting")
    connection_busy_refresh(row=row)
    # then that time is no longer offered.
    assert at(3, 15) not in offered(company, request)
    assert at(3, 17) in offered(company, request)

    # When the candidate books 12:00 New York, the event lands in Google, silently.
    booked = interview_book(request=request, start=at(3, 17), candidate_time_zone="Europe/Paris")
    calendar_effects_run(booked)
    event_id = uuid.UUID(booked.uid.split("@")[0]).hex
    (insert,) = google.calls("POST", "/calendars/primary/events")
    assert insert.param("sendUpdates") == "none"
    event = next(e for e in google.events_of(ACCOUNT) if e["id"] == event_id)
    assert event["extendedProperties"]["private"]["hireslot_interview"] == booked.uid
    assert event["start"]["dateTime"] == "2026-03-03T17:00:00Z"
    assert "Ada Okafor" in event["summary"]

    # Its busy time comes back marked as the interview's own.
    connection_busy_refresh(row=row)
    assert BusyInterval.objects.get(interview_uid=booked.uid).start == at(3, 17)

    # A reschedule patches the same event.
    moved = interview_reschedule(
        interview=booked, start=at(3, 19), actor=company.recruiter, by_candidate=False
    )
    calendar_effects_run(moved)
    assert len(google.calls("PATCH", f"/events/{event_id}")) == 1
    event = next(e for e in google.events_of(ACCOUNT) if e["id"] == event_id)
    assert event["start"]["dateTime"] == "2026-03-03T19:00:00Z"

    # A cancel deletes it.
    interview_cancel(interview=moved, actor=company.recruiter, by_candidate=False)
    calendar_effects_run(moved)
    assert len(google.calls("DELETE", f"/events/{event_id}")) == 1
    assert [e["summary"] for e in google.events_of(ACCOUNT)] == ["Board meeting"]


def test_the_first_sync_and_the_one_after_a_410_list_only_recent_and_coming_events(
    google: FakeGoogle,
) -> None:
    """Given a calendar with years of history, when the first sync (and the full one after
    Google drops the token) lists events for a sync token, then it asks only from a day ago
    (timeMin), never the whole history; later incremental listings carry the token alone."""
    google.page_size = 2
    for year in range(2015, 2025):  # ten years of old meetings, five pages' worth
        google.event_add(
            ACCOUNT,
            datetime(year, 5, 4, 9, tzinfo=UTC),
            datetime(year, 5, 4, 10, tzinfo=UTC),
            "old",
        )
    account = linked(google)

    with time_machine.travel(at(2, 12), tick=False):
        google_sync(account.connection, start=at(3, 0), end=at(4, 0))
        google.event_add(ACCOUNT, at(3, 14), at(3, 15), "new meeting")
        google_sync(account.connection, start=at(3, 0), end=at(4, 0))
        google.sync_tokens_expire()
        google_sync(account.connection, start=at(3, 0), end=at(4, 0))

    listings = [
        r
        for r in google.calls("GET", "/calendars/primary/events")
        if "privateExtendedProperty" not in r.query and r.status == 200
    ]
    full = [r for r in listings if "syncToken" not in r.query]
    assert len(full) == 2  # the first sync and the one after the 410: one page each
    assert all(r.query["timeMin"] == ["2026-03-01T12:00:00Z"] for r in full)
    assert all("timeMin" not in r.query for r in listings if "syncToken" in r.query)
