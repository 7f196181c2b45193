"""What a conferencing provider is, and which kinds this installation offers.

Shaped like Django's email backends: a small base class, one module per provider, classes
named by dotted paths in ``HIRESLOT_CONFERENCING_PROVIDERS`` (kind -> path: Jitsi, phone and
Zoom by default), and an in-memory double for tests. A kind that is not in the setting is
refused with ``ConferencingNotAvailable``, whose message a recruiter understands. Google Meet
and Teams links are not made here: the host's calendar event carries them (the calendar
adapter's ``conference_event_upsert``).

A provider that works on a person's own account (``needs_account``: Zoom) is built with that
account's ``Connection`` and says how people connect it (``oauth_flow``).

Providers that call a remote service (``needs_network``) raise ``hireslot.core.remote``'s
``TransientProviderError`` / ``PermanentProviderError``, as calendar adapters do, so one retry
policy serves calendar events and meetings alike. Jitsi and phone links are made locally and
never fail that way, so a booking can create them inside its own transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string

from hireslot.core.errors import HireSlotError
from hireslot.core.remote import Connection, OAuthFlow


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
    #: True when meetings are made on a person's own account: the class is then built with
    #: that account's ``Connection`` (``conferencing_provider(kind, connection=...)``).
    needs_account: ClassVar[bool] = False
    #: How people connect their account by OAuth (providers that need one).
    oauth_flow: ClassVar[OAuthFlow | None] = None

    def __init__(self, connection: Connection | None = None) -> None:
        # The host's account, for providers that need one; None for the others.
        self.connection = connection

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


def conferencing_provider_class(kind: str) -> type[ConferencingProvider]:
    """The provider class for ``kind``, or ``ConferencingNotAvailable`` saying why there is
    none."""
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
    return provider_class


def conferencing_provider(
    kind: str, *, connection: Connection | None = None
) -> ConferencingProvider:
    """The provider for ``kind`` (on ``connection``'s account when the provider works on a
    person's own account), or ``ConferencingNotAvailable`` saying why there is none."""
    provider_class = conferencing_provider_class(kind)
    if not provider_class.needs_account:
        return provider_class()
    if connection is None:
        raise TypeError(f"{provider_class.__name__} makes meetings on an account: pass connection")
    return provider_class(connection)


def conferencing_oauth_flows() -> dict[str, OAuthFlow]:
    """How people connect the accounts conferencing providers need, by kind."""
    flows = {}
    for kind in settings.HIRESLOT_CONFERENCING_PROVIDERS:
        flow = conferencing_provider_class(kind).oauth_flow
        if flow is not None:
            flows[kind] = flow
    return flows
