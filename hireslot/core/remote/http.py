"""HTTP to calendar and conferencing providers: one client with timeouts, one mapping from
responses to our errors, and access tokens refreshed when they expire.

Every vendor adapter (Google, Microsoft, Zoom) goes through here, so retry advice
(``Retry-After``), transport failures and revoked grants mean the same thing everywhere. Their
base URLs are operator settings, so this client is not the outbound guard: addresses users
type (CalDAV servers, ICS feeds) go through ``hireslot.core.outbound.outbound_client``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from django.conf import settings

from hireslot.core.remote.connection import Connection
from hireslot.core.remote.errors import (
    ConnectionBrokenError,
    PermanentProviderError,
    TransientProviderError,
)
from hireslot.core.remote.oauth import TokenGrant

# Refresh a little before the provider would refuse the token.
EXPIRY_MARGIN_SECONDS = 60


def http_client() -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(settings.HIRESLOT_PROVIDER_TIMEOUT),
        headers={"User-Agent": "HireSlot"},
        follow_redirects=False,
    )


def retry_after_seconds(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, float(parsedate_to_datetime(value).timestamp()) - time.time())
    except (TypeError, ValueError):
        return None


def error_message(response: httpx.Response) -> str:
    """The provider's own words, from Google's, Graph's or Zoom's error shapes."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason_phrase
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, dict):
            return str(error.get("message") or error.get("code") or error)[:300]
        if isinstance(error, str):
            return str(body.get("error_description") or error)[:300]
        if "message" in body:
            return str(body["message"])[:300]
    return str(body)[:300]


def response_raise(response: httpx.Response, *, service: str) -> None:
    """Raise our error for a failed response; return quietly for a success."""
    if response.is_success:
        return
    status = response.status_code
    message = f"{service} answered {status}: {error_message(response)}"
    if status == 429 or status >= 500:
        raise TransientProviderError(message, retry_after=retry_after_seconds(response))
    if status == 403 and any(
        reason in response.text
        for reason in ("rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded")
    ):
        raise TransientProviderError(message, retry_after=retry_after_seconds(response))
    if status == 401:
        raise ConnectionBrokenError(f"{service} no longer accepts this connection: {message}")
    raise PermanentProviderError(message)


def request_send(client: httpx.Client, method: str, url: str, **options: Any) -> httpx.Response:
    """Send, turning transport failures (timeouts, refused connections) into transient errors."""
    try:
        return client.request(method, url, **options)
    except httpx.TimeoutException as error:
        raise TransientProviderError(f"{url} timed out: {error}") from error
    except httpx.TransportError as error:
        raise TransientProviderError(f"{url} could not be reached: {error}") from error


def token_request(
    client: httpx.Client, url: str, *, service: str, data: dict[str, str], **options: Any
) -> dict[str, Any]:
    """POST to a token endpoint; ``invalid_grant`` and friends mean the grant is gone."""
    response = request_send(client, "POST", url, data=data, **options)
    if response.status_code in (400, 401) and any(
        code in response.text for code in ("invalid_grant", "invalid_client", "unauthorized")
    ):
        raise ConnectionBrokenError(
            f"{service} refused the saved sign-in ({error_message(response)}); reconnect."
        )
    response_raise(response, service=service)
    body = response.json()
    if not isinstance(body, dict) or "access_token" not in body:
        raise TransientProviderError(f"{service} sent a token response without a token.")
    return body


def grant_from(body: dict[str, Any], *, previous_refresh_token: str = "") -> TokenGrant:
    """A ``TokenGrant`` from a token response; providers that do not rotate refresh tokens
    (Google) leave it out of refresh answers, so the previous one is kept."""
    return TokenGrant(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or previous_refresh_token),
        expires_at=time.time() + float(body.get("expires_in", 3600)),
        scope=str(body.get("scope", "")),
    )


class TokenKeeper:
    """Hands out a valid access token for a connection, refreshing (and saving, through the
    connection's callback) when it has expired or the provider says 401."""

    def __init__(
        self,
        connection: Connection,
        refresh: Callable[[str], TokenGrant],
    ) -> None:
        self.connection = connection
        self._refresh = refresh

    def access_token(self, *, force_refresh: bool = False) -> str:
        credentials = self.connection.credentials
        token = str(credentials.get("access_token", ""))
        expires_at = float(credentials.get("expires_at", 0))
        if token and not force_refresh and expires_at - EXPIRY_MARGIN_SECONDS > time.time():
            return token
        refresh_token = str(credentials.get("refresh_token", ""))
        if not refresh_token:
            raise ConnectionBrokenError("The saved sign-in has no refresh token; reconnect.")
        grant = self._refresh(refresh_token)
        updated = {**credentials, **grant.as_credentials()}
        self.connection.credentials = updated
        self.connection.on_credentials(updated)
        return grant.access_token

    def send(
        self, client: httpx.Client, method: str, url: str, *, service: str, **options: Any
    ) -> httpx.Response:
        """An authorized request; one refresh and retry when the token was refused."""
        headers = dict(options.pop("headers", {}) or {})
        headers["Authorization"] = f"Bearer {self.access_token()}"
        response = request_send(client, method, url, headers=headers, **options)
        if response.status_code == 401:
            headers["Authorization"] = f"Bearer {self.access_token(force_refresh=True)}"
            response = request_send(client, method, url, headers=headers, **options)
        return response
