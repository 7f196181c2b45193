"""A secret iCalendar feed (the "secret address in iCal format" Google, Outlook and iCloud
offer) as a read-only busy source.

The feed is fetched whole (at most ``MAX_FEED_BYTES``), parsed with ``icalendar`` and its
recurring events expanded with ``recurring-ical-events`` (RRULE, RDATE, EXDATE and
RECURRENCE-ID overrides). Free (``TRANSP:TRANSPARENT``) and cancelled events or occurrences
are not busy.

All-day events (DATE values) and floating times have no zone of their own. They are placed
in the calendar's zone: the feed's ``X-WR-TIMEZONE`` (Google and Outlook feeds set it), else
(a CalDAV calendar's ``calendar-timezone``, else) the owner's own zone, the one of their
HireSlot working hours (``Connection.time_zone``), else the feed's only ``VTIMEZONE`` when
that names an IANA zone, else UTC. A New York interviewer's all-day event then blocks their
own day, not 19:00 the evening before to 19:00 on the day.

The feed's address is a secret (anyone holding it reads the calendar), so messages name only
its host, never its path or query. Feeds are fetched through the outbound-request guard
(``hireslot.core.outbound``): every connection, redirect hops and scheduled refreshes
included, goes only to a public address, checked when it is made. Messages carry the host and
a category ("HTTP 404", "not a calendar", "refused: private address" ...), never what the
host sent: a feed address must not become a way to read or probe internal services.

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
    EventRef,
    EventSpec,
)
from hireslot.core.outbound import (
    OutboundError,
    outbound_client,
    outbound_failure,
    status_category,
    url_host,
)
from hireslot.core.remote import (
    ConnectionBrokenError,
    PermanentProviderError,
    ProviderError,
    TransientProviderError,
)
from hireslot.core.remote.http import retry_after_seconds

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
    """The part of a feed's address that is safe to show: its host."""
    return url_host(url)


def _failure(site: str, category: str, advice: str = "") -> str:
    return f"The calendar feed at {site}: {category}." + (f" {advice}" if advice else "")


def feed_url_check(url: str) -> str:
    """The address to fetch for ``url``: only http(s); ``webcal://`` (how calendar apps
    label feeds) means https. Anything else (``file://``, ``ftp://`` …) is refused."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        hostname = parts.hostname
    except ValueError as error:
        raise PermanentProviderError("The calendar feed address is not a valid address.") from error
    scheme = parts.scheme.lower()
    if scheme == "webcal":
        parts = parts._replace(scheme="https")
    elif scheme not in ("http", "https"):
        raise PermanentProviderError(
            "A calendar feed address must start with https:// (or http://, webcal://)."
        )
    if not hostname:
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
    category = status_category(status)
    if status in (401, 403, 404, 410):
        # Secret addresses are revoked by resetting them: the old one answers like this
        # for good, and only the owner can paste the new one.
        raise ConnectionBrokenError(
            _failure(
                site,
                category,
                "Its secret address no longer works (it may have been reset). Paste the "
                "calendar's current secret address to reconnect.",
            )
        )
    if status == 429 or status >= 500:
        raise TransientProviderError(
            _failure(site, category, "Trying again later."),
            retry_after=retry_after_seconds(response),
        )
    raise PermanentProviderError(_failure(site, category))


def _body_read(response: httpx.Response, *, site: str) -> bytes:
    too_big = PermanentProviderError(
        _failure(
            site,
            f"too large (over {MAX_FEED_BYTES // (1024 * 1024)} MB)",
            "HireSlot does not read feeds that large.",
        )
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
            raise TransientProviderError(
                _failure(site, "timed out", "It took too long to send; trying again later.")
            )
        chunks.append(chunk)
    return b"".join(chunks)


def _outbound_error(error: OutboundError, *, site: str) -> ProviderError:
    if error.transient:
        return TransientProviderError(_failure(site, error.category, "Trying again later."))
    # Refused: the address leads to a private network or this machine. Only its owner can
    # change it, so the connection is broken and stops being fetched.
    return ConnectionBrokenError(
        _failure(
            site,
            error.category,
            "HireSlot only fetches calendar feeds from public internet addresses.",
        )
    )


def feed_fetch(url: str) -> bytes:
    """The feed's bytes; redirects followed hop by hop (http(s) only, each hop's connection
    checked by the outbound guard), size capped, errors mapped to host + category."""
    target = feed_url_check(url)
    with outbound_client() as client:
        for _hop in range(MAX_REDIRECTS + 1):
            site = _site(target)
            try:
                with client.stream(
                    "GET", target, headers={"Accept": "text/calendar, */*;q=0.5"}
                ) as response:
                    if response.is_redirect and "Location" in response.headers:
                        target = _redirect_target(target, response.headers["Location"], site)
                        continue
                    _status_raise(response, site=site)
                    return _body_read(response, site=site)
            except httpx.InvalidURL as error:
                raise PermanentProviderError(_failure(site, "not a valid address")) from error
            except (httpx.HTTPError, OutboundError) as error:
                raise _outbound_error(outbound_failure(error, host=site), site=site) from error
    raise PermanentProviderError(_failure(_site(target), "too many redirects"))


def _redirect_target(current: str, location: str, site: str) -> str:
    try:
        return feed_url_check(urljoin(current, location))
    except (PermanentProviderError, ValueError) as error:
        raise PermanentProviderError(
            _failure(site, "refused: redirected to an address that is not http(s)")
        ) from error


def feed_parse(data: bytes, *, site: str) -> icalendar.Calendar:
    # The parser's own message quotes the offending line: what the host sent, never shown.
    not_a_calendar = PermanentProviderError(
        _failure(site, "not a calendar", "The address did not return an iCalendar feed.")
    )
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError as error:
        raise not_a_calendar from error
    if not isinstance(calendar, icalendar.Calendar):
        raise not_a_calendar
    return calendar


def zone_named(name: object) -> ZoneInfo | None:
    text = str(name or "").strip()
    if not text:
        return None
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def calendar_zone(
    calendar: icalendar.Calendar, *, fallback: tzinfo | None = None, owner: tzinfo | None = None
) -> tzinfo:
    """Where all-day and floating events of ``calendar`` happen (see the module docstring);
    ``fallback`` (a CalDAV calendar's own zone), then ``owner`` (its owner's HireSlot zone)
    come before the VTIMEZONE guess."""
    zone = zone_named(calendar.get("X-WR-TIMEZONE"))
    if zone is not None:
        return zone
    if fallback is not None:
        return fallback
    if owner is not None:
        return owner
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
    owner_zone: tzinfo | None = None,
    source: str = "The calendar",
) -> list[BusyBlock]:
    """Busy occurrences of ``calendar``'s events overlapping [start, end), recurring events
    expanded; ``zone`` is the calendar's own zone when its source knows one, ``owner_zone``
    its owner's (for a calendar that names none)."""
    local = calendar_zone(calendar, fallback=zone, owner=owner_zone)
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
        # The expander's message may quote the event: only its kind is told.
        raise PermanentProviderError(
            f"{source}: an event HireSlot cannot read ({type(error).__name__})."
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

    @classmethod
    def credentials_check(cls, credentials: dict[str, Any]) -> tuple[str, list[CalendarInfo]]:
        return ics_feed_check(url=str(credentials.get("url", "")))

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
            calendar,
            start=start,
            end=end,
            owner_zone=zone_named(self.connection.time_zone),
            source=f"The calendar feed at {site}",
        )

    def calendars_list(self) -> list[CalendarInfo]:
        # No fetch: the feed is one calendar, named by what the owner called the connection.
        name = self.connection.account or _site(self._url())
        return [CalendarInfo(id="feed", name=name, primary=True, can_write=False)]

    def event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> EventRef:
        raise PermanentProviderError(READ_ONLY_MESSAGE)

    def event_delete(self, *, owner: CalendarOwner, uid: str) -> None:
        raise PermanentProviderError(READ_ONLY_MESSAGE)
