"""CalDAV calendars (iCloud, Fastmail, Nextcloud, Radicale …) signed in with a user name and an
app password: busy time from ``calendar-query`` reports, interview events written with
conditional ``PUT``s.

The protocol is spoken over the outbound-request guard's client (``hireslot.core.outbound``:
every connection, redirects and scheduled refreshes included, goes only to a public address
checked when it is made) rather than through the ``caldav`` library, whose searches drop
objects they fail to load; a dropped event would show busy time as free. Messages carry the
server's host and a category ("HTTP 404", "not a CalDAV server", "could not connect" ...),
never what the server sent.

- Discovery: ``PROPFIND`` the server address for ``current-user-principal``, the principal
  for ``calendar-home-set``, the home (Depth 1) for its calendars. An address that is itself
  a calendar is used as the only calendar.
- Busy: a ``calendar-query`` with a time range per busy calendar returns the events in it;
  recurring ones are expanded here with ``recurring-ical-events`` (shared with the ICS feed
  adapter) rather than with ``C:expand``, which servers support unevenly and which places
  all-day events in UTC. All-day and floating events are whole days in the calendar's
  ``calendar-timezone`` when the server has one, else in the owner's own zone (their HireSlot
  working hours), as the ICS feed adapter places them.
  Free-busy reports would hide UIDs, and HireSlot's own events must be recognised.
- Events: one resource per interview, named from its UID, created with
  ``If-None-Match: *`` and replaced with ``If-Match: <etag>``. The version HireSlot wrote is
  kept in ``X-HIRESLOT-SEQUENCE`` as well as ``SEQUENCE``, so an edit in the person's own
  calendar app (which may raise SEQUENCE) cannot make a reschedule look stale.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
import icalendar

from hireslot.calendars.providers.base import (
    BusyBlock,
    CalendarInfo,
    CalendarOwner,
    ConnectedCalendarProvider,
    EventRef,
    EventSpec,
)
from hireslot.calendars.providers.ics_feed import (
    busy_blocks_from_calendar,
    zone_named,
)
from hireslot.core import clock
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

SERVICE = "The CalDAV server"
DAV = "{DAV:}"
CAL = "{urn:ietf:params:xml:ns:caldav}"
PRODID = "-//HireSlot//Interview scheduling//EN"
# Radicale, SabreDAV (Nextcloud) and iCloud redirect well-known and root addresses.
MAX_REDIRECTS = 3
# Rounds of create-or-update when someone else changes the event at the same moment.
WRITE_ATTEMPTS = 3
# The server matches all-day and floating events against the range in its own zone, so the
# query reaches a day further each way; occurrences are filtered by their real times after.
QUERY_MARGIN = timedelta(days=1)
# CalDAV preconditions a server names when it refuses a resource (RFC 4791 section 5.3.2.1).
PRECONDITIONS = (
    "no-uid-conflict",
    "valid-calendar-data",
    "valid-calendar-object-resource",
    "supported-calendar-component",
    "supported-calendar-data",
    "max-resource-size",
    "min-date-time",
    "max-date-time",
)
WRITE_PRIVILEGES = {f"{DAV}all", f"{DAV}write", f"{DAV}write-content", f"{DAV}bind"}

_PROPFIND_PRINCIPAL = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:current-user-principal/><d:resourcetype/><c:calendar-home-set/></d:prop>
</d:propfind>"""

_PROPFIND_CALENDARS = """<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop>
    <d:resourcetype/><d:displayname/><d:current-user-privilege-set/>
    <c:supported-calendar-component-set/><c:calendar-timezone/>
  </d:prop>
</d:propfind>"""

_CALENDAR_QUERY = """<?xml version="1.0" encoding="utf-8"?>
<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:prop><d:getetag/><c:calendar-data/></d:prop>
  <c:filter>
    <c:comp-filter name="VCALENDAR">
      <c:comp-filter name="VEVENT"><c:time-range start="{start}" end="{end}"/></c:comp-filter>
    </c:comp-filter>
  </c:filter>
</c:calendar-query>"""


@dataclass(frozen=True)
class CalDavCalendar:
    """A calendar collection as discovery found it."""

    url: str  # absolute, ending in "/"
    name: str
    can_write: bool
    zone: tzinfo | None  # from calendar-timezone, when the server has one

    def info(self, *, primary: bool) -> CalendarInfo:
        return CalendarInfo(id=self.url, name=self.name, primary=primary, can_write=self.can_write)


def server_url_check(url: str) -> str:
    """The server address to talk to: http(s) only, without user information."""
    refused = PermanentProviderError(
        "A CalDAV server address must start with https:// (or http://) and name a host."
    )
    try:
        parts = urlsplit(url.strip())
        hostname, port = parts.hostname, parts.port
    except ValueError as error:
        raise refused from error
    if parts.scheme.lower() not in ("http", "https") or not hostname:
        raise refused
    if ":" in hostname:
        hostname = f"[{hostname}]"
    host = hostname + (f":{port}" if port else "")
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))


def _collection_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def resource_name(uid: str) -> str:
    """The event's file name in the calendar: its UID made safe for a URL path."""
    return re.sub(r"[^A-Za-z0-9._-]", "-", uid) + ".ics"


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_ics(spec: EventSpec) -> bytes:
    """The interview as a VCALENDAR: times in UTC (no VTIMEZONE needed), no attendees (the
    candidate's invite is emailed by HireSlot, so a server must not send one too)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", spec.uid)
    event.add("dtstamp", clock.now().astimezone(UTC))
    event.add("sequence", spec.sequence)
    event.add("x-hireslot-sequence", str(spec.sequence))
    event.add("summary", spec.title)
    if spec.description:
        event.add("description", spec.description)
    if spec.location:
        event.add("location", spec.location)
    event.add("dtstart", spec.start.astimezone(UTC))
    event.add("dtend", spec.end.astimezone(UTC))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def stored_sequence(data: bytes, uid: str) -> int:
    """The version HireSlot last wrote into a stored event (-1 when it cannot tell)."""
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except ValueError:
        return -1
    for event in calendar.walk("VEVENT"):
        if str(event.get("UID", "")) != uid or "RECURRENCE-ID" in event:
            continue
        for name in ("X-HIRESLOT-SEQUENCE", "SEQUENCE"):
            try:
                return int(str(event[name]))
            except (KeyError, ValueError):
                continue
        return 0
    return -1


def _precondition(response: httpx.Response) -> str:
    return next((name for name in PRECONDITIONS if name in response.text), "")


def _raise_for(response: httpx.Response, *, doing: str) -> None:
    """Our error for a failed CalDAV response (``doing`` completes "while …"). The status and
    the CalDAV precondition (one of a fixed list) are told, never the server's own words."""
    if response.is_success:
        return
    status = response.status_code
    at = f"{SERVICE} at {_site(str(response.request.url))}: {status_category(status)}"
    if status == 401:
        raise ConnectionBrokenError(
            f"{at} while {doing}; it did not accept the user name and app password. "
            "Reconnect with a new app password."
        )
    if status == 403:
        precondition = _precondition(response)
        if precondition:
            raise PermanentProviderError(f"{at} ({precondition}) while {doing}.")
        raise ConnectionBrokenError(
            f"{at} while {doing}; this account may not do that. "
            "Check the calendar's sharing settings or reconnect."
        )
    if status in (404, 409, 410):
        raise PermanentProviderError(
            f"{at} while {doing}: no such calendar. Choose the calendars again in My Settings."
        )
    if status == 429 or status >= 500:
        raise TransientProviderError(
            f"{at} while {doing}; trying again later.",
            retry_after=retry_after_seconds(response),
        )
    raise PermanentProviderError(f"{at} while {doing}.")


def _site(url: str) -> str:
    return url_host(url)


def _outbound_error(error: Exception, *, url: str) -> ProviderError:
    failure = outbound_failure(error, host=_site(url))
    message = f"{SERVICE} at {failure}"
    if failure.transient:
        return TransientProviderError(f"{message}; trying again later.")
    # Refused: the server's address leads to a private network or this machine.
    return ConnectionBrokenError(
        f"{message}. HireSlot only connects to CalDAV servers on public internet addresses."
    )


def _same_origin(first: str, second: str) -> bool:
    a, b = urlsplit(first), urlsplit(second)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def _multistatus(response: httpx.Response) -> list[tuple[str, dict[str, ET.Element]]]:
    """(absolute href, properties found) per resource of a 207 answer."""
    site = _site(str(response.request.url))
    if response.status_code != 207:
        raise PermanentProviderError(
            f"The server at {site}: not a CalDAV server. It does not look like a CalDAV "
            f"server ({status_category(response.status_code)} where a CalDAV server "
            "answers 207)."
        )
    try:
        # ElementTree resolves no external entities and the bundled expat (>= 2.4.1) caps
        # entity expansion, the two XML attacks a hostile server could try here.
        root = ET.fromstring(response.content)  # noqa: S314
    except ET.ParseError as error:
        raise PermanentProviderError(f"{SERVICE} at {site}: unreadable answer.") from error
    if root.tag != f"{DAV}multistatus":
        raise PermanentProviderError(f"{SERVICE} at {site}: unexpected answer.")
    base = str(response.request.url)
    resources = []
    for item in root.iter(f"{DAV}response"):
        href = (item.findtext(f"{DAV}href") or "").strip()
        properties: dict[str, ET.Element] = {}
        for propstat in item.findall(f"{DAV}propstat"):
            # "HTTP/1.1 200 OK": properties the server has; 404 ones it lacks.
            if " 200 " not in (propstat.findtext(f"{DAV}status") or ""):
                continue
            for prop in propstat.findall(f"{DAV}prop"):
                properties.update((child.tag, child) for child in prop)
        resources.append((_joined(base, href), properties))
    return resources


def _joined(base: str, href: str) -> str:
    """``href`` from a server's answer, made absolute; a malformed one is the server's fault."""
    try:
        joined = urljoin(base, href)
        urlsplit(joined).port  # noqa: B018 (raises on a malformed host or port)
    except ValueError as error:
        raise PermanentProviderError(f"{SERVICE} at {_site(base)}: unexpected answer.") from error
    return joined


def _href_in(element: ET.Element | None, base: str) -> str:
    if element is None:
        return ""
    href = (element.findtext(f"{DAV}href") or "").strip()
    return _joined(base, href) if href else ""


def _calendar_from(url: str, properties: dict[str, ET.Element]) -> CalDavCalendar | None:
    kinds = properties.get(f"{DAV}resourcetype")
    if kinds is None or kinds.find(f"{CAL}calendar") is None:
        return None
    components = properties.get(f"{CAL}supported-calendar-component-set")
    if (
        components is not None
        and len(components) > 0
        and "VEVENT" not in {comp.get("name", "").upper() for comp in components}
    ):
        return None  # a task list
    privileges = properties.get(f"{DAV}current-user-privilege-set")
    can_write = privileges is None or any(
        granted.tag in WRITE_PRIVILEGES
        for privilege in privileges.findall(f"{DAV}privilege")
        for granted in privilege
    )
    name_element = properties.get(f"{DAV}displayname")
    name = (name_element.text or "").strip() if name_element is not None else ""
    url = _collection_url(url)
    return CalDavCalendar(
        url=url,
        name=name or urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1],
        can_write=can_write,
        zone=_zone_of(properties.get(f"{CAL}calendar-timezone")),
    )


def _zone_of(element: ET.Element | None) -> tzinfo | None:
    text = (element.text or "").strip() if element is not None else ""
    if not text:
        return None
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError:
        return None
    for timezone in calendar.walk("VTIMEZONE"):
        zone = zone_named(timezone.get("TZID"))
        if zone is not None:
            return zone
    return None


class CalDavAccount:
    """One signed-in CalDAV account over one HTTP client; use as a context manager."""

    def __init__(self, *, url: str, username: str, password: str) -> None:
        self.url = server_url_check(url)
        self._auth: httpx.Auth = httpx.BasicAuth(username, password)
        self._digest = httpx.DigestAuth(username, password)
        self._client: httpx.Client | None = None

    def __enter__(self) -> CalDavAccount:
        self._client = outbound_client()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def send(
        self,
        method: str,
        url: str,
        *,
        body: bytes | str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One request, signed in; redirects followed only within the same server (the
        password must not travel elsewhere); a Digest-only server gets Digest."""
        assert self._client is not None, "use CalDavAccount as a context manager"
        target = url
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._request(method, target, body=body, headers=headers)
            challenge = response.headers.get("WWW-Authenticate", "").lower()
            if (
                response.status_code == 401
                and self._auth is not self._digest
                and challenge.startswith("digest")
                and "basic" not in challenge
            ):
                self._auth = self._digest
                response = self._request(method, target, body=body, headers=headers)
            location = response.headers.get("Location", "")
            if not (response.is_redirect and location):
                return response
            following = _joined(target, location)
            if not _same_origin(target, following):
                raise PermanentProviderError(
                    f"{SERVICE} at {_site(target)}: redirected to another server "
                    f"({_site(following)}); connect with that server's address instead."
                )
            target = following
        raise PermanentProviderError(f"{SERVICE} at {_site(url)}: too many redirects.")

    def _request(
        self,
        method: str,
        url: str,
        *,
        body: bytes | str | None,
        headers: dict[str, str] | None,
    ) -> httpx.Response:
        assert self._client is not None
        try:
            return self._client.request(method, url, content=body, headers=headers, auth=self._auth)
        except httpx.InvalidURL as error:
            raise PermanentProviderError(
                f"{SERVICE} at {_site(url)}: not a valid address."
            ) from error
        except (httpx.HTTPError, OutboundError) as error:
            raise _outbound_error(error, url=url) from error

    def propfind(self, url: str, body: str, *, depth: str, doing: str) -> httpx.Response:
        response = self.send(
            "PROPFIND",
            url,
            body=body,
            headers={"Depth": depth, "Content-Type": "application/xml; charset=utf-8"},
        )
        _raise_for(response, doing=doing)
        return response

    def calendars(self) -> list[CalDavCalendar]:
        """The account's event calendars, in the server's order."""
        doing = "looking up the account"
        found = _multistatus(self.propfind(self.url, _PROPFIND_PRINCIPAL, depth="0", doing=doing))
        properties = found[0][1] if found else {}
        kinds = properties.get(f"{DAV}resourcetype")
        if kinds is not None and kinds.find(f"{CAL}calendar") is not None:
            # The address given is a calendar itself.
            return [self.calendar(self.url)]
        principal = _href_in(properties.get(f"{DAV}current-user-principal"), self.url)
        home = _href_in(properties.get(f"{CAL}calendar-home-set"), self.url)
        if not home:
            if not principal:
                raise PermanentProviderError(
                    f"{SERVICE} at {_site(self.url)} did not say whose account this is; "
                    "check the server address."
                )
            answer = self.propfind(principal, _PROPFIND_PRINCIPAL, depth="0", doing=doing)
            found = _multistatus(answer)
            home = _href_in(
                found[0][1].get(f"{CAL}calendar-home-set") if found else None, principal
            )
        if not home:
            raise PermanentProviderError(
                f"{SERVICE} at {_site(self.url)} has no calendars for this account."
            )
        answer = self.propfind(
            _collection_url(home), _PROPFIND_CALENDARS, depth="1", doing="listing calendars"
        )
        calendars = []
        for url, props in _multistatus(answer):
            calendar = _calendar_from(url, props)
            if calendar is not None:
                calendars.append(calendar)
        return calendars

    def calendar(self, url: str) -> CalDavCalendar:
        """The calendar at ``url`` (absolute, or relative to the server address)."""
        address = _collection_url(urljoin(self.url, url))
        answer = self.propfind(address, _PROPFIND_CALENDARS, depth="0", doing="opening a calendar")
        found = _multistatus(answer)
        calendar = _calendar_from(address, found[0][1]) if found else None
        if calendar is None:
            raise PermanentProviderError(
                f"{urlsplit(address).path} on {SERVICE.lower()} at {_site(address)} is not an "
                "event calendar. Choose the calendars again in My Settings."
            )
        return calendar

    def busy(
        self,
        calendar: CalDavCalendar,
        *,
        start: datetime,
        end: datetime,
        owner_zone: tzinfo | None = None,
    ) -> list[BusyBlock]:
        query = _CALENDAR_QUERY.format(
            start=_utc_stamp(start - QUERY_MARGIN), end=_utc_stamp(end + QUERY_MARGIN)
        )
        response = self.send(
            "REPORT",
            calendar.url,
            body=query,
            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        )
        _raise_for(response, doing=f"reading busy time from {calendar.name}")
        blocks: list[BusyBlock] = []
        for href, properties in _multistatus(response):
            data = properties.get(f"{CAL}calendar-data")
            if data is None or not (data.text or "").strip():
                continue
            try:
                parsed = icalendar.Calendar.from_ical(data.text or "")
            except ValueError as error:
                # The parser's message quotes the event's text: not shown.
                raise PermanentProviderError(
                    f"The event {urlsplit(href).path} in {calendar.name}: not readable."
                ) from error
            blocks += busy_blocks_from_calendar(
                parsed,
                start=start,
                end=end,
                zone=calendar.zone,
                owner_zone=owner_zone,
                source=calendar.name,
            )
        return blocks

    def event_put(self, calendar_url: str, spec: EventSpec) -> str:
        """Create or update the event for ``spec`` in the calendar; its URL."""
        href = urljoin(calendar_url, resource_name(spec.uid))
        body = event_ics(spec)
        content_type = {"Content-Type": "text/calendar; charset=utf-8"}
        doing = "saving the interview event"
        for _attempt in range(WRITE_ATTEMPTS):
            created = self.send(
                "PUT", href, body=body, headers={**content_type, "If-None-Match": "*"}
            )
            if created.is_success:
                return href
            if created.status_code != 412:
                _raise_for(created, doing=doing)
            # 412: it exists (a retry, or a reschedule). Replace it unless it is newer.
            current = self.send("GET", href)
            if current.status_code == 404:
                continue  # deleted in between: create again
            _raise_for(current, doing=doing)
            if stored_sequence(current.content, spec.uid) > spec.sequence:
                return href  # a stale retry after a reschedule: leave the newer event
            etag = current.headers.get("ETag", "")
            # A server that gives no ETag cannot compare; overwrite unconditionally then.
            condition = {"If-Match": etag} if etag else {}
            updated = self.send("PUT", href, body=body, headers={**content_type, **condition})
            if updated.is_success:
                return href
            if updated.status_code != 412:
                _raise_for(updated, doing=doing)
            # 412: changed since we read it; read again.
        raise TransientProviderError(
            f"The interview event kept changing on {SERVICE.lower()} while HireSlot saved it; "
            "trying again later."
        )

    def event_remove(self, calendar_url: str, uid: str) -> None:
        response = self.send("DELETE", urljoin(calendar_url, resource_name(uid)))
        if response.status_code in (404, 410):
            return  # already gone
        _raise_for(response, doing="removing the interview event")


def _account(credentials: dict[str, Any]) -> CalDavAccount:
    url = str(credentials.get("url", ""))
    if not url:
        raise ConnectionBrokenError("The CalDAV connection has no server address; reconnect.")
    return CalDavAccount(
        url=url,
        username=str(credentials.get("username", "")),
        password=str(credentials.get("password", "")),
    )


def _infos(calendars: list[CalDavCalendar]) -> list[CalendarInfo]:
    # CalDAV has no primary calendar; the first writable one is where events go by default.
    default = next((calendar for calendar in calendars if calendar.can_write), None)
    return [calendar.info(primary=calendar is default) for calendar in calendars]


def caldav_connection_check(
    *, url: str, username: str, password: str
) -> tuple[str, list[CalendarInfo]]:
    """Sign in and list the calendars, before a connection is saved: the account's name and
    its calendars. A wrong password raises ``ConnectionBrokenError``, an unreachable server
    ``TransientProviderError``, anything that is not a CalDAV account
    ``PermanentProviderError``."""
    with CalDavAccount(url=url, username=username, password=password) as account:
        calendars = account.calendars()
    if not calendars:
        raise PermanentProviderError(
            f"{SERVICE} at {_site(account.url)} has no event calendars for {username}."
        )
    return username or _site(account.url), _infos(calendars)


class CalDavCalendarProvider(ConnectedCalendarProvider):
    """credentials {"url", "username", "password"}; ``event_calendar`` a calendar URL (empty:
    the first writable calendar); ``busy_calendars`` calendar URLs (empty: all calendars)."""

    name = "caldav"

    @classmethod
    def credentials_check(cls, credentials: dict[str, Any]) -> tuple[str, list[CalendarInfo]]:
        return caldav_connection_check(
            url=str(credentials.get("url", "")),
            username=str(credentials.get("username", "")),
            password=str(credentials.get("password", "")),
        )

    def _event_calendar(self, account: CalDavAccount) -> str:
        if self.connection.event_calendar:
            return _collection_url(urljoin(account.url, self.connection.event_calendar))
        default = next((calendar for calendar in account.calendars() if calendar.can_write), None)
        if default is None:
            raise PermanentProviderError(
                f"{SERVICE} at {_site(account.url)} has no calendar HireSlot may write to; "
                "choose one for interview events in My Settings."
            )
        return default.url

    def event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> EventRef:
        with _account(self.connection.credentials) as account:
            href = account.event_put(self._event_calendar(account), spec)
        return EventRef(provider=self.name, event_id=href)

    def event_delete(self, *, owner: CalendarOwner, uid: str) -> None:
        with _account(self.connection.credentials) as account:
            account.event_remove(self._event_calendar(account), uid)

    def busy_read(self, *, start: datetime, end: datetime) -> list[BusyBlock]:
        with _account(self.connection.credentials) as account:
            if self.connection.busy_calendars:
                calendars = [account.calendar(url) for url in self.connection.busy_calendars]
            else:
                calendars = account.calendars()
            blocks: list[BusyBlock] = []
            owner_zone = zone_named(self.connection.time_zone)
            for calendar in calendars:
                blocks += account.busy(calendar, start=start, end=end, owner_zone=owner_zone)
        return sorted(blocks, key=lambda block: (block.start, block.end))

    def calendars_list(self) -> list[CalendarInfo]:
        with _account(self.connection.credentials) as account:
            return _infos(account.calendars())
