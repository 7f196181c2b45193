"""What a conferencing provider is, and which kinds this installation offers.

Shaped like Django's email backends: a small base class, one module per provider, classes
named by dotted paths in ``HIRESLOT_CONFERENCING_PROVIDERS`` (kind -> path), and an in-memory
double for tests. A kind that is not in the setting (Google Meet, Teams and Zoom until their
adapters exist) is refused with ``ConferencingNotAvailable``, whose message a recruiter
understands.

Providers that call a remote service (``needs_network``) raise the calendars'
``TransientProviderError`` / ``PermanentProviderError``, so one retry policy serves calendar
events and meetings alike. Jitsi and phone links are made locally and never fail that way, so
a booking can create them inside its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string

from hireslot.core.errors import HireSlotError


class ConferencingKind(models.TextChoices):
    JITSI = "jitsi", "Jitsi Meet"
    GOOGLE_MEET = "google_meet", "Google Meet"
    TEAMS = "teams", "Microsoft Teams"
    ZOOM = "zoom", "Zoom"
    PHONE = "phone", "Phone call"


@dataclass(frozen=True)
class MeetingSpec:
    key: str  # stable per interview (its uuid as text): the remote service's idempotency key
    topic: str
    start: datetime  # aware
    duration_minutes: int
    host_email: str
    phone_number: str = ""  # for the phone provider (from the template or the interviewer)


@dataclass(frozen=True)
class Meeting:
    provider: str  # the provider's ``name``: "jitsi", "phone", ...
    # What goes into events, invites and the candidate page (a tel: URL for phone).
    join_url: str
    meeting_id: str = ""
    details: str = ""  # human text, e.g. "Phone: +1 555 0100"


class ConferencingNotAvailable(HireSlotError):  # noqa: N818 (the name callers were promised)
    """This kind of link cannot be made here; the message tells a recruiter why."""


class ConferencingProvider:
    """Base class of conferencing providers; subclasses set both attributes and the methods."""

    name: str
    # False when the link is made locally (Jitsi, phone): no remote call can fail or hang, so
    # the booking may create it inside its own transaction instead of as a retried effect.
    needs_network: bool

    def meeting_create(self, *, spec: MeetingSpec) -> Meeting:
        raise NotImplementedError(f"{type(self).__name__} must implement meeting_create(spec=...)")

    def meeting_update(self, *, meeting: Meeting, spec: MeetingSpec) -> Meeting:
        """The meeting moved to ``spec``'s time; the returned one replaces ``meeting``."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement meeting_update(meeting=..., spec=...)"
        )

    def meeting_delete(self, *, meeting: Meeting) -> None:
        """Cancel the meeting; cancelling one that is already gone is fine."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement meeting_delete(meeting=...)"
        )


def _label(kind: str) -> str:
    return ConferencingKind(kind).label if kind in ConferencingKind.values else kind


def conferencing_provider(kind: str) -> ConferencingProvider:
    """The provider for ``kind``, or ``ConferencingNotAvailable`` saying why there is none."""
    if kind not in ConferencingKind.values:
        raise ConferencingNotAvailable(f"{kind!r} is not a kind of interview link HireSlot knows.")
    path = settings.HIRESLOT_CONFERENCING_PROVIDERS.get(kind)
    if not path:
        raise ConferencingNotAvailable(
            f"{_label(kind)} is not connected for this organization yet."
        )
    try:
        provider_class = import_string(path)
    except ImportError as exc:
        # A wrong path is the operator's mistake, not the recruiter's: fail loudly.
        raise ImproperlyConfigured(
            f"Conferencing provider {path!r} for {kind!r} cannot be imported: {exc}"
        ) from exc
    if not (isinstance(provider_class, type) and issubclass(provider_class, ConferencingProvider)):
        raise ImproperlyConfigured(f"Conferencing provider {path!r} is not a ConferencingProvider.")
    return provider_class()
