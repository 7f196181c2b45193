"""Google sign-in for calendar connections: the consent URL, the code exchange, refreshing,
the scope check every token response goes through, and revoking.

Scopes: the narrowest Google documents for each call HireSlot makes.

- ``calendar.events``: write interview events (insert/patch/delete, on the chosen calendar),
  read them back (get, list by extended property), list changes for sync and watch them;
- ``calendar.events.freebusy``: ``freeBusy.query`` on the calendars the person can see,
  colleagues' and rooms' included (``calendar.freebusy`` would cover only their own);
- ``calendar.calendarlist.readonly``: ``calendarList.list``, to choose busy calendars and the
  one that receives events;
- ``openid email``: the ID token then names the account, so the connection shows who it is
  without a second request.

Grants made before these scopes existed (``calendar.readonly``, or full ``calendar``) cover
the same calls and are still accepted: each need is met by any scope Google accepts for it.
People can untick scopes on Google's consent screen, and old grants may predate a scope we
now need, so every token answer is checked and a short grant is refused as "reconnect".
"""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from django.conf import settings

from hireslot.core.remote import ConnectionBrokenError, OAuthClient, TokenGrant
from hireslot.core.remote.http import (
    grant_from,
    http_client,
    request_send,
    response_raise,
    token_request,
)

SERVICE = "Google"
SCOPE_PREFIX = "https://www.googleapis.com/auth/"
SCOPE_EVENTS = SCOPE_PREFIX + "calendar.events"
SCOPE_FREEBUSY = SCOPE_PREFIX + "calendar.events.freebusy"
SCOPE_CALENDAR_LIST = SCOPE_PREFIX + "calendar.calendarlist.readonly"
# Broader scopes of older grants, each covering some of the needs below.
SCOPE_READONLY = SCOPE_PREFIX + "calendar.readonly"
SCOPE_CALENDAR = SCOPE_PREFIX + "calendar"
REQUIRED_SCOPES = (SCOPE_EVENTS, SCOPE_FREEBUSY, SCOPE_CALENDAR_LIST)
REQUESTED_SCOPES = ("openid", "email", *REQUIRED_SCOPES)
# Each scope we ask for, and every scope Google accepts for the same calls (its reference's
# "Authorization" section of events.insert/patch/delete, freeBusy.query, calendarList.list).
_SATISFIED_BY = {
    SCOPE_EVENTS: {SCOPE_EVENTS, SCOPE_CALENDAR},
    SCOPE_FREEBUSY: {SCOPE_FREEBUSY, SCOPE_READONLY, SCOPE_CALENDAR},
    SCOPE_CALENDAR_LIST: {
        SCOPE_CALENDAR_LIST,
        SCOPE_PREFIX + "calendar.calendarlist",
        SCOPE_READONLY,
        SCOPE_CALENDAR,
    },
}
ID_TOKEN_ISSUERS = ("https://accounts.google.com", "accounts.google.com")

# What a person sees when a permission is missing: the box they unticked.
_SCOPE_WORDS = {
    SCOPE_EVENTS: "view and edit events on your calendars",
    SCOPE_FREEBUSY: "see when you are busy on the calendars you can see",
    SCOPE_CALENDAR_LIST: "see the list of your calendars",
}


class GoogleScopesMissingError(ConnectionBrokenError):
    """Google granted fewer permissions than HireSlot needs: the person must reconnect and
    leave every box ticked. ``missing`` names the scopes."""

    def __init__(self, missing: list[str]) -> None:
        words = "; ".join(_SCOPE_WORDS.get(scope, scope) for scope in missing)
        super().__init__(
            f"Google did not grant HireSlot permission to {words}. Reconnect Google Calendar "
            "and leave every permission ticked."
        )
        self.missing = missing


def google_authorization_url(
    *, client: OAuthClient, redirect_uri: str, state: str, code_challenge: str, login_hint: str = ""
) -> str:
    """Where to send the person's browser to connect Google Calendar (PKCE S256)."""
    params = {
        "client_id": client.client_id,
        "redirect_uri": redirect_uri,
        "response_type": "code",
        "scope": " ".join(REQUESTED_SCOPES),
        "state": state,
        # A refresh token, and again on every reconnect (Google sends it on first consent only).
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
        "code_challenge": code_challenge,
        "code_challenge_method": "S256",
    }
    if login_hint:
        params["login_hint"] = login_hint
    return f"{settings.HIRESLOT_GOOGLE_AUTH_URL}?{urlencode(params)}"


def google_missing_scopes(grant: TokenGrant) -> list[str]:
    """The required scopes ``grant`` lacks; empty when it can do everything HireSlot needs."""
    granted = set(grant.scope.split())
    return [scope for scope in REQUIRED_SCOPES if not granted & _SATISFIED_BY[scope]]


def _scopes_check(grant: TokenGrant) -> TokenGrant:
    missing = google_missing_scopes(grant)
    if missing:
        raise GoogleScopesMissingError(missing)
    return grant


def _id_token_email(id_token: str, *, client: OAuthClient) -> str:
    """The account's email from the ID token's claims.

    The token came straight from Google's token endpoint over TLS, which OpenID Connect Core
    3.1.3.7 accepts in place of checking the signature; audience and issuer are still checked
    so a token minted for another app is never taken as this account.
    """
    try:
        payload = id_token.split(".")[1]
        claims: Any = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError) as error:
        raise ConnectionBrokenError("Google sent an unreadable ID token; reconnect.") from error
    if not isinstance(claims, dict):
        raise ConnectionBrokenError("Google sent an unreadable ID token; reconnect.")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client.client_id not in audiences or claims.get("iss") not in ID_TOKEN_ISSUERS:
        raise ConnectionBrokenError("Google's ID token was not issued to this app; reconnect.")
    return str(claims.get("email", ""))


def google_code_exchange(
    *, client: OAuthClient, code: str, redirect_uri: str, code_verifier: str
) -> TokenGrant:
    """Trade the authorization code for tokens; ``account`` is the Google account's email.

    Raises ``GoogleScopesMissingError`` when the person unticked a permission we need.
    """
    with http_client() as http:
        body = token_request(
            http,
            settings.HIRESLOT_GOOGLE_TOKEN_URL,
            service=SERVICE,
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": client.client_id,
                "client_secret": client.client_secret,
                "code_verifier": code_verifier,
            },
        )
    grant = _scopes_check(grant_from(body))
    if not grant.refresh_token:
        # Without it the connection dies in an hour; prompt=consent should always give one.
        raise ConnectionBrokenError("Google sent no refresh token; reconnect Google Calendar.")
    account = _id_token_email(str(body.get("id_token", "")), client=client)
    return replace(grant, account=account)


def google_token_refresh(
    *, client: OAuthClient, refresh_token: str, previous_scope: str = ""
) -> TokenGrant:
    """A fresh access token. Google does not rotate refresh tokens, so the old one is kept;
    an answer with fewer scopes than we need (revoked in the account's settings) is refused."""
    with http_client() as http:
        body = token_request(
            http,
            settings.HIRESLOT_GOOGLE_TOKEN_URL,
            service=SERVICE,
            data={
                "grant_type": "refresh_token",
                "refresh_token": refresh_token,
                "client_id": client.client_id,
                "client_secret": client.client_secret,
            },
        )
    if "scope" not in body:
        # RFC 6749 5.1: no scope means the scopes are unchanged.
        body = {**body, "scope": previous_scope}
    return _scopes_check(grant_from(body, previous_refresh_token=refresh_token))


def google_token_revoke(*, client: OAuthClient, token: str) -> None:
    """Revoke a refresh (or access) token, e.g. when someone disconnects; a token Google no
    longer knows is already as revoked as it gets.

    The token goes in the form body (RFC 7009, which Google's endpoint follows) rather than
    the query string, so it never lands in a URL that proxies or client logs record.
    Google's endpoint needs no client credentials; ``client`` keeps the helpers alike.
    """
    with http_client() as http:
        response = request_send(
            http, "POST", settings.HIRESLOT_GOOGLE_REVOKE_URL, data={"token": token}
        )
    if response.status_code == 400 and "invalid_token" in response.text:
        return
    response_raise(response, service=SERVICE)
