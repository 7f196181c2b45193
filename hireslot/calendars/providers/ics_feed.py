"""A secret iCalendar feed (the "secret address in iCal format" Google, Outlook and iCloud
offer) as a read-only busy source.

The feed is fetched whole (at most ``MAX_FEED_BYTES``), parsed with ``icalendar`` and its
recurring events expanded with ``recurring-ical-events`` (RRULE, RDATE, EXDATE and
RECURRENCE-ID overrides). Free (``TRANSP:TRANSPARENT``) and cancelled events or occurrences
are not busy.

All-day events (DATE values) and floating times have no zone of their own. They are placed
in the calendar's zone: the feed's ``X-WR-TIMEZONE`` (Google and Outlook feeds set it), else
its only ``VTIMEZONE`` when that names an IANA zone, else UTC. That is where the feed's owner
sees those days; the owner's HireSlot zone is not known to providers.

The feed's address is a secret (anyone holding it reads the calendar), so messages name only
its site, never its path or query.

``busy_blocks_from_calendar`` is shared with the CalDAV adapter, which reads the same
iCalendar objects.
"""

from __future__ import annotations

import time as monotonic_clock
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
import icalendar
import recurring_ical_events  # type: ignore[import-untyped]
from django.conf import settings

from hireslot.calendars.providers.base import (
    BusyBlock,
    CalendarInfo,
    CalendarOwner,
    ConnectedCalendarProvider,
    ConnectionBrokenError,
    EventRef,
    EventSpec,
    PermanentProviderError,
    TransientProviderError,
)
from hireslot.calendars.providers.http import http_client, retry_after_seconds

# A busy calendar's feed is rarely over a few MB; a larger answer is a mistake or an attack,
# and it would be held in memory whole.
MAX_FEED_BYTES = 10 * 1024 * 1024
# Feed hosts move feeds around (http -> https, old paths); a few hops are normal.
MAX_REDIRECTS = 3
# HireSlot's own interview events carry this UID suffix (EventSpec.uid).
INTERVIEW_UID_SUFFIX = "@hireslot"
# All-day and floating events are placed in a zone only after expansion, so expansion looks a
# day past each edge of the window to find every one that may land inside it.
EXPANSION_MARGIN = timedelta(days=1)
READ_ONLY_MESSAGE = "An ICS feed is read-only."
# The client's timeout is per read, so a host sending a byte at a time could hold a worker for
# hours; the whole download gets this many timeouts.
DOWNLOAD_TIMEOUTS = 4


def _site(url: str) -> str:
    """The part of a feed's address that is safe to show: scheme and host."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}"


def feed_url_check(url: str) -> str:
    """The address to fetch for ``url``: only http(s); ``webcal://`` (how calendar apps
    label feeds) means https. Anything else (``file://``, ``ftp://`` …) is refused."""
    text = url.strip()
    parts = urlsplit(text)
    scheme = parts.scheme.lower()
    if scheme == "webcal":
        parts = parts._replace(scheme="https")
    elif scheme not in ("http", "https"):
        raise PermanentProviderError(
            "A calendar feed address must start with https:// (or http://, webcal://)."
        )
    if not parts.hostname:
        raise PermanentProviderError("The calendar feed address has no host name.")
    if parts.username or parts.password:
        # Credentials in the address would end up in logs and messages.
        raise PermanentProviderError(
            "A calendar feed address must not contain a user name or password."
        )
    return urlunsplit(parts)


def _status_raise(response: httpx.Response, *, site: str) -> None:
    status = response.status_code
    if response.is_success:
        return
    if status in (401, 403, 404, 410):
        # Secret addresses are revoked by resetting them: the old one answers like this
        # for good, and only the owner can paste the new one.
        raise ConnectionBrokenError(
            f"The calendar feed at {site} answered {status}: its secret address no longer "
            "works (it may have been reset). Paste the calendar's current secret address to "
            "reconnect."
        )
    if status == 429 or status >= 500:
        raise TransientProviderError(
            f"The calendar feed at {site} answered {status}; trying again later.",
            retry_after=retry_after_seconds(response),
        )
    raise PermanentProviderError(f"The calendar feed at {site} answered {status}.")


def _body_read(response: httpx.Response, *, site: str) -> bytes:
    too_big = PermanentProviderError(
        f"The calendar feed at {site} is larger than {MAX_FEED_BYTES // (1024 * 1024)} MB; "
        "HireSlot does not read feeds that large."
    )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_FEED_BYTES:
        raise too_big
    deadline = monotonic_clock.monotonic() + DOWNLOAD_TIMEOUTS * settings.HIRESLOT_PROVIDER_TIMEOUT
    chunks: list[bytes] = []
    size = 0
    # Counted after decompression, so a small gzip bomb is stopped too.
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > MAX_FEED_BYTES:
            raise too_big
        if monotonic_clock.monotonic() > deadline:
            raise TransientProviderError(f"The calendar feed at {site} took too long to send.")
        chunks.append(chunk)
    return b"".join(chunks)


def feed_fetch(url: str) -> bytes:
    """The feed's bytes; redirects followed (http(s) only), size capped, errors mapped."""
    target = feed_url_check(url)
    with http_client() as client:
        for _hop in range(MAX_REDIRECTS + 1):
            site = _site(target)
            try:
                with client.stream(
                    "GET", target, headers={"Accept": "text/calendar, */*;q=0.5"}
                ) as response:
                    if response.is_redirect and "Location" in response.headers:
                        target = feed_url_check(urljoin(target, response.headers["Location"]))
                        continue
                    _status_raise(response, site=site)
                    return _body_read(response, site=site)
            except httpx.TimeoutException as error:
                raise TransientProviderError(
                    f"The calendar feed at {site} did not answer in time."
                ) from error
            except httpx.RequestError as error:
                raise TransientProviderError(
                    f"The calendar feed at {site} could not be reached ({type(error).__name__})."
                ) from error
    raise PermanentProviderError(
        f"The calendar feed at {_site(target)} redirected more than {MAX_REDIRECTS} times."
    )


def feed_parse(data: bytes, *, site: str) -> icalendar.Calendar:
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        raise PermanentProviderError(
            f"The address at {site} did not return an iCalendar feed ({error})."
        ) from error
    if not isinstance(calendar, icalendar.Calendar):
        raise PermanentProviderError(f"The address at {site} did not return an iCalendar feed.")
    return calendar


def zone_named(name: object) -> ZoneInfo | None:
    text = str(name or "").strip()
    if not text:
        return None
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def calendar_zone(calendar: icalendar.Calendar, *, fallback: tzinfo | None = None) -> tzinfo:
    """Where all-day and floating events of ``calendar`` happen (see the module docstring);
    ``fallback`` (a CalDAV calendar's own zone) comes before the VTIMEZONE guess."""
    zone = zone_named(calendar.get("X-WR-TIMEZONE"))
    if zone is not None:
        return zone
    if fallback is not None:
        return fallback
    named = {str(tz.get("TZID", "")) for tz in calendar.walk("VTIMEZONE")}
    if len(named) == 1:
        zone = zone_named(named.pop())
        if zone is not None:
            return zone
    return UTC


def _instant(value: date | datetime, zone: tzinfo) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            # Floating time (RFC 5545 form 1): the calendar's local time. fold=0 takes the
            # first of a repeated hour and the offset before a skipped one.
            value = value.replace(tzinfo=zone)
        return value.astimezone(UTC)
    return datetime.combine(value, time(0), tzinfo=zone).astimezone(UTC)


def _span(event: Any, zone: tzinfo) -> tuple[datetime, datetime] | None:
    if "DTSTART" not in event:
        return None
    first = event["DTSTART"].dt
    if "DTEND" in event:
        last = event["DTEND"].dt
    elif "DURATION" in event:
        last = first + event["DURATION"].dt
    elif isinstance(first, datetime):
        last = first
    else:
        # RFC 5545: an all-day event without an end lasts the one day.
        last = first + timedelta(days=1)
    start, end = _instant(first, zone), _instant(last, zone)
    return (start, end) if end > start else None


def busy_blocks_from_calendar(
    calendar: icalendar.Calendar,
    *,
    start: datetime,
    end: datetime,
    zone: tzinfo | None = None,
    source: str = "The calendar",
) -> list[BusyBlock]:
    """Busy occurrences of ``calendar``'s events overlapping [start, end), recurring events
    expanded; ``zone`` is the calendar's own zone when its source knows one."""
    local = calendar_zone(calendar, fallback=zone)
    try:
        occurrences = recurring_ical_events.of(calendar).between(
            start - EXPANSION_MARGIN, end + EXPANSION_MARGIN
        )
        blocks: list[BusyBlock] = []
        for event in occurrences:
            if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
                continue
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            span = _span(event, local)
            if span is None or span[1] <= start or span[0] >= end:
                continue
            uid = str(event.get("UID", ""))
            blocks.append(
                BusyBlock(
                    start=span[0],
                    end=span[1],
                    ref=uid,
                    interview_uid=uid if uid.endswith(INTERVIEW_UID_SUFFIX) else "",
                )
            )
    except (ValueError, TypeError, KeyError, AttributeError, AssertionError) as error:
        # Malformed recurrences make the expander fail in these ways. Leaving the event out
        # would show busy time as free, so the whole read fails and the cache keeps its age.
        raise PermanentProviderError(
            f"{source} has an event HireSlot cannot read ({type(error).__name__}: {error})."
        ) from error
    return sorted(blocks, key=lambda block: (block.start, block.end))


def ics_feed_check(*, url: str) -> tuple[str, list[CalendarInfo]]:
    """Fetch the feed once before saving a connection: its name (``X-WR-CALNAME``, else its
    site) and the one read-only calendar it is."""
    address = feed_url_check(url)
    site = _site(address)
    calendar = feed_parse(feed_fetch(address), site=site)
    name = str(calendar.get("X-WR-CALNAME", "")).strip() or site
    return name, [CalendarInfo(id="feed", name=name, primary=True, can_write=False)]


class IcsFeedCalendarProvider(ConnectedCalendarProvider):
    name = "ics_feed"
    writable = False

    def _url(self) -> str:
        url = str(self.connection.credentials.get("url", ""))
        if not url:
            raise ConnectionBrokenError("The calendar feed connection has no address; reconnect.")
        return feed_url_check(url)

    def busy_read(self, *, start: datetime, end: datetime) -> list[BusyBlock]:
        url = self._url()
        site = _site(url)
        calendar = feed_parse(feed_fetch(url), site=site)
        return busy_blocks_from_calendar(
            calendar, start=start, end=end, source=f"The calendar feed at {site}"
        )

    def calendars_list(self) -> list[CalendarInfo]:
        # No fetch: the feed is one calendar, named by what the owner called the connection.
        name = self.connection.account or _site(self._url())
        return [CalendarInfo(id="feed", name=name, primary=True, can_write=False)]

    def event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> EventRef:
        raise PermanentProviderError(READ_ONLY_MESSAGE)

    def event_delete(self, *, owner: CalendarOwner, uid: str) -> None:
        raise PermanentProviderError(READ_ONLY_MESSAGE)
