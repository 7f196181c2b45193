"""Signing a person in to Microsoft 365: the OAuth 2.0 v2 authorization-code flow with PKCE.

The tenant comes from the organization's app: ``organizations`` (work and school accounts,
the default), ``common`` (also personal accounts) or one tenant's id. The account's address
comes from ``GET /me`` right after the code exchange, so the connection is named as the person
knows it.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from hireslot.calendars.providers.microsoft.graph import (
    PREFER,
    SCOPES,
    SERVICE,
    Graph,
    graph_url,
    login_url,
    token_post,
)
from hireslot.core.remote import Connection, OAuthClient, PermanentProviderError, TokenGrant
from hireslot.core.remote.http import http_client, request_send, response_raise


def microsoft_authorization_url(
    *, client: OAuthClient, redirect_uri: str, state: str, code_challenge: str
) -> str:
    """Where to send the person to consent; ``code_challenge`` is the S256 of the verifier."""
    query = urlencode(
        {
            "client_id": client.client_id,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "response_mode": "query",
            "scope": SCOPES,
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
            # Someone signed in to several accounts must choose, not get the wrong one.
            "prompt": "select_account",
        }
    )
    return f"{login_url(client.tenant, 'authorize')}?{query}"


def microsoft_code_exchange(
    *, client: OAuthClient, code: str, redirect_uri: str, code_verifier: str
) -> TokenGrant:
    """Trade the code for tokens and learn the account's address."""
    with http_client() as http:
        grant = token_post(
            http,
            tenant=client.tenant,
            data={
                "grant_type": "authorization_code",
                "client_id": client.client_id,
                "client_secret": client.client_secret,
                "code": code,
                "redirect_uri": redirect_uri,
                "scope": SCOPES,
                "code_verifier": code_verifier,
            },
        )
        if not grant.refresh_token:
            raise PermanentProviderError(
                f"{SERVICE} gave no refresh token (offline_access was not granted); "
                "reconnect and accept every permission."
            )
        response = request_send(
            http,
            "GET",
            graph_url("/me"),
            params={"$select": "mail,userPrincipalName,displayName"},
            headers={"Authorization": f"Bearer {grant.access_token}", "Prefer": PREFER},
        )
        response_raise(response, service=SERVICE)
        me = response.json()
    # Personal accounts and some work accounts have no ``mail``; the sign-in name is theirs.
    account = str(me.get("mail") or me.get("userPrincipalName") or me.get("displayName") or "")
    return replace(grant, account=account)


def microsoft_token_refresh(connection: Connection) -> TokenGrant:
    """Refresh now (e.g. to check a connection): the rotated refresh token is saved through
    ``connection.on_credentials`` before this returns."""
    with Graph(connection) as graph:
        graph.keeper.access_token(force_refresh=True)
    credentials = connection.credentials
    return TokenGrant(
        access_token=str(credentials["access_token"]),
        refresh_token=str(credentials["refresh_token"]),
        expires_at=float(credentials["expires_at"]),
        scope=str(credentials.get("scope", "")),
        account=connection.account,
    )
