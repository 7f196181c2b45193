"""Zoom meetings on the interviewer's own Zoom account (user-level OAuth).

The person connects Zoom through the organization's Zoom app (authorization code with PKCE);
HireSlot keeps their tokens in a ``Connection``. Zoom rotates the refresh token on every
refresh and refuses the old one from then on, so a new pair is handed to
``Connection.on_credentials`` (through ``TokenKeeper``) before the token is used at all.

Zoom has no idempotency key: ``POST /users/me/meetings`` twice makes two meetings. So this
adapter never repeats a create on its own, and the caller keeps a strict order:

1. ``meeting_create(spec=...)`` makes the meeting and returns it at once;
2. the caller saves ``meeting.meeting_id`` (and the join link) in its own committed write
   before doing anything else with it;
3. every later attempt, retries of step 1 included, calls ``meeting_update`` with the saved
   meeting: it PATCHes the existing meeting to ``spec`` and reads it back, and only creates a
   fresh meeting when Zoom says the saved one no longer exists (the host deleted it).

Only a create whose answer is lost in transit (a timeout after Zoom acted) can still leave a
stray meeting; each meeting's agenda names its interview key so one can be found and removed.

Errors follow the rules every adapter shares (``hireslot.core.remote.http``): 429 and 5xx are
transient (with Zoom's ``Retry-After``), an access token refused twice or a refresh token
refused at all means the connection is broken, other 4xx are permanent with Zoom's message.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from django.conf import settings

from hireslot.conferencing.providers.base import ConferencingProvider, Meeting, MeetingSpec
from hireslot.core.remote import (
    Connection,
    ConnectionBrokenError,
    OAuthClient,
    OAuthFlow,
    PermanentProviderError,
    TokenGrant,
)
from hireslot.core.remote.http import (
    TokenKeeper,
    grant_from,
    http_client,
    request_send,
    response_raise,
    token_request,
)

SERVICE = "Zoom"
SCHEDULED_MEETING = 2  # Zoom's meeting type: one meeting at a fixed time
MEETING_GONE = 3001  # Zoom's code for "Meeting does not exist"
TOPIC_MAX = 200  # Zoom refuses longer topics


def _basic_auth(client: OAuthClient) -> httpx.BasicAuth:
    # Zoom's token endpoint takes the client's credentials only as HTTP Basic auth.
    return httpx.BasicAuth(client.client_id, client.client_secret)


def zoom_authorization_url(
    *, client: OAuthClient, redirect_uri: str, state: str, code_challenge: str
) -> str:
    """Where to send the person to connect Zoom; ``code_challenge`` is the S256 PKCE
    challenge of the verifier kept in their session."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client.client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{settings.HIRESLOT_ZOOM_AUTH_URL}?{query}"


def zoom_code_exchange(
    *, client: OAuthClient, code: str, redirect_uri: str, code_verifier: str
) -> TokenGrant:
    """Tokens for the code Zoom sent back, with ``account`` set to the person's Zoom email."""
    with http_client() as http:
        body = token_request(
            http,
            settings.HIRESLOT_ZOOM_TOKEN_URL,
            service=SERVICE,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            },
            auth=_basic_auth(client),
        )
        grant = grant_from(body)
        response = request_send(
            http,
            "GET",
            f"{settings.HIRESLOT_ZOOM_API_URL}/users/me",
            headers={"Authorization": f"Bearer {grant.access_token}"},
        )
        response_raise(response, service=SERVICE)
        user = response.json()
    email = str(user.get("email") or "") if isinstance(user, dict) else ""
    return replace(grant, account=email)


def zoom_token_refresh(*, client: OAuthClient, refresh_token: str) -> TokenGrant:
    """A new token pair; the refresh token inside replaces ``refresh_token``, which Zoom
    refuses from now on, so the caller must save the grant before anything else."""
    with http_client() as http:
        try:
            body = token_request(
                http,
                settings.HIRESLOT_ZOOM_TOKEN_URL,
                service=SERVICE,
                data={"grant_type": "refresh_token", "refresh_token": refresh_token},
                auth=_basic_auth(client),
            )
        except ConnectionBrokenError:
            raise
        except PermanentProviderError as error:
            # Zoom refuses a spent, expired or revoked refresh token with a 4xx that is not
            # always "invalid_grant" (e.g. 400 invalid_request "Invalid Token!"). No 4xx on a
            # refresh heals by waiting: only reconnecting brings the account back.
            raise ConnectionBrokenError(
                f"Zoom refused the saved sign-in ({error}); reconnect Zoom in My Settings."
            ) from error
    return grant_from(body, previous_refresh_token=refresh_token)


def _zoom_error(response: httpx.Response) -> tuple[int | None, str]:
    """Zoom's ``{code, message}`` error body, as far as it is there."""
    try:
        body = response.json()
    except ValueError:
        return None, ""
    if not isinstance(body, dict):
        return None, ""
    code = body.get("code")
    return (code if isinstance(code, int) else None), str(body.get("message") or "")


def _is_gone(response: httpx.Response) -> bool:
    return response.status_code == 404 and _zoom_error(response)[0] == MEETING_GONE


def _raise(response: httpx.Response) -> None:
    if response.is_success:
        return
    code, message = _zoom_error(response)
    # A token without the meeting scopes (an app installed before they were added) works for
    # nothing until the person connects again and grants them [?: code 4711 per Zoom forums].
    if code == 4711 or "does not contain scopes" in message:
        raise ConnectionBrokenError(
            f"Zoom needs more permissions for this connection ({message}); reconnect Zoom."
        )
    response_raise(response, service=SERVICE)


def _start_time(spec: MeetingSpec) -> str:
    if spec.start.utcoffset() is None:
        # A naive time would be read as the server's local time: a bug, not Zoom's weather.
        raise ValueError("MeetingSpec.start must be timezone-aware.")
    # Zoom reads yyyy-MM-ddTHH:mm:ssZ as UTC; without the Z it would be the account's zone.
    return spec.start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _meeting_body(spec: MeetingSpec) -> dict[str, Any]:
    return {
        "topic": spec.topic[:TOPIC_MAX],
        "type": SCHEDULED_MEETING,
        "start_time": _start_time(spec),
        "duration": spec.duration_minutes,
        "timezone": "UTC",
        # Names the interview, so a meeting left over from a lost answer can be traced.
        "agenda": f"HireSlot interview {spec.key}",
        "settings": {
            # The interviewer admits the candidate; nobody talks before the host arrives.
            "waiting_room": True,
            "join_before_host": False,
        },
    }


def _meeting_from(body: Any) -> Meeting:
    if not isinstance(body, dict) or not body.get("id") or not body.get("join_url"):
        raise PermanentProviderError("Zoom answered without a meeting id or join link.")
    meeting_id = str(body["id"])  # an int64: kept as text, never as a float
    details = f"Zoom meeting ID: {meeting_id}"
    if body.get("password"):
        details += f" · Passcode: {body['password']}"
    # start_url is the host's secret key and expires within hours: never kept.
    return Meeting(
        provider=ZoomProvider.name,
        join_url=str(body["join_url"]),
        meeting_id=meeting_id,
        details=details,
    )


class ZoomProvider(ConferencingProvider):
    """Meetings hosted by the person whose Zoom ``connection`` this is."""

    name = "zoom"
    needs_network = True
    needs_account = True
    oauth_flow = OAuthFlow(
        authorization_url=zoom_authorization_url, code_exchange=zoom_code_exchange
    )

    connection: Connection  # always an account: Zoom meetings have a host

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._tokens = TokenKeeper(connection, self._refresh)

    def _refresh(self, refresh_token: str) -> TokenGrant:
        client = self.connection.client
        if client is None:
            raise PermanentProviderError(
                "This organization's Zoom app is not installed; an admin can add it on the "
                "Integrations page."
            )
        return zoom_token_refresh(client=client, refresh_token=refresh_token)

    def _send(self, http: httpx.Client, method: str, path: str, **options: Any) -> httpx.Response:
        url = f"{settings.HIRESLOT_ZOOM_API_URL}{path}"
        # A 401 is refreshed and retried once by the keeper; that is safe even for a create,
        # since Zoom refuses the token before it makes anything.
        return self._tokens.send(http, method, url, service=SERVICE, **options)

    def _create(self, http: httpx.Client, spec: MeetingSpec) -> Meeting:
        response = self._send(http, "POST", "/users/me/meetings", json=_meeting_body(spec))
        _raise(response)
        return _meeting_from(response.json())

    def meeting_create(self, *, spec: MeetingSpec) -> Meeting:
        """A new scheduled meeting; save its ``meeting_id`` before anything else, and retry
        with ``meeting_update`` once it is saved (Zoom would make a second meeting)."""
        with http_client() as http:
            return self._create(http, spec)

    def meeting_update(self, *, meeting: Meeting, spec: MeetingSpec) -> Meeting:
        """Move the saved meeting to ``spec`` (also the retry path after a create was saved).

        When the host deleted the meeting in Zoom, a new one is made: the returned meeting
        then has a new id and link, which the caller saves before sending it to anyone.
        """
        with http_client() as http:
            if not meeting.meeting_id:
                return self._create(http, spec)
            path = f"/meetings/{quote(meeting.meeting_id, safe='')}"
            response = self._send(http, "PATCH", path, json=_meeting_body(spec))
            if _is_gone(response):
                return self._create(http, spec)
            _raise(response)
            # Zoom answers a PATCH with 204 and no body; read the meeting back for its link.
            response = self._send(http, "GET", path)
            if _is_gone(response):
                return self._create(http, spec)
            _raise(response)
            return _meeting_from(response.json())

    def meeting_delete(self, *, meeting: Meeting) -> None:
        """Cancel the meeting; one that is already gone (Zoom's 404 3001) is fine."""
        if not meeting.meeting_id:
            return
        with http_client() as http:
            response = self._send(
                http,
                "DELETE",
                f"/meetings/{quote(meeting.meeting_id, safe='')}",
                # HireSlot tells the interviewer and candidate itself; no Zoom emails on top.
                params={"schedule_for_reminder": "false", "cancel_meeting_reminder": "false"},
            )
            if _is_gone(response):
                return
            _raise(response)
