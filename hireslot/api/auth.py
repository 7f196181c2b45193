"""Who is calling: ``Authorization: Bearer <key>``, the key's rate limit, and read-only keys.

One callable for every operation, so no route can forget a check: a missing, malformed,
unknown or revoked key is a 401, a key over its rate a 429 (``RateLimitError``), and a
read-only key asking for anything but a read a 403.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage  # type: ignore[import-untyped]
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from hireslot.accounts.models import Organization
from hireslot.api.keys import api_key_for_secret
from hireslot.api.models import ApiKey

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class RateLimitError(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after


def _key_of(group: str, request: HttpRequest) -> str:
    return str(cast(ApiKey, request.auth).pk)  # type: ignore[attr-defined]


def rate_limit_check(request: HttpRequest, key: ApiKey) -> None:
    """Count this request against the key; over the limit: ``RateLimitError`` with the seconds
    until the window ends."""
    request.auth = key  # type: ignore[attr-defined]
    usage = get_usage(
        request,
        group="hireslot.api",
        key=_key_of,
        rate=settings.HIRESLOT_API_RATE_LIMIT,
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimitError(max(1, int(usage["time_left"])))


class ApiKeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = api_key_for_secret(token.strip())
        if key is None:
            return None
        rate_limit_check(request, key)
        if key.read_only and request.method not in READ_METHODS:
            raise AuthorizationError(message="This API key is read-only; it cannot make changes.")
        return key


def api_key_of(request: HttpRequest) -> ApiKey:
    return cast(ApiKey, request.auth)  # type: ignore[attr-defined]


def organization_of(request: HttpRequest) -> Organization:
    """The organization the calling key belongs to: every query is scoped to it."""
    return api_key_of(request).organization
