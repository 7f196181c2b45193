"""Zoom meetings on the interviewer's own account, against a fake Zoom on 127.0.0.1.

The fake (``zoom_fake``) answers like Zoom's documentation says, quirks included: rotating
refresh tokens, 204 with no body on PATCH, 404 code 3001 for a missing meeting.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest

from hireslot.conferencing.providers.base import Meeting, MeetingSpec
from hireslot.conferencing.providers.zoom import (
    ZoomProvider,
    zoom_authorization_url,
    zoom_code_exchange,
    zoom_token_refresh,
)
from hireslot.core.remote import (
    Connection,
    ConnectionBrokenError,
    OAuthClient,
    PermanentProviderError,
    ProviderError,
    TransientProviderError,
)
from tests.conferencing.zoom_fake import ZoomFake

CLIENT = OAuthClient(client_id="zoom-client-id", client_secret="zoom-client-secret")
REDIRECT_URI = "https://hireslot.test/settings/zoom/callback"
PARIS = ZoneInfo("Europe/Paris")
SPEC = MeetingSpec(
    key="5f0c7c52-2c1e-4a53-a1d4-000000000001",
    topic="Interview: Ada Lovelace",
    start=datetime(2026, 7, 1, 10, 0, tzinfo=PARIS),  # 08:00 UTC (summer time)
    duration_minutes=45,
    host_email="grace@example.com",
)
MOVED = MeetingSpec(
    key=SPEC.key,
    topic=SPEC.topic,
    start=datetime(2026, 7, 2, 14, 30, tzinfo=UTC),
    duration_minutes=60,
    host_email=SPEC.host_email,
)


@pytest.fixture
def zoom(settings: Any) -> Iterator[ZoomFake]:
    fake = ZoomFake(
        client_id=CLIENT.client_id, client_secret=CLIENT.client_secret, redirect_uri=REDIRECT_URI
    ).start()
    settings.HIRESLOT_ZOOM_AUTH_URL = fake.authorize_url
    settings.HIRESLOT_ZOOM_TOKEN_URL = fake.token_url
    settings.HIRESLOT_ZOOM_API_URL = fake.api_url
    yield fake
    fake.stop()


class Saved:
    """What the app would have written to the ZoomConnection row, in order."""

    def __init__(self, zoom: ZoomFake) -> None:
        self.zoom = zoom
        self.credentials: list[dict[str, Any]] = []
        # How many API calls Zoom had seen when each save happened.
        self.api_calls_at_save: list[int] = []

    def __call__(self, credentials: dict[str, Any]) -> None:
        self.credentials.append(dict(credentials))
        self.api_calls_at_save.append(len(self.zoom.api_calls()))


def connected(
    zoom: ZoomFake, *, expires_in: float = 3599, client: OAuthClient | None = CLIENT
) -> tuple[ZoomProvider, Saved]:
    grant = zoom.grant()
    saved = Saved(zoom)
    connection = Connection(
        id="zoom-connection-1",
        provider="zoom",
        account=zoom.email,
        credentials={
            "access_token": grant["access_token"],
            "refresh_token": grant["refresh_token"],
            "expires_at": time.time() + expires_in,
            "scope": grant["scope"],
        },
        client=client,
        on_credentials=saved,
    )
    return ZoomProvider(connection), saved


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def consent(url: str) -> dict[str, str]:
    """The person approves on Zoom's page; the query Zoom redirects back with."""
    response = httpx.get(url, follow_redirects=False)
    assert response.status_code == 302, response.text
    location = response.headers["Location"]
    assert location.startswith(REDIRECT_URI + "?")
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


# --- connecting --------------------------------------------------------------------------


def test_connecting_zoom_gives_rotating_tokens_and_the_person_s_zoom_email(zoom: ZoomFake) -> None:
    # Given a person sent to Zoom's consent page with a state and a PKCE challenge
    verifier, challenge = pkce_pair()
    url = zoom_authorization_url(
        client=CLIENT, redirect_uri=REDIRECT_URI, state="s-123", code_challenge=challenge
    )
    back = consent(url)
    assert back["state"] == "s-123"

    # When HireSlot exchanges the code Zoom sent back
    grant = zoom_code_exchange(
        client=CLIENT, code=back["code"], redirect_uri=REDIRECT_URI, code_verifier=verifier
    )

    # Then the connection knows whose Zoom it is and holds a working token pair
    assert grant.account == "grace@example.com"
    assert grant.refresh_token in zoom.refresh_tokens
    assert grant.access_token in zoom.access_tokens
    assert 3500 < grant.expires_at - time.time() <= 3600


def test_a_code_with_the_wrong_verifier_connects_nothing(zoom: ZoomFake) -> None:
    _, challenge = pkce_pair()
    back = consent(
        zoom_authorization_url(
            client=CLIENT, redirect_uri=REDIRECT_URI, state="s", code_challenge=challenge
        )
    )
    other_verifier, _ = pkce_pair()

    with pytest.raises(ProviderError, match="Zoom answered 400"):
        zoom_code_exchange(
            client=CLIENT,
            code=back["code"],
            redirect_uri=REDIRECT_URI,
            code_verifier=other_verifier,
        )
    assert zoom.access_tokens == {}


def test_a_wrong_client_secret_is_refused_at_the_token_endpoint(zoom: ZoomFake) -> None:
    verifier, challenge = pkce_pair()
    back = consent(
        zoom_authorization_url(
            client=CLIENT, redirect_uri=REDIRECT_URI, state="s", code_challenge=challenge
        )
    )
    wrong = OAuthClient(client_id=CLIENT.client_id, client_secret="not-the-secret")

    with pytest.raises(ProviderError):
        zoom_code_exchange(
            client=wrong, code=back["code"], redirect_uri=REDIRECT_URI, code_verifier=verifier
        )
    assert zoom.access_tokens == {}


# --- meetings ------------------------------------------------------------------------------


def test_create_makes_a_scheduled_meeting_at_the_utc_instant_and_returns_its_link(
    zoom: ZoomFake,
) -> None:
    provider, _ = connected(zoom)

    meeting = provider.meeting_create(spec=SPEC)

    (stored,) = zoom.meetings.values()
    assert meeting.provider == "zoom"
    assert meeting.meeting_id == str(stored["id"])
    assert stored["id"] > 2**31  # Zoom ids are int64: kept whole, as text
    assert meeting.join_url == stored["join_url"]
    assert stored["password"] in meeting.details
    (sent,) = zoom.api_calls("POST")
    assert sent.path == "/v2/users/me/meetings"
    # 10:00 in Paris in July is 08:00 UTC, sent with Z so Zoom reads it as UTC
    assert sent.body["start_time"] == "2026-07-01T08:00:00Z"
    assert stored["start_time"] == "2026-07-01T08:00:00Z"
    assert sent.body["duration"] == 45  # minutes
    assert sent.body["type"] == 2  # scheduled
    assert sent.body["timezone"] == "UTC"
    assert sent.body["topic"] == "Interview: Ada Lovelace"
    assert stored["settings"]["waiting_room"] is True
    assert stored["settings"]["join_before_host"] is False
    assert "start_url" not in meeting.details  # the host's secret key stays at Zoom


def test_reschedule_patches_with_204_and_reads_the_meeting_back(zoom: ZoomFake) -> None:
    provider, _ = connected(zoom)
    meeting = provider.meeting_create(spec=SPEC)

    moved = provider.meeting_update(meeting=meeting, spec=MOVED)

    assert [call.method for call in zoom.api_calls()] == ["POST", "PATCH", "GET"]
    assert moved.meeting_id == meeting.meeting_id
    assert moved.join_url == meeting.join_url  # the link the candidate has keeps working
    (stored,) = zoom.meetings.values()
    assert stored["start_time"] == "2026-07-02T14:30:00Z"
    assert stored["duration"] == 60


def test_a_retry_after_the_meeting_id_was_saved_does_not_make_a_second_meeting(
    zoom: ZoomFake,
) -> None:
    # Given a create whose meeting id the caller saved before the worker died
    provider, _ = connected(zoom)
    saved = provider.meeting_create(spec=SPEC)

    # When the retried effect goes through the update path with the saved meeting
    again = provider.meeting_update(meeting=saved, spec=SPEC)

    # Then Zoom still has exactly one meeting, the one already sent out
    assert len(zoom.meetings) == 1
    assert again.meeting_id == saved.meeting_id
    assert again.join_url == saved.join_url
    assert len(zoom.api_calls("POST")) == 1


def test_rescheduling_a_meeting_the_host_deleted_in_zoom_makes_a_new_one(zoom: ZoomFake) -> None:
    provider, _ = connected(zoom)
    meeting = provider.meeting_create(spec=SPEC)
    zoom.meetings.clear()  # the host deleted it in the Zoom app

    moved = provider.meeting_update(meeting=meeting, spec=MOVED)

    (stored,) = zoom.meetings.values()
    assert moved.meeting_id == str(stored["id"]) != meeting.meeting_id
    assert moved.join_url == stored["join_url"]
    assert stored["start_time"] == "2026-07-02T14:30:00Z"


def test_cancel_deletes_the_meeting_and_a_missing_meeting_is_already_cancelled(
    zoom: ZoomFake,
) -> None:
    provider, _ = connected(zoom)
    meeting = provider.meeting_create(spec=SPEC)

    provider.meeting_delete(meeting=meeting)
    provider.meeting_delete(meeting=meeting)  # retried: Zoom answers 404 code 3001

    assert zoom.meetings == {}
    first, second = zoom.api_calls("DELETE")
    assert first.query == {"schedule_for_reminder": "false", "cancel_meeting_reminder": "false"}
    assert second.path == first.path


def test_a_404_that_is_not_a_missing_meeting_is_not_taken_for_success(zoom: ZoomFake) -> None:
    provider, _ = connected(zoom)
    meeting = provider.meeting_create(spec=SPEC)
    zoom.fail_next(404, {"code": 1001, "message": "User does not exist: grace@example.com."})

    with pytest.raises(PermanentProviderError, match="User does not exist"):
        provider.meeting_delete(meeting=meeting)
    assert len(zoom.meetings) == 1


# --- tokens ---------------------------------------------------------------------------------


def test_token_expiring_mid_flow_is_refreshed_and_the_rotated_token_saved_first(
    zoom: ZoomFake,
) -> None:
    # Given a meeting made with a token Zoom then stops accepting
    provider, saved = connected(zoom)
    meeting = provider.meeting_create(spec=SPEC)
    old_refresh = provider.connection.credentials["refresh_token"]
    zoom.expire_access_tokens()

    # When the interview is rescheduled
    moved = provider.meeting_update(meeting=meeting, spec=MOVED)

    # Then the reschedule went through on a fresh token
    assert moved.join_url == meeting.join_url
    (stored,) = zoom.meetings.values()
    assert stored["start_time"] == "2026-07-02T14:30:00Z"
    # and the new refresh token was saved before Zoom saw the retried PATCH
    (credentials,) = saved.credentials
    assert credentials["refresh_token"] != old_refresh
    assert credentials["refresh_token"] in zoom.refresh_tokens
    assert saved.api_calls_at_save == [2]  # the POST, the refused PATCH; not yet the retry
    assert [call.method for call in zoom.api_calls()] == ["POST", "PATCH", "PATCH", "GET"]
    # and Zoom refuses the old refresh token from now on
    with pytest.raises(ConnectionBrokenError):
        zoom_token_refresh(client=CLIENT, refresh_token=old_refresh)


def test_a_token_known_to_be_expired_is_refreshed_before_calling_zoom(zoom: ZoomFake) -> None:
    provider, saved = connected(zoom, expires_in=-10)

    provider.meeting_create(spec=SPEC)

    assert len(saved.credentials) == 1
    assert saved.api_calls_at_save == [0]
    assert len(zoom.meetings) == 1


def test_a_worker_holding_the_spent_refresh_token_finds_the_connection_broken(
    zoom: ZoomFake,
) -> None:
    # Two views of one connection; the first refreshes, the second still has the old pair.
    first, _ = connected(zoom, expires_in=-10)
    stale = ZoomProvider(
        Connection(
            id="zoom-connection-1",
            provider="zoom",
            account=zoom.email,
            credentials=dict(first.connection.credentials),
            client=CLIENT,
        )
    )
    first.meeting_create(spec=SPEC)

    with pytest.raises(ConnectionBrokenError):
        stale.meeting_create(spec=SPEC)
    assert len(zoom.meetings) == 1


@pytest.mark.parametrize("refusal", ["invalid_request", "invalid_grant"])
def test_a_revoked_connection_is_broken_and_creates_nothing(zoom: ZoomFake, refusal: str) -> None:
    # Given a person who removed HireSlot from their Zoom account
    provider, saved = connected(zoom)
    zoom.refused_refresh_error = refusal
    zoom.revoke()

    # When a meeting is wanted, the connection is reported broken (its owner is alerted)
    with pytest.raises(ConnectionBrokenError, match="reconnect"):
        provider.meeting_create(spec=SPEC)

    assert zoom.meetings == {}
    assert saved.credentials == []


def test_a_token_refused_even_after_refreshing_means_the_connection_is_broken(
    zoom: ZoomFake,
) -> None:
    provider, saved = connected(zoom)
    refused = {"code": 124, "message": "Invalid access token."}
    zoom.fail_next(401, refused)
    zoom.fail_next(401, refused)

    with pytest.raises(ConnectionBrokenError):
        provider.meeting_create(spec=SPEC)
    assert len(saved.credentials) == 1  # the one refresh it tried was still kept
    assert zoom.meetings == {}


def test_a_token_missing_the_meeting_scopes_asks_for_reconnection(zoom: ZoomFake) -> None:
    provider, _ = connected(zoom)
    zoom.fail_next(
        400,
        {"code": 4711, "message": "Invalid access token, does not contain scopes:[meeting:write]"},
    )

    with pytest.raises(ConnectionBrokenError, match="scopes"):
        provider.meeting_create(spec=SPEC)


def test_without_the_organization_s_zoom_app_an_expired_token_cannot_be_refreshed(
    zoom: ZoomFake,
) -> None:
    provider, _ = connected(zoom, expires_in=-10, client=None)

    with pytest.raises(PermanentProviderError, match="Integrations"):
        provider.meeting_create(spec=SPEC)
    assert zoom.api_calls() == []


# --- errors ---------------------------------------------------------------------------------


def test_rate_limit_is_retried_later_as_zoom_advises(zoom: ZoomFake) -> None:
    provider, _ = connected(zoom)
    zoom.fail_next(
        429,
        {"code": 429, "message": "You have reached the maximum daily rate limit for this API."},
        headers={"Retry-After": "7", "X-RateLimit-Type": "Daily-limit"},
    )

    with pytest.raises(TransientProviderError) as caught:
        provider.meeting_create(spec=SPEC)

    assert caught.value.retry_after == 7
    assert "daily rate limit" in str(caught.value)
    assert zoom.meetings == {}


def test_zoom_server_errors_and_timeouts_are_retried_later(zoom: ZoomFake, settings: Any) -> None:
    provider, _ = connected(zoom)
    zoom.fail_next(503, {"code": 503, "message": "Service unavailable."})
    with pytest.raises(TransientProviderError):
        provider.meeting_create(spec=SPEC)

    settings.HIRESLOT_PROVIDER_TIMEOUT = 0.2
    zoom.delay_seconds = 1.0
    with pytest.raises(TransientProviderError, match="timed out"):
        provider.meeting_delete(
            meeting=Meeting(provider="zoom", join_url="https://zoom.us/j/1", meeting_id="1")
        )


def test_other_refusals_fail_with_zoom_s_own_words(zoom: ZoomFake) -> None:
    provider, _ = connected(zoom)
    zoom.fail_next(400, {"code": 3000, "message": "Cannot access meeting information."})

    with pytest.raises(PermanentProviderError, match="Cannot access meeting information") as caught:
        provider.meeting_create(spec=SPEC)
    assert not isinstance(caught.value, ConnectionBrokenError)


def test_a_naive_start_time_is_a_bug_not_a_meeting_at_some_server_s_local_time(
    zoom: ZoomFake,
) -> None:
    provider, _ = connected(zoom)
    naive = MeetingSpec(
        key=SPEC.key,
        topic=SPEC.topic,
        start=datetime(2026, 7, 1, 10, 0),  # naive: the point of the test
        duration_minutes=45,
        host_email=SPEC.host_email,
    )

    with pytest.raises(ValueError, match="timezone-aware"):
        provider.meeting_create(spec=naive)
    assert zoom.api_calls() == []
