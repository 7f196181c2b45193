"""Google Calendar as a person's connected calendar: busy time, interview events, Meet."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from hireslot.calendars.providers.base import (
    BusyBlock,
    BusyWindow,
    CalendarInfo,
    CalendarOwner,
    ConnectedCalendarProvider,
    EventRef,
    EventSpec,
    PushAnswer,
    PushCall,
)
from hireslot.calendars.providers.google.api import (
    SERVICE,
    GoogleApi,
    calendar_path,
    event_body,
    event_id_for,
    event_sequence,
    meet_joined,
)
from hireslot.calendars.providers.google.busy import google_busy_read
from hireslot.calendars.providers.google.oauth import (
    google_authorization_url,
    google_code_exchange,
    google_token_revoke,
)
from hireslot.calendars.providers.google.sync import (
    SYNC_AHEAD,
    SYNC_PAST,
    google_notification_accept,
    google_sync,
    google_watch_renew,
    google_watch_stop,
)
from hireslot.core import clock
from hireslot.core.remote import OAuthFlow, PermanentProviderError, TransientProviderError
from hireslot.core.remote.http import http_client

_WRITE_PARAMS = {"sendUpdates": "none", "conferenceDataVersion": "1"}


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
    conference_link_kind = "google_meet"
    oauth_flow = OAuthFlow(
        authorization_url=google_authorization_url, code_exchange=google_code_exchange
    )

    #: Pauses between looks at a Meet link Google is still creating; then the caller retries.
    meet_poll_seconds: tuple[float, ...] = (0.5, 1.0, 2.0)

    @contextmanager
    def _api(self) -> Iterator[GoogleApi]:
        with http_client() as http:
            yield GoogleApi(self.connection, http)

    def _event_calendar(self) -> str:
        return self.connection.event_calendar or "primary"

    # --- busy time -------------------------------------------------------------------------

    def busy_read(self, *, start: datetime, end: datetime) -> list[BusyBlock]:
        return google_busy_read(self.connection, start=start, end=end)

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

    def conference_event_upsert(
        self, *, owner: CalendarOwner, spec: EventSpec
    ) -> tuple[EventRef, str]:
        return self.meet_event_upsert(owner=owner, spec=spec)

    def _upsert(
        self, api: GoogleApi, *, owner: CalendarOwner, spec: EventSpec, meet: bool
    ) -> dict[str, Any]:
        calendar = self._event_calendar()
        event_id = event_id_for(spec.uid)
        body = event_body(owner=owner, spec=spec)
        joined = None if meet else meet_joined(spec)
        if joined is not None:
            body["conferenceData"] = joined
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

    # --- push channels and incremental sync --------------------------------------------------

    def push_start(self, *, address: str) -> None:
        google_watch_renew(self.connection, address=address)

    def push_stop(self) -> None:
        google_watch_stop(self.connection)

    def push_receive(self, call: PushCall) -> PushAnswer:
        # Google stops a channel nobody acknowledges; a forged call learns nothing (404).
        if not google_notification_accept(call.headers, self.connection):
            return PushAnswer(status=404)
        # "sync" only announces a new channel; anything else means events changed.
        return PushAnswer(status=200, sync=call.headers.get("X-Goog-Resource-State") != "sync")

    def changes_sync(self) -> BusyWindow | None:
        now = clock.now()
        start, end = now - SYNC_PAST, now + SYNC_AHEAD
        blocks = google_sync(self.connection, start=start, end=end)
        return None if blocks is None else BusyWindow(start=start, end=end, blocks=blocks)

    def access_revoke(self) -> None:
        refresh_token = str(self.connection.credentials.get("refresh_token") or "")
        if self.connection.client is not None and refresh_token:
            google_token_revoke(client=self.connection.client, token=refresh_token)


def _meet_request(request_id: str) -> dict[str, Any]:
    return {"requestId": request_id, "conferenceSolutionKey": {"type": "hangoutsMeet"}}
