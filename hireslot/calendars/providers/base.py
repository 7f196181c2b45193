"""What a calendar provider is, and which one holds a person's calendar.

Shaped like Django's email backends: a small base class, one module per provider, the class
named by a dotted path in settings, and an in-memory double for tests. Bookings talk to
providers only through ``calendars.connections.event_provider_for(owner)``, so the
Google, Microsoft and CalDAV adapters plug in without the scheduling code changing.

Rules every adapter keeps, because the worker that calls them retries:

- ``event_upsert`` is keyed by ``spec.uid``: calling it twice leaves one event. A spec whose
  ``sequence`` is lower than the stored one is a stale retry and leaves the event as it is.
- ``event_delete`` of an event that is not there succeeds.
- Trouble talking to the provider is raised as ``TransientProviderError`` (try again later)
  or ``PermanentProviderError`` (a person must act first), with a message fit for the
  interview page. Any other exception is a bug, not weather. These errors, the
  ``Connection`` and the OAuth pieces are shared with conferencing: ``hireslot.core.remote``.

A connected calendar (``ConnectedCalendarProvider``) is a complete backend: besides busy time
and events it answers, by method, everything the app used to decide by provider name: how
people sign in (``oauth_flow``), checking credentials typed in (``credentials_check``), push
channels (``push_start``, ``push_stop``, ``push_receive``), incremental sync
(``changes_sync``), revoking access (``access_revoke``) and the video link an event can
carry (``conference_link_kind``, ``conference_event_upsert``). The defaults say "not
supported", so an adapter implements only what its service offers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from hireslot.core.remote import Connection, OAuthFlow, PermanentProviderError


@dataclass(frozen=True)
class CalendarOwner:
    """Whose calendar: enough to pick the provider and address the calendar."""

    user_id: UUID
    email: str
    time_zone: str


@dataclass(frozen=True)
class EventSpec:
    """An interview event as every provider should show it."""

    # Stable per interview, "<interview uuid>@hireslot"; the provider's idempotency key.
    uid: str
    # iCalendar SEQUENCE: raised on every reschedule so the newest version wins.
    sequence: int
    title: str
    # Candidate, interview-template link, conference link, reschedule link.
    description: str
    # Conference join URL or phone number.
    location: str
    start: datetime  # aware
    end: datetime  # aware, after start
    # The kind of the link in ``location`` ("google_meet", "zoom"…; "" for none): a calendar
    # that shows that kind natively (Google and a Meet made by another event) attaches it.
    conference_kind: str = ""


@dataclass(frozen=True)
class EventRef:
    """Where the event ended up, for showing on the interview page."""

    provider: str  # the provider's ``name``, e.g. "built_in"
    event_id: str  # the provider's own id for the event


@dataclass(frozen=True)
class BusyBlock:
    """A busy range read from a provider; ``ref`` is its event id when the provider gives one,
    ``interview_uid`` is set when it is HireSlot's own interview event, ``scope`` names the
    part of the connection it came from when a later update may cover only that part."""

    start: datetime  # aware
    end: datetime  # aware
    ref: str = ""
    interview_uid: str = ""
    scope: str = ""


@dataclass(frozen=True)
class CalendarInfo:
    id: str
    name: str
    primary: bool = False
    can_write: bool = True


@dataclass(frozen=True)
class BusyWindow:
    """Fresh busy time of [start, end) after an incremental sync, to replace that window:
    all of the connection's busy time there, or only the part named ``scope`` (what the
    sync read); busy time from other parts is never dropped by it."""

    start: datetime  # aware
    end: datetime  # aware
    blocks: list[BusyBlock]
    scope: str | None = None


@dataclass(frozen=True)
class PushCall:
    """A call to the provider's webhook as the adapter sees it (no Django request).

    ``read_json`` reads the body as a JSON object, within the webhook's size and depth limits
    (``hireslot.core.request_input.BadInputError`` otherwise: the webhook answers 400);
    adapters whose notifications have no body never call it.
    """

    headers: Mapping[str, str]  # case-insensitive, as Django gives them
    query: Mapping[str, str]
    read_json: Callable[[], dict[str, Any]]


@dataclass(frozen=True)
class PushAnswer:
    """What the webhook answers a push call."""

    status: int  # the HTTP status the service expects (404 for anything not genuine)
    # A genuine notification that something changed: run an incremental sync.
    sync: bool = False
    # The service's address check: this text is echoed, but only while a channel of this
    # connection is being created (``push_validates_address``); otherwise the answer is 404.
    echo: str | None = None
    # The channel itself needs care (notifications were missed, it must be authorized again,
    # or the service removed it): read all busy time again and renew or recreate the channel.
    refresh: bool = False


class CalendarProvider:
    """Base class of calendar providers; subclasses set ``name`` and implement both methods."""

    name: str
    #: The kind of video link this calendar can put on an event (``"google_meet"``,
    #: ``"teams"``), "" for none: see ``conference_event_upsert``.
    conference_link_kind: ClassVar[str] = ""

    def event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> EventRef:
        """Create or update the event with ``spec.uid`` on ``owner``'s calendar; idempotent."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement event_upsert(owner=..., spec=...)"
        )

    def event_delete(self, *, owner: CalendarOwner, uid: str) -> None:
        """Remove the event with ``uid``; removing an event that is not there is fine."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement event_delete(owner=..., uid=...)"
        )

    def conference_event_upsert(
        self, *, owner: CalendarOwner, spec: EventSpec
    ) -> tuple[EventRef, str]:
        """``event_upsert`` with a video link of ``conference_link_kind`` on the event; also
        the join URL, or "" while the service is still making it (call again later: no
        second meeting is made)."""
        raise PermanentProviderError(f"{type(self).__name__} cannot put video links on events.")


class ConnectedCalendarProvider(CalendarProvider):
    """A provider for a person's own account (Google, Microsoft, CalDAV, ICS feed): built with
    the ``Connection``; also reads busy time for the busy cache."""

    #: Whether interview events can be written (an ICS feed is read-only).
    writable: bool = True
    #: How people connect this account by OAuth; None when they type credentials instead.
    oauth_flow: ClassVar[OAuthFlow | None] = None
    #: Whether the service calls the push address back while a channel is being created, so
    #: the webhook must echo its check then (Graph's validation token).
    push_validates_address: ClassVar[bool] = False

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def busy_read(self, *, start: datetime, end: datetime) -> list[BusyBlock]:
        """Busy time of the connection's busy calendars in [start, end)."""
        raise NotImplementedError(f"{type(self).__name__} must implement busy_read")

    def calendars_list(self) -> list[CalendarInfo]:
        """The account's calendars, for choosing which count as busy and which gets events."""
        raise NotImplementedError(f"{type(self).__name__} must implement calendars_list")

    @classmethod
    def credentials_check(cls, credentials: dict[str, Any]) -> tuple[str, list[CalendarInfo]]:
        """Sign in with credentials a person typed, before the connection is saved: the
        account's name and its calendars. Only for services without ``oauth_flow``."""
        raise NotImplementedError(f"{cls.__name__} takes no typed-in credentials")

    # --- push and incremental sync: the defaults are "this service has no push" ----------

    def push_start(self, *, address: str) -> None:
        """Open or renew the channels that make the service call ``address`` (our HTTPS
        webhook for this connection) when busy time changes; state goes to ``sync_state``."""
        return None

    def push_stop(self) -> None:
        """Close every channel (the connection is being forgotten)."""
        return None

    def push_receive(self, call: PushCall) -> PushAnswer:
        """Check a call to this connection's webhook: genuine (it carries the channel's
        secret, compared in constant time) and whether it reports a change."""
        return PushAnswer(status=404)

    def changes_sync(self) -> BusyWindow | None:
        """After a notification: what changed since the last sync, as the fresh busy time of
        the window it covers; None when nothing did (or the service cannot tell)."""
        return None

    def access_revoke(self) -> None:
        """Revoke the saved grant at the service, where it allows (disconnecting)."""
        return None


def connected_provider_class(provider: str) -> type[ConnectedCalendarProvider] | None:
    """The adapter class ``HIRESLOT_CONNECTED_CALENDAR_PROVIDERS`` names for connections of
    kind ``provider`` ("google", "caldav", ...), or None when this server offers none."""
    path = settings.HIRESLOT_CONNECTED_CALENDAR_PROVIDERS.get(provider)
    if not path:
        return None
    provider_class: type[ConnectedCalendarProvider] = import_string(path)
    return provider_class


def calendar_provider_load(path: str) -> CalendarProvider:
    """An instance of the provider class at dotted ``path``; a wrong path names itself."""
    try:
        provider_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"Calendar provider {path!r} cannot be imported: {exc}") from exc
    if not (isinstance(provider_class, type) and issubclass(provider_class, CalendarProvider)):
        raise ImproperlyConfigured(f"Calendar provider {path!r} is not a CalendarProvider.")
    return provider_class()
