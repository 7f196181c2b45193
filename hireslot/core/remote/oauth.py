"""OAuth 2.0 as every adapter uses it: the organization's client, what a token endpoint
granted, and the flow a person goes through to connect an account.

The web layer runs one flow for every service (a random ``state`` and a PKCE verifier kept in
the session, the service's consent page, the callback exchanging the code); each adapter
that signs people in supplies its ``OAuthFlow``: the consent address and the code exchange.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class OAuthClient:
    """The organization's OAuth app, as the provider needs it."""

    client_id: str
    client_secret: str
    tenant: str = ""  # Microsoft: organizations / common / a tenant id


@dataclass(frozen=True)
class TokenGrant:
    """What a token endpoint answered: saved as the connection's credentials."""

    access_token: str
    refresh_token: str
    expires_at: float  # epoch seconds
    scope: str
    account: str = ""  # the account's email or name, when the provider tells it

    def as_credentials(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "scope": self.scope,
        }


class AuthorizationUrl(Protocol):
    """Where to send the person's browser to consent; ``code_challenge`` is the S256 PKCE
    challenge of the verifier kept in their session."""

    def __call__(
        self, *, client: OAuthClient, redirect_uri: str, state: str, code_challenge: str
    ) -> str: ...


class CodeExchange(Protocol):
    """Trade the code the service sent back for tokens, with ``account`` set when known."""

    def __call__(
        self, *, client: OAuthClient, code: str, redirect_uri: str, code_verifier: str
    ) -> TokenGrant: ...


@dataclass(frozen=True)
class OAuthFlow:
    """How a person connects an account of one service (authorization code with PKCE)."""

    authorization_url: AuthorizationUrl
    code_exchange: CodeExchange
