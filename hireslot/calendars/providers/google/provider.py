"""Google Calendar as a person's connected calendar: busy time, interview events, Meet."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from hireslot.calendars.providers.base import (
    BusyBlock,
    CalendarInfo,
    CalendarOwner,
    ConnectedCalendarProvider,
    EventRef,
    EventSpec,
    PermanentProviderError,
    TransientProviderError,
)
from hireslot.calendars.providers.google.api import (
    MARKER_FILTER,
    PAGE_SIZE,
    SERVICE,
    GoogleApi,
    calendar_path,
    event_body,
    event_id_for,
    event_interview_uid,
    event_sequence,
    rfc3339,
    time_parse,
)
from hireslot.calendars.providers.http import http_client

logger = logging.getLogger(__name__)

# freeBusy refuses long ranges (about 90 days, undocumented) and caps calendars per call.
FREEBUSY_MAX_DAYS = 60
FREEBUSY_MAX_CALENDARS = 50
# Per-calendar freeBusy errors that no retry will fix.
_FREEBUSY_PERMANENT = {"groupTooBig", "tooManyCalendarsRequested"}
_WRITE_PARAMS = {"sendUpdates": "none", "conferenceDataVersion": "1"}

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


def meet_status(event: dict[str, Any]) -> str:
    """``pending`` / ``success`` / ``failure`` of the Meet request, "" when there is none."""
    conference = event.get("conferenceData") or {}
    status = ((conference.get("createRequest") or {}).get("status") or {}).get("statusCode")
    if status:
        return str(status)
    return "success" if conference.get("entryPoints") else ""


def meet_url(event: dict[str, Any]) -> str:
    for entry in (event.get("conferenceData") or {}).get("entryPoints") or []:
        if entry.get("entryPointType") == "video" and entry.get("uri"):
            return str(entry["uri"])
    return str(event.get("hangoutLink") or "")


class GoogleCalendarProvider(ConnectedCalendarProvider):
    name = "google"

    #: Pauses between looks at a Meet link Google is still creating; then the caller retries.
    meet_poll_seconds: tuple[float, ...] = (0.5, 1.0, 2.0)

    @contextmanager
    def _api(self) -> Iterator[GoogleApi]:
        with http_client() as http:
            yield GoogleApi(self.connection, http)

    def _event_calendar(self) -> str:
        return self.connection.event_calendar or "primary"

    def _busy_calendars(self) -> tuple[str, ...]:
        return self.connection.busy_calendars or ("primary",)

    def _is_busy_calendar(self, calendar_id: str) -> bool:
        # "primary" and the account's address name the same calendar.
        aliases = {calendar_id}
        if calendar_id in ("primary", self.connection.account):
            aliases |= {"primary", self.connection.account}
        return bool(aliases & set(self._busy_calendars()))

    # --- busy time -------------------------------------------------------------------------

    def busy_read(self, *, start: datetime, end: datetime) -> list[BusyBlock]:
        """Busy time from ``freeBusy`` (which already leaves out free, declined and cancelled
        events); the parts that are HireSlot's own interview events come back marked.

        freeBusy gives no event ids, so our events are listed separately (one query on the
        event calendar, filtered by our private marker) and carved out of the busy ranges:
        a busy range merged from an interview and a meeting right after it then splits into
        the meeting (busy) and the interview (marked, which slot listing takes from the
        booking itself). Time both an interview and a foreign event cover reads as the
        interview's; the booking keeps it busy all the same.
        """
        calendars = self._busy_calendars()
        busy: list[Interval] = []
        answered: set[str] = set()
        missing: set[str] = set()
        with self._api() as api:
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
                        busy += self._freebusy_of(answer, calendar, answered, missing)
            if not answered:
                raise TransientProviderError(
                    f"{SERVICE} could not read any of the busy calendars "
                    f"({', '.join(calendars)}); choose them again in My Settings."
                )
            event_calendar = self._event_calendar()
            ours = self._own_events(api, event_calendar, start, end)
            if not self._is_busy_calendar(event_calendar):
                ours = []
        holes = [(block.start, block.end) for block in ours]
        blocks = [
            BusyBlock(start=piece_start, end=piece_end)
            for busy_range in busy
            for piece_start, piece_end in _subtract(busy_range, holes)
        ]
        return sorted([*blocks, *ours], key=lambda block: (block.start, block.end))

    def _freebusy_of(
        self, answer: dict[str, Any], calendar: str, answered: set[str], missing: set[str]
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
                    self.connection.id,
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

    def _own_events(
        self, api: GoogleApi, calendar: str, start: datetime, end: datetime
    ) -> list[BusyBlock]:
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

    # --- interview events ------------------------------------------------------------------

    def event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> EventRef:
        """Insert with an id derived from the uid (a retry meets ``409 duplicate`` and turns
        into a patch); later versions patch; a stale sequence leaves the event alone."""
        with self._api() as api:
            event = self._upsert(api, owner=owner, spec=spec, meet=False)
        return EventRef(provider=self.name, event_id=str(event["id"]))

    def meet_event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> tuple[EventRef, str]:
        """``event_upsert`` with a Google Meet conference on the event; also returns the join
        URL, or "" while Google is still creating it (call again later: the same request id
        is reused, so no second conference is made)."""
        with self._api() as api:
            event = self._upsert(api, owner=owner, spec=spec, meet=True)
            calendar, event_id = self._event_calendar(), str(event["id"])
            for pause in self.meet_poll_seconds:
                if meet_status(event) != "pending":
                    break
                time.sleep(pause)
                event = api.event_get(calendar, event_id) or event
        status = meet_status(event)
        if status == "failure":
            raise PermanentProviderError(
                "Google could not create a Meet link for this event (is Google Meet allowed "
                "for this account?). Retry to ask again."
            )
        ref = EventRef(provider=self.name, event_id=event_id)
        return ref, meet_url(event) if status == "success" else ""

    def _upsert(
        self, api: GoogleApi, *, owner: CalendarOwner, spec: EventSpec, meet: bool
    ) -> dict[str, Any]:
        calendar = self._event_calendar()
        event_id = event_id_for(spec.uid)
        body = event_body(owner=owner, spec=spec)
        # A first version is most likely new: insert straight away. Later versions most
        # likely exist: read first (which a patch needs anyway) and skip the failing insert.
        existing = api.event_get(calendar, event_id) if spec.sequence > 0 else None
        if existing is None:
            insert = {"id": event_id, **body}
            if meet:
                insert["conferenceData"] = {"createRequest": _meet_request(event_id)}
            response = api.call(
                "POST",
                calendar_path(calendar, "events"),
                params=_WRITE_PARAMS,
                json=insert,
                accept=(409,),
            )
            if response.status_code != 409:
                created: dict[str, Any] = response.json()
                return created
            # "The requested identifier already exists": an earlier attempt got through.
            existing = api.event_get(calendar, event_id)
            if existing is None:
                raise TransientProviderError(
                    f"{SERVICE} says the event exists but does not return it yet."
                )
        return self._converge(api, calendar, existing, body=body, spec=spec, meet=meet)

    def _converge(
        self,
        api: GoogleApi,
        calendar: str,
        existing: dict[str, Any],
        *,
        body: dict[str, Any],
        spec: EventSpec,
        meet: bool,
    ) -> dict[str, Any]:
        if event_sequence(existing) > spec.sequence:
            # A late retry of an older version: the newer one stays.
            return existing
        patch = dict(body)
        event_id = str(existing["id"])
        if meet and meet_status(existing) in ("", "failure"):
            # Google ignores a repeated request id, so asking again after a failure needs a
            # fresh one; the first ask uses the id derived from the uid.
            request_id = event_id if not meet_status(existing) else uuid.uuid4().hex
            patch["conferenceData"] = {"createRequest": _meet_request(request_id)}
        headers = {"If-Match": str(existing["etag"])} if existing.get("etag") else {}
        # conferenceDataVersion=1 on every edit, or Google drops conference changes.
        return api.json(
            "PATCH",
            calendar_path(calendar, "events", event_id),
            params=_WRITE_PARAMS,
            json=patch,
            headers=headers,
        )

    def event_delete(self, *, owner: CalendarOwner, uid: str) -> None:
        # 404: never there; 410: already deleted. Either way the calendar is as wanted.
        with self._api() as api:
            api.call(
                "DELETE",
                calendar_path(self._event_calendar(), "events", event_id_for(uid)),
                params={"sendUpdates": "none"},
                accept=(404, 410),
            )

    def calendars_list(self) -> list[CalendarInfo]:
        calendars = []
        with self._api() as api:
            for page in api.pages("/users/me/calendarList", {"maxResults": 250}):
                for item in page.get("items") or []:
                    calendars.append(
                        CalendarInfo(
                            id=str(item["id"]),
                            name=str(item.get("summaryOverride") or item.get("summary") or ""),
                            primary=bool(item.get("primary")),
                            can_write=item.get("accessRole") in ("owner", "writer"),
                        )
                    )
        return calendars


def _meet_request(request_id: str) -> dict[str, Any]:
    return {"requestId": request_id, "conferenceSolutionKey": {"type": "hangoutsMeet"}}
