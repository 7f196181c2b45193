"""Busy time of a Google connection: ``freeBusy`` over the busy calendars, with HireSlot's
own interview events carved out and marked. Read by the provider (refreshes, the live check
before a booking) and by incremental sync (``sync``) after a change."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from hireslot.calendars.providers.base import BusyBlock
from hireslot.calendars.providers.google.api import (
    MARKER_FILTER,
    PAGE_SIZE,
    SERVICE,
    GoogleApi,
    calendar_path,
    event_interview_uid,
    rfc3339,
    time_parse,
)
from hireslot.core.remote import Connection, PermanentProviderError, TransientProviderError
from hireslot.core.remote.http import http_client

logger = logging.getLogger(__name__)

# freeBusy refuses long ranges (about 90 days, undocumented) and caps calendars per call.
FREEBUSY_MAX_DAYS = 60
FREEBUSY_MAX_CALENDARS = 50
# Per-calendar freeBusy errors that no retry will fix.
_FREEBUSY_PERMANENT = {"groupTooBig", "tooManyCalendarsRequested"}

Interval = tuple[datetime, datetime]


def _windows(start: datetime, end: datetime, days: int) -> Iterator[Interval]:
    step = timedelta(days=days)
    while start < end:
        yield start, min(start + step, end)
        start += step


def _subtract(busy: Interval, holes: list[Interval]) -> list[Interval]:
    pieces = [busy]
    for hole_start, hole_end in holes:
        pieces = [
            part
            for start, end in pieces
            for part in ((start, min(end, hole_start)), (max(start, hole_end), end))
            if part[1] > part[0]
        ]
    return pieces


def busy_calendars(connection: Connection) -> tuple[str, ...]:
    return connection.busy_calendars or ("primary",)


def _is_busy_calendar(connection: Connection, calendar_id: str) -> bool:
    # "primary" and the account's address name the same calendar.
    aliases = {calendar_id}
    if calendar_id in ("primary", connection.account):
        aliases |= {"primary", connection.account}
    return bool(aliases & set(busy_calendars(connection)))


def google_busy_read(connection: Connection, *, start: datetime, end: datetime) -> list[BusyBlock]:
    """Busy time from ``freeBusy`` (which already leaves out free, declined and cancelled
    events); the parts that are HireSlot's own interview events come back marked.

    freeBusy gives no event ids, so our events are listed separately (one query on the
    event calendar, filtered by our private marker) and carved out of the busy ranges:
    a busy range merged from an interview and a meeting right after it then splits into
    the meeting (busy) and the interview (marked, which slot listing takes from the
    booking itself). Time both an interview and a foreign event cover reads as the
    interview's; the booking keeps it busy all the same.
    """
    calendars = busy_calendars(connection)
    busy: list[Interval] = []
    answered: set[str] = set()
    missing: set[str] = set()
    with http_client() as http:
        api = GoogleApi(connection, http)
        for window_start, window_end in _windows(start, end, FREEBUSY_MAX_DAYS):
            for first in range(0, len(calendars), FREEBUSY_MAX_CALENDARS):
                group = calendars[first : first + FREEBUSY_MAX_CALENDARS]
                answer = api.json(
                    "POST",
                    "/freeBusy",
                    json={
                        "timeMin": rfc3339(window_start),
                        "timeMax": rfc3339(window_end),
                        "timeZone": "UTC",
                        "items": [{"id": calendar} for calendar in group],
                    },
                )
                for calendar in group:
                    busy += _freebusy_of(connection, answer, calendar, answered, missing)
        if not answered:
            raise TransientProviderError(
                f"{SERVICE} could not read any of the busy calendars "
                f"({', '.join(calendars)}); choose them again in My Settings."
            )
        event_calendar = connection.event_calendar or "primary"
        ours = _own_events(api, event_calendar, start, end)
        if not _is_busy_calendar(connection, event_calendar):
            ours = []
    holes = [(block.start, block.end) for block in ours]
    blocks = [
        BusyBlock(start=piece_start, end=piece_end)
        for busy_range in busy
        for piece_start, piece_end in _subtract(busy_range, holes)
    ]
    return sorted([*blocks, *ours], key=lambda block: (block.start, block.end))


def _freebusy_of(
    connection: Connection,
    answer: dict[str, Any],
    calendar: str,
    answered: set[str],
    missing: set[str],
) -> list[Interval]:
    entry = (answer.get("calendars") or {}).get(calendar)
    if entry is None:
        raise TransientProviderError(f"{SERVICE} left calendar {calendar} out of free/busy.")
    reasons = {str(error.get("reason")) for error in entry.get("errors") or []}
    if reasons == {"notFound"}:
        # A calendar deleted or unshared since it was chosen has no busy time to hide.
        if calendar not in missing:
            logger.warning(
                "Google calendar %s of connection %s was not found; skipping it",
                calendar,
                connection.id,
            )
        missing.add(calendar)
        return []
    if reasons & _FREEBUSY_PERMANENT:
        raise PermanentProviderError(
            f"{SERVICE} cannot give free/busy for {calendar} ({', '.join(sorted(reasons))})."
        )
    if reasons:
        # Returning the rest would show this calendar's busy time as free.
        raise TransientProviderError(
            f"{SERVICE} could not read free/busy of {calendar} ({', '.join(sorted(reasons))})."
        )
    answered.add(calendar)
    return [
        (time_parse(item["start"]), time_parse(item["end"])) for item in entry.get("busy") or []
    ]


def _own_events(api: GoogleApi, calendar: str, start: datetime, end: datetime) -> list[BusyBlock]:
    blocks = []
    params = {
        "privateExtendedProperty": MARKER_FILTER,
        "timeMin": rfc3339(start),
        "timeMax": rfc3339(end),
        "singleEvents": "true",
        "maxResults": PAGE_SIZE,
    }
    for page in api.pages(calendar_path(calendar, "events"), params):
        for event in page.get("items") or []:
            when_start = (event.get("start") or {}).get("dateTime")
            when_end = (event.get("end") or {}).get("dateTime")
            if event.get("status") == "cancelled" or not (when_start and when_end):
                continue
            blocks.append(
                BusyBlock(
                    start=max(time_parse(when_start), start),
                    end=min(time_parse(when_end), end),
                    ref=str(event.get("id", "")),
                    interview_uid=event_interview_uid(event),
                )
            )
    return blocks
