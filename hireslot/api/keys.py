"""Making, finding and revoking API keys (the services and reads of this app's one model).

A key reads ``hs_live_`` + 43 URL-safe characters (256 random bits): the prefix makes a
leaked key recognizable to secret scanners and to people; the database keeps its SHA-256.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from hireslot.accounts.models import Organization, User
from hireslot.accounts.tenancy import scoped
from hireslot.api.models import ApiKey
from hireslot.core import clock
from hireslot.core.errors import HireSlotError

KEY_PREFIX = "hs_live_"
_KEY_SHAPE = re.compile(r"^hs_live_[A-Za-z0-9_-]{43}$")
# Shown in lists: the recognizable prefix and a few characters of the secret.
DISPLAY_LENGTH = len(KEY_PREFIX) + 6
# last_used_at is written at most this often per key.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class NewApiKey:
    key: ApiKey
    secret: str  # the whole key, shown once


def api_key_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def api_key_create(
    *, organization: Organization, name: str, read_only: bool = False, created_by: User | None
) -> NewApiKey:
    name = name.strip()
    if not name:
        raise HireSlotError("Give the key a name, e.g. the system that will use it.")
    if len(name) > 100:
        raise HireSlotError("A key's name has at most 100 characters.")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey.objects.create(
        organization=organization,
        name=name,
        prefix=secret[:DISPLAY_LENGTH],
        secret_digest=api_key_digest(secret),
        read_only=read_only,
        created_by=created_by,
    )
    return NewApiKey(key=key, secret=secret)


def api_key_revoke(*, key: ApiKey, now: datetime | None = None) -> ApiKey:
    """Revoke the key; it answers 401 from the next request on. Revoking twice is harmless."""
    if key.revoked_at is None:
        key.revoked_at = now or clock.now()
        key.save(update_fields=["revoked_at", "updated_at"])
    return key


def api_key_for_secret(secret: str, *, now: datetime | None = None) -> ApiKey | None:
    """The live key this secret is, noting that it was used; None for a malformed, unknown
    or revoked one. The lookup goes by digest, so its timing says nothing about the secret."""
    if not _KEY_SHAPE.match(secret):
        return None
    key = (
        ApiKey.objects.select_related("organization", "created_by")
        .filter(secret_digest=api_key_digest(secret), revoked_at__isnull=True)
        .first()
    )
    if key is None:
        return None
    now = now or clock.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now
    return key


def api_keys_of(*, organization: Organization) -> QuerySet[ApiKey]:
    return scoped(ApiKey, organization).select_related("created_by")


def api_key_actor(key: ApiKey) -> User | None:
    """Who the key acts as where a person is recorded (a request's sender, a stage move):
    the person who made it while they are still a member; else nobody, and the organization
    signs."""
    user = key.created_by
    if user is None or not user.memberships.filter(organization_id=key.organization_id).exists():
        return None
    return user
