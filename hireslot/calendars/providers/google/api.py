"""One connection's conversation with the Calendar API: authorized requests with the error
mapping every Google call shares, and how an interview event looks on Google's side."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx
from django.conf import settings

from hireslot.calendars.providers.base import CalendarOwner, EventSpec
from hireslot.calendars.providers.google.oauth import (
    GoogleScopesMissingError,
    google_missing_scopes,
    google_token_refresh,
)
from hireslot.core.remote import (
    Connection,
    ConnectionBrokenError,
    TokenGrant,
    TransientProviderError,
)
from hireslot.core.remote.http import TokenKeeper, response_raise

SERVICE = "Google Calendar"

# Private extended properties live on the interviewer's copy only (never shown to guests).
PROPERTY_UID = "hireslot_interview"
PROPERTY_SEQUENCE = "hireslot_sequence"
# events.list filters extended properties by key=value only, and the uid differs per event,
# so every interview event also carries this fixed pair: one query then finds all of ours.
MARKER_KEY, MARKER_VALUE = "hireslot", "interview"
MARKER_FILTER = f"{MARKER_KEY}={MARKER_VALUE}"
PAGE_SIZE = 2500  # events.list's maximum


def event_id_for(uid: str) -> str:
    """Google's event id for the interview ``uid``: base32hex (0-9, a-v), so the interview
    UUID's hex digits fit as they are; any other uid is hashed into base32hex."""
    try:
        return UUID(uid.split("@", 1)[0]).hex
    except ValueError:
        digest = hashlib.sha256(uid.encode()).digest()
        return base64.b32hexencode(digest).decode().rstrip("=").lower()


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def time_parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


def calendar_path(calendar_id: str, *rest: str) -> str:
    # Calendar ids are email-like ("…@group.calendar.google.com"): one path segment each.
    return "/calendars/" + "/".join(quote(part, safe="") for part in (calendar_id, *rest))


def event_body(*, owner: CalendarOwner, spec: EventSpec) -> dict[str, Any]:
    """The fields HireSlot owns on the interviewer's event (attendees stay untouched: the
    candidate gets HireSlot's own invite, so Google must not send a second one)."""
    return {
        "summary": spec.title,
        "description": spec.description,
        "location": spec.location,
        "start": {"dateTime": rfc3339(spec.start), "timeZone": owner.time_zone},
        "end": {"dateTime": rfc3339(spec.end), "timeZone": owner.time_zone},
        "transparency": "opaque",
        # Also brings back an event someone deleted in Google while the interview stands.
        "status": "confirmed",
        "extendedProperties": {
            "private": {
                PROPERTY_UID: spec.uid,
                PROPERTY_SEQUENCE: str(spec.sequence),
                MARKER_KEY: MARKER_VALUE,
            }
        },
    }


_MEET_LINK = re.compile(r"https://meet\.google\.com/([a-z]{3}-[a-z]{4}-[a-z]{3})")


def meet_joined(spec: EventSpec) -> dict[str, Any] | None:
    """The conference data of an existing Meet this event joins (made by the host's own
    event): copied onto the event so Google shows its Join button, not only the location."""
    found = _MEET_LINK.fullmatch(spec.location.strip())
    if spec.conference_kind != "google_meet" or found is None:
        return None
    return {
        "conferenceId": found.group(1),
        "conferenceSolution": {"key": {"type": "hangoutsMeet"}},
        "entryPoints": [
            {"entryPointType": "video", "uri": found.group(0), "label": found.group(0)[8:]}
        ],
    }


def event_sequence(event: dict[str, Any]) -> int:
    """The SEQUENCE HireSlot last wrote to ``event``; -1 when unknown."""
    private = (event.get("extendedProperties") or {}).get("private") or {}
    try:
        return int(private.get(PROPERTY_SEQUENCE, -1))
    except (TypeError, ValueError):
        return -1


def event_interview_uid(event: dict[str, Any]) -> str:
    private = (event.get("extendedProperties") or {}).get("private") or {}
    return str(private.get(PROPERTY_UID, ""))


class GoogleApi:
    """Authorized Calendar API calls for one connection over one HTTP client."""

    def __init__(self, connection: Connection, http: httpx.Client) -> None:
        client = connection.client
        if client is None:
            raise ConnectionBrokenError(
                "Google Calendar is not set up for this organization any more: an admin must "
                "add the Google app on the Integrations page, then reconnect."
            )
        stored = connection.credentials.get("scope")
        if stored is not None:
            # A grant saved long ago may predate a scope we now need.
            saved = TokenGrant(access_token="", refresh_token="", expires_at=0, scope=str(stored))
            missing = google_missing_scopes(saved)
            if missing:
                raise GoogleScopesMissingError(missing)
        self.connection = connection
        self.http = http
        self.keeper = TokenKeeper(
            connection,
            lambda refresh_token: google_token_refresh(
                client=client,
                refresh_token=refresh_token,
                previous_scope=str(connection.credentials.get("scope", "")),
            ),
        )

    def call(
        self, method: str, path: str, *, accept: Collection[int] = (), **options: Any
    ) -> httpx.Response:
        """Send, refreshing the token once on 401; statuses in ``accept`` are the caller's to
        read, anything else unsuccessful is raised as our error."""
        url = f"{settings.HIRESLOT_GOOGLE_API_URL}{path}"
        response = self.keeper.send(self.http, method, url, service=SERVICE, **options)
        if response.status_code in accept or response.is_success:
            return response
        if response.status_code == 403 and "insufficientPermissions" in response.text:
            raise ConnectionBrokenError(
                "Google Calendar no longer allows HireSlot to do this (a permission was "
                "removed); reconnect Google Calendar."
            )
        if response.status_code == 412:
            raise TransientProviderError(
                "The event changed on Google while HireSlot was updating it; trying again."
            )
        response_raise(response, service=SERVICE)
        return response

    def json(self, method: str, path: str, **options: Any) -> dict[str, Any]:
        body = self.call(method, path, **options).json()
        if not isinstance(body, dict):
            raise TransientProviderError(f"{SERVICE} sent an unexpected answer.")
        return body

    def pages(self, path: str, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every page of a list call, following ``nextPageToken``."""
        page_token = ""
        while True:
            page = self.json(
                "GET", path, params={**params, **({"pageToken": page_token} if page_token else {})}
            )
            yield page
            page_token = str(page.get("nextPageToken") or "")
            if not page_token:
                return

    def event_get(self, calendar_id: str, event_id: str) -> dict[str, Any] | None:
        """The event, or None when the calendar has no such event."""
        response = self.call("GET", calendar_path(calendar_id, "events", event_id), accept=(404,))
        if response.status_code == 404:
            return None
        body = response.json()
        return body if isinstance(body, dict) else None
