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
  interview page. Any other exception is a bug, not weather.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


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


@dataclass(frozen=True)
class EventRef:
    """Where the event ended up, for showing on the interview page."""

    provider: str  # the provider's ``name``, e.g. "built_in"
    event_id: str  # the provider's own id for the event


class ProviderError(Exception):
    """A provider refused or failed; the message is fit to show on the interview page."""


class TransientProviderError(ProviderError):
    """Worth retrying later: timeouts, rate limits (429), the provider's 5xx.

    ``retry_after`` (seconds) is the provider's own advice (``Retry-After``), when it gave one.
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentProviderError(ProviderError):
    """Not worth retrying until someone acts: revoked access, a 4xx, a missing calendar."""


class ConnectionBrokenError(PermanentProviderError):
    """The account's access is gone (revoked or expired grant, missing scopes): its owner must
    reconnect. The connection is marked broken and its owner alerted."""


@dataclass(frozen=True)
class OAuthClient:
    """The organization's OAuth app, as the provider needs it."""

    client_id: str
    client_secret: str
    tenant: str = ""  # Microsoft: organizations / common / a tenant id


@dataclass
class Connection:
    """A person's connected account as a provider sees it; never an ORM row.

    Providers change tokens and sync state only through the callbacks, which the service
    layer turns into saves (so a rotated refresh token is never lost).
    """

    id: str
    provider: str
    account: str
    credentials: dict[str, Any]
    busy_calendars: tuple[str, ...] = ()
    event_calendar: str = ""
    sync_state: dict[str, Any] = field(default_factory=dict)
    client: OAuthClient | None = None
    on_credentials: Callable[[dict[str, Any]], None] = lambda credentials: None
    on_sync_state: Callable[[dict[str, Any]], None] = lambda state: None


@dataclass(frozen=True)
class BusyBlock:
    """A busy range read from a provider; ``ref`` is its event id when the provider gives one,
    ``interview_uid`` is set when it is HireSlot's own interview event."""

    start: datetime  # aware
    end: datetime  # aware
    ref: str = ""
    interview_uid: str = ""


@dataclass(frozen=True)
class CalendarInfo:
    id: str
    name: str
    primary: bool = False
    can_write: bool = True


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


class CalendarProvider:
    """Base class of calendar providers; subclasses set ``name`` and implement both methods."""

    name: str

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


class ConnectedCalendarProvider(CalendarProvider):
    """A provider for a person's own account (Google, Microsoft, CalDAV, ICS feed): built with
    the ``Connection``; also reads busy time for the busy cache."""

    #: Whether interview events can be written (an ICS feed is read-only).
    writable: bool = True

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def busy_read(self, *, start: datetime, end: datetime) -> list[BusyBlock]:
        """Busy time of the connection's busy calendars in [start, end)."""
        raise NotImplementedError(f"{type(self).__name__} must implement busy_read")

    def calendars_list(self) -> list[CalendarInfo]:
        """The account's calendars, for choosing which count as busy and which gets events."""
        raise NotImplementedError(f"{type(self).__name__} must implement calendars_list")


def calendar_provider_load(path: str) -> CalendarProvider:
    """An instance of the provider class at dotted ``path``; a wrong path names itself."""
    try:
        provider_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"Calendar provider {path!r} cannot be imported: {exc}") from exc
    if not (isinstance(provider_class, type) and issubclass(provider_class, CalendarProvider)):
        raise ImproperlyConfigured(f"Calendar provider {path!r} is not a CalendarProvider.")
    return provider_class()
