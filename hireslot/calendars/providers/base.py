"""What a calendar provider is, and which one holds a person's calendar.

Shaped like Django's email backends: a small base class, one module per provider, the class
named by a dotted path in settings, and an in-memory double for tests. Bookings talk to
providers only through ``calendar_provider_for(owner).event_upsert/event_delete``, so the
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

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.conf import settings
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
    """Worth retrying later: timeouts, rate limits (429), the provider's 5xx."""


class PermanentProviderError(ProviderError):
    """Not worth retrying until someone acts: revoked access, a 4xx, a missing calendar."""


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


def calendar_provider_load(path: str) -> CalendarProvider:
    """An instance of the provider class at dotted ``path``; a wrong path names itself."""
    try:
        provider_class = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"Calendar provider {path!r} cannot be imported: {exc}") from exc
    if not (isinstance(provider_class, type) and issubclass(provider_class, CalendarProvider)):
        raise ImproperlyConfigured(f"Calendar provider {path!r} is not a CalendarProvider.")
    return provider_class()


def calendar_provider_for(owner: CalendarOwner) -> CalendarProvider:
    """The provider that holds ``owner``'s calendar.

    Today everyone uses the one named by ``HIRESLOT_CALENDAR_PROVIDER``. When people can
    connect their own Google, Microsoft or CalDAV calendar, looking up that connection goes
    first here and the setting stays the choice for everyone without one.
    """
    return calendar_provider_load(settings.HIRESLOT_CALENDAR_PROVIDER)
