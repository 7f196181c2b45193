"""A fake Microsoft identity platform and Microsoft Graph on 127.0.0.1, for contract tests.

Written from the documented request and response shapes (shared/reference/integrations.md
section 2 and Graph's pages on extended properties), not from our adapter: it checks
methods, paths, parameters, bearer tokens and bodies, answers like the vendor, and has
switches to inject failures (expired tokens, revoked grants, throttling, personal accounts).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

CLIENT_ID = "hireslot-test-app"
CLIENT_SECRET = "s3cret-value"
ACCOUNT = "nora@contoso.example"
GRAPH = "/v1.0"
BUSY_STATES = {"free", "tentative", "busy", "oof", "workingElsewhere", "unknown"}


class Reply(Exception):  # noqa: N818 - an answer, raised to cut a handler short
    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None):
        self.status, self.body, self.headers = status, body, headers or {}


def graph_error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"error": {"code": code, "message": message}})


def parse_time(value: Any) -> datetime:
    if not isinstance(value, dict) or not value.get("dateTime") or not value.get("timeZone"):
        raise graph_error(
            400, "ErrorInvalidRequest", "dateTimeTimeZone needs dateTime and timeZone"
        )
    if value["timeZone"] != "UTC":
        raise graph_error(400, "ErrorInvalidTimeZone", "this fake only knows UTC")
    return datetime.fromisoformat(str(value["dateTime"])[:19]).replace(tzinfo=UTC)


def show_time(instant: datetime) -> dict[str, str]:
    return {"dateTime": instant.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": "UTC"}


def query_instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


@dataclass
class FakeEvent:
    id: str
    calendar: str
    fields: dict[str, Any]
    start: datetime
    end: datetime
    properties: dict[str, str] = field(default_factory=dict)
    version: int = 0

    def view(self, expand_ids: set[str] | None = None) -> dict[str, Any]:
        event = {**self.fields, "id": self.id, "start": show_time(self.start)}
        event["end"] = show_time(self.end)
        event.setdefault("showAs", "busy")
        event.setdefault("isCancelled", False)
        if expand_ids is not None:
            event["singleValueExtendedProperties"] = [
                {"id": key, "value": value}
                for key, value in self.properties.items()
                if key.lower() in expand_ids
            ]
        return event


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


class FakeMicrosoft:
    """State and switches; ``base`` is the server's address once started."""

    def __init__(self) -> None:
        self.base = ""
        self.lock = threading.Lock()
        self.counter = itertools.count(1)
        self.requests: list[Request] = []
        self.codes: dict[str, dict[str, str]] = {}
        self.access_tokens: set[str] = set()
        self.refresh_tokens: set[str] = set()
        self.events: dict[str, FakeEvent] = {}
        self.removed: list[tuple[int, str]] = []  # (version, event id) for delta
        self.version = 0
        self.calendars = [
            {"id": "cal-default", "name": "Calendar", "isDefaultCalendar": True, "canEdit": True},
            {"id": "cal-team", "name": "Team", "isDefaultCalendar": False, "canEdit": False},
        ]
        self.other_busy: dict[str, list[tuple[datetime, datetime]]] = {}
        self.subscriptions: dict[str, dict[str, Any]] = {}
        # Switches.
        self.personal = False  # a personal Microsoft account: no getSchedule, no Teams
        self.throttle: list[tuple[int, str]] = []  # next Graph answers: (status, Retry-After)
        self.page_size = 2
        # Distribution lists: each member counts toward getSchedule's 20 schedules.
        self.groups: dict[str, list[str]] = {}
        # Next getSchedule answers to fail with, before anything else: (status, code, message).
        self.schedule_failures: list[tuple[int, str, str]] = []
        self.notification_endpoint: Callable[[str], tuple[int, str, str]] | None = None

    # --- helpers for tests ---------------------------------------------------------------

    @property
    def login_url(self) -> str:
        return self.base

    @property
    def graph_url(self) -> str:
        return self.base + GRAPH

    def sign_in(self, authorize_url: str) -> str:
        """What the person's browser does: consent, then get a code for the redirect."""
        parts = urlsplit(authorize_url)
        query = {key: values[0] for key, values in parse_qs(parts.query).items()}
        assert re.fullmatch(r"/[^/]+/oauth2/v2\.0/authorize", parts.path), parts.path
        for name in ("client_id", "response_type", "redirect_uri", "scope", "state"):
            assert query.get(name), f"authorize needs {name}"
        assert query["response_type"] == "code"
        assert query.get("code_challenge_method") == "S256"
        code = f"code-{secrets.token_hex(8)}"
        self.codes[code] = query
        return code

    def grant(self) -> dict[str, Any]:
        """Tokens as if the person had connected: fresh access and refresh tokens."""
        access, refresh = self._new_tokens()
        return {"access_token": access, "refresh_token": refresh, "expires_at": 4e9, "scope": ""}

    def expire_access_tokens(self) -> None:
        with self.lock:
            self.access_tokens.clear()

    def revoke(self) -> None:
        with self.lock:
            self.access_tokens.clear()
            self.refresh_tokens.clear()

    def add_event(
        self,
        start: datetime,
        end: datetime,
        *,
        show_as: str = "busy",
        subject: str = "Busy",
        calendar: str = "cal-default",
    ) -> str:
        with self.lock:
            event = self._store(calendar, {"subject": subject, "showAs": show_as}, start, end)
        return event.id

    def remove_event(self, event_id: str) -> None:
        """Someone deleted the event in Outlook."""
        with self.lock:
            del self.events[event_id]
            self.version += 1
            self.removed.append((self.version, event_id))

    def lifecycle(self, subscription_id: str, event: str) -> dict[str, Any]:
        """A lifecycle notification, as Graph POSTs it to ``lifecycleNotificationUrl``."""
        sub = self.subscriptions[subscription_id]
        return {
            "value": [
                {
                    "subscriptionId": subscription_id,
                    "subscriptionExpirationDateTime": sub["expirationDateTime"],
                    "tenantId": "7b2a5d0e-0000-4000-8000-000000000001",
                    "clientState": sub.get("clientState"),
                    "lifecycleEvent": event,
                }
            ]
        }

    def calls(self, method: str, path: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path == GRAPH + path]

    def notification(self, subscription_id: str, event_id: str, change: str) -> dict[str, Any]:
        sub = self.subscriptions[subscription_id]
        return {
            "value": [
                {
                    "subscriptionId": subscription_id,
                    "clientState": sub.get("clientState"),
                    "changeType": change,
                    "resource": f"Users/me/Events/{event_id}",
                    "subscriptionExpirationDateTime": sub["expirationDateTime"],
                    "resourceData": {"@odata.type": "#Microsoft.Graph.Event", "id": event_id},
                }
            ]
        }

    # --- server internals ------------------------------------------------------------------

    def _new_tokens(self) -> tuple[str, str]:
        access, refresh = f"at-{secrets.token_hex(8)}", f"rt-{secrets.token_hex(8)}"
        self.access_tokens.add(access)
        self.refresh_tokens.add(refresh)
        return access, refresh

    def _store(
        self, calendar: str, fields: dict[str, Any], start: datetime, end: datetime
    ) -> FakeEvent:
        self.version += 1
        event = FakeEvent(
            id=f"AAMkImmutable{next(self.counter)}=",
            calendar=calendar,
            fields=fields,
            start=start,
            end=end,
            version=self.version,
        )
        self.events[event.id] = event
        return event

    def handle(self, request: Request) -> Reply:
        with self.lock:
            self.requests.append(request)
            if request.path.startswith(GRAPH + "/"):
                return self._graph(request)
            if re.fullmatch(r"/[^/]+/oauth2/v2\.0/token", request.path):
                return self._token(request)
            return graph_error(404, "NotFound", request.path)

    def _token(self, request: Request) -> Reply:
        form = request.body
        if request.method != "POST" or not isinstance(form, dict):
            return Reply(405, {"error": "invalid_request"})
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return Reply(401, {"error": "invalid_client", "error_description": "AADSTS7000215"})
        if "offline_access" not in form.get("scope", "").split():
            return Reply(400, {"error": "invalid_scope"})
        grant_type = form.get("grant_type")
        if grant_type == "authorization_code":
            asked = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            digest = hashlib.sha256(verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if (
                asked is None
                or asked["redirect_uri"] != form.get("redirect_uri")
                or asked["code_challenge"] != challenge
            ):
                return Reply(400, {"error": "invalid_grant", "error_description": "AADSTS70008"})
        elif grant_type == "refresh_token":
            old = form.get("refresh_token", "")
            if old not in self.refresh_tokens:
                return Reply(
                    400,
                    {"error": "invalid_grant", "error_description": "AADSTS70000: revoked"},
                )
            # Rotation: the old refresh token is spent (stricter than Entra, on purpose).
            self.refresh_tokens.discard(old)
        else:
            return Reply(400, {"error": "unsupported_grant_type"})
        access, refresh = self._new_tokens()
        # offline_access is never echoed back in scope.
        return Reply(
            200,
            {
                "token_type": "Bearer",
                "scope": "https://graph.microsoft.com/Calendars.ReadWrite "
                "https://graph.microsoft.com/User.Read",
                "expires_in": 3599,
                "access_token": access,
                "refresh_token": refresh,
            },
        )

    def _graph(self, request: Request) -> Reply:
        auth = request.headers.get("authorization", "")
        if not auth.startswith("Bearer ") or auth[7:] not in self.access_tokens:
            return graph_error(401, "InvalidAuthenticationToken", "Access token has expired.")
        if self.throttle:
            status, retry_after = self.throttle.pop(0)
            raise Reply(
                status,
                {"error": {"code": "ApplicationThrottled", "message": "Too many requests"}},
                {"Retry-After": retry_after},
            )
        path = request.path[len(GRAPH) :]
        for (method, pattern), handler in _PATTERNS:
            match = re.fullmatch(pattern, path)
            if method == request.method and match:
                return handler(self, request, *match.groups())
        return graph_error(400, "BadRequest", f"Unsupported {request.method} {path}")

    def _expand_ids(self, request: Request) -> set[str] | None:
        expand = request.query.get("$expand")
        if not expand:
            return None
        found = re.findall(r"id eq '((?:[^']|'')*)'", expand)
        if not expand.startswith("singleValueExtendedProperties($filter=") or not found:
            raise graph_error(400, "BadRequest", f"unsupported $expand {expand}")
        return {value.replace("''", "'").lower() for value in found}

    def _page(self, request: Request, items: list[dict[str, Any]]) -> dict[str, Any]:
        offset = int(request.query.get("$skip", "0"))
        page = items[offset : offset + self.page_size]
        body: dict[str, Any] = {"value": page}
        if offset + self.page_size < len(items):
            query = {k: v for k, v in request.query.items() if k != "$skip"}
            query["$skip"] = str(offset + self.page_size)
            body["@odata.nextLink"] = f"{self.base}{request.path}?{urlencode(query)}"
        return body

    def _window(self, request: Request) -> tuple[datetime, datetime]:
        if "startDateTime" not in request.query or "endDateTime" not in request.query:
            raise graph_error(
                400, "ErrorInvalidParameter", "This request requires startDateTime and endDateTime"
            )
        return query_instant(request.query["startDateTime"]), query_instant(
            request.query["endDateTime"]
        )

    # --- Graph endpoints ----------------------------------------------------------------

    def me(self, request: Request) -> Reply:
        return Reply(
            200, {"displayName": "Nora Alvarez", "mail": ACCOUNT, "userPrincipalName": ACCOUNT}
        )

    def calendars_list(self, request: Request) -> Reply:
        return Reply(200, self._page(request, self.calendars))

    def default_calendar(self, request: Request, calendar_id: str = "cal-default") -> Reply:
        calendar = next((c for c in self.calendars if c["id"] == calendar_id), None)
        if calendar is None:
            return graph_error(404, "ErrorItemNotFound", "The specified object was not found.")
        providers = [] if self.personal else ["teamsForBusiness"]
        return Reply(200, {**calendar, "allowedOnlineMeetingProviders": providers})

    def get_schedule(self, request: Request) -> Reply:
        body = request.body
        if self.personal:
            return graph_error(
                400, "ErrorInvalidRequest", "getSchedule is not supported for personal accounts."
            )
        if self.schedule_failures:
            status, code, message = self.schedule_failures.pop(0)
            return graph_error(status, code, message)
        schedules = body.get("schedules")
        if not isinstance(schedules, list) or not schedules:
            return graph_error(400, "ErrorInvalidParameter", "schedules is required")
        # Graph counts each member of a distribution list as one schedule.
        counted = sum(len(self.groups.get(str(a).lower(), [a])) for a in schedules)
        if counted > 20:
            return graph_error(400, "ErrorInvalidParameter", "At most 20 schedules per request.")
        start, end = parse_time(body.get("startTime")), parse_time(body.get("endTime"))
        if end <= start:
            return graph_error(400, "ErrorInvalidParameter", "endTime must follow startTime")
        if end - start >= timedelta(days=62):
            return graph_error(
                400, "ErrorTimeIntervalTooBig", "The time range must be less than 62 days."
            )
        value = []
        for address in schedules:
            if address.lower() == ACCOUNT:
                ranges = [
                    (e.start, e.end, e.fields.get("showAs", "busy"))
                    for e in self.events.values()
                    if e.calendar == "cal-default" and not e.fields.get("isCancelled")
                ]
            elif address.lower() in self.other_busy:
                ranges = [(s, f, "busy") for s, f in self.other_busy[address.lower()]]
            elif address.lower() in self.groups:
                ranges = [
                    (s, f, "busy")
                    for member in self.groups[address.lower()]
                    for s, f in self.other_busy.get(member.lower(), [])
                ]
            else:
                value.append(
                    {
                        "scheduleId": address,
                        "error": {"message": "mailbox not found", "responseCode": "Error"},
                    }
                )
                continue
            items = [
                {"status": state, "start": show_time(s), "end": show_time(f), "isPrivate": False}
                for s, f, state in sorted(ranges)
                if s < end and f > start and state != "free"
            ]
            value.append({"scheduleId": address, "availabilityView": "", "scheduleItems": items})
        return Reply(200, {"value": value})

    def calendar_view(self, request: Request, calendar_id: str = "cal-default") -> Reply:
        start, end = self._window(request)
        expand = self._expand_ids(request)
        events = [
            e.view(expand)
            for e in sorted(self.events.values(), key=lambda e: (e.start, e.id))
            if e.calendar == calendar_id and e.start < end and e.end > start
        ]
        return Reply(200, self._page(request, events))

    def delta(self, request: Request) -> Reply:
        if "$filter" in request.query or "$expand" in request.query:
            return graph_error(400, "BadRequest", "delta does not support $filter or $expand")
        skip = request.query.get("$skiptoken")
        if skip is not None:
            # A later page of the same round: Graph keeps the round's state in the token.
            return self._delta_page(json.loads(base64.urlsafe_b64decode(skip)))
        token = request.query.get("$deltatoken")
        if token is None:
            start, end = self._window(request)
            since = 0
            window = f"{start.isoformat()}|{end.isoformat()}"
        else:
            since_text, window = token.split("~", 1)
            since = int(since_text)
            start, end = (datetime.fromisoformat(part) for part in window.split("|"))
        # Delta rows carry the event's plain properties; Graph leaves out transactionId (and
        # never expands extended properties here).
        items: list[dict[str, Any]] = [
            {k: v for k, v in e.view().items() if k != "transactionId"}
            for e in sorted(self.events.values(), key=lambda e: e.version)
            # /me/calendarView/delta covers the primary calendar only.
            if e.version > since and e.start < end and e.end > start and e.calendar == "cal-default"
        ]
        items += [
            {"id": i, "@removed": {"reason": "deleted"}} for v, i in self.removed if v > since
        ]
        return self._delta_page({"items": items, "offset": 0, "token": f"{self.version}~{window}"})

    def _delta_page(self, round_state: dict[str, Any]) -> Reply:
        items, offset = round_state["items"], int(round_state["offset"])
        body: dict[str, Any] = {"value": items[offset : offset + self.page_size]}
        if offset + self.page_size < len(items):
            state = {**round_state, "offset": offset + self.page_size}
            skip = base64.urlsafe_b64encode(json.dumps(state).encode()).decode()
            body["@odata.nextLink"] = f"{self.base}{GRAPH}/me/calendarView/delta?$skiptoken={skip}"
        else:
            token = quote(str(round_state["token"]))
            body["@odata.deltaLink"] = (
                f"{self.base}{GRAPH}/me/calendarView/delta?$deltatoken={token}"
            )
        return Reply(200, body)

    def events_list(self, request: Request) -> Reply:
        text = request.query.get("$filter", "")
        match = re.fullmatch(
            r"singleValueExtendedProperties/Any\(ep: ep/id eq '((?:[^']|'')*)' "
            r"and ep/value eq '((?:[^']|'')*)'\)",
            text,
        )
        if not match:
            return graph_error(400, "BadRequest", f"unsupported $filter {text!r}")
        prop, value = (part.replace("''", "'") for part in match.groups())
        expand = self._expand_ids(request)
        found = [
            e.view(expand)
            for e in self.events.values()
            if any(
                k.lower() == prop.lower() and v.lower() == value.lower()
                for k, v in e.properties.items()
            )
        ]
        return Reply(200, self._page(request, found))

    def event_create(self, request: Request, calendar_id: str = "cal-default") -> Reply:
        body = request.body
        if not isinstance(body, dict) or not body.get("start") or not body.get("end"):
            return graph_error(400, "ErrorInvalidRequest", "start and end are required")
        if not any(c["id"] == calendar_id for c in self.calendars):
            return graph_error(404, "ErrorItemNotFound", "calendar not found")
        transaction = body.get("transactionId")
        if transaction:
            for event in self.events.values():
                if event.fields.get("transactionId") == transaction:
                    # A retried POST: the event already made, not a second one.
                    return Reply(201, event.view())
        start, end = parse_time(body["start"]), parse_time(body["end"])
        fields = {
            k: v
            for k, v in body.items()
            if k not in ("start", "end", "singleValueExtendedProperties")
        }
        event = self._store(calendar_id, fields, start, end)
        self._properties(event, body)
        self._online(event, body)
        return Reply(201, event.view())

    def _properties(self, event: FakeEvent, body: dict[str, Any]) -> None:
        for prop in body.get("singleValueExtendedProperties") or []:
            if not re.fullmatch(r"String \{[0-9a-f-]{36}\} Name \w+", prop.get("id", "")):
                raise graph_error(400, "ErrorInvalidProperty", f"bad property id {prop.get('id')}")
            event.properties[prop["id"]] = str(prop.get("value"))

    def _online(self, event: FakeEvent, body: dict[str, Any]) -> None:
        if not body.get("isOnlineMeeting") or event.fields.get("onlineMeeting"):
            return
        if body.get("onlineMeetingProvider") != "teamsForBusiness" or self.personal:
            raise graph_error(400, "ErrorInvalidRequest", "online meeting provider not allowed")
        join = f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{secrets.token_hex(6)}"
        event.fields["isOnlineMeeting"] = True
        event.fields["onlineMeeting"] = {"joinUrl": join}
        content = event.fields.get("body", {}).get("content", "")
        blob = (
            f'<div>________________<br>Microsoft Teams meeting<br><a href="{join}">Join</a></div>'
        )
        event.fields["body"] = {"contentType": "html", "content": content + blob}

    def event_get(self, request: Request, event_id: str) -> Reply:
        event = self.events.get(event_id)
        if event is None:
            return graph_error(404, "ErrorItemNotFound", "The specified object was not found.")
        return Reply(200, event.view(self._expand_ids(request)))

    def event_patch(self, request: Request, event_id: str) -> Reply:
        event = self.events.get(event_id)
        if event is None:
            return graph_error(404, "ErrorItemNotFound", "The specified object was not found.")
        body = request.body
        if "transactionId" in body:
            return graph_error(400, "ErrorInvalidRequest", "transactionId cannot be changed")
        if "start" in body:
            event.start = parse_time(body["start"])
        if "end" in body:
            event.end = parse_time(body["end"])
        self._properties(event, body)
        online = event.fields.get("isOnlineMeeting")
        for key, value in body.items():
            if key not in ("start", "end", "singleValueExtendedProperties", "isOnlineMeeting"):
                event.fields[key] = value
        if not online:
            self._online(event, body)
        self.version += 1
        event.version = self.version
        return Reply(200, event.view())

    def event_delete(self, request: Request, event_id: str) -> Reply:
        if self.events.pop(event_id, None) is None:
            return graph_error(404, "ErrorItemNotFound", "The specified object was not found.")
        self.version += 1
        self.removed.append((self.version, event_id))
        return Reply(204)

    def subscription_create(self, request: Request) -> Reply:
        body = request.body
        for name in ("changeType", "notificationUrl", "resource", "expirationDateTime"):
            if not body.get(name):
                return graph_error(400, "InvalidRequest", f"{name} is required")
        if not body["notificationUrl"].startswith("https://"):
            return graph_error(400, "InvalidRequest", "notificationUrl must be HTTPS")
        if len(body.get("clientState") or "") > 128:
            return graph_error(400, "InvalidRequest", "clientState is longer than 128")
        error = self._expiry_error(body["expirationDateTime"])
        if error:
            return error
        if body.get("lifecycleNotificationUrl", "https://").startswith("https://") is False:
            return graph_error(400, "InvalidRequest", "lifecycleNotificationUrl must be HTTPS")
        # Validation: Graph calls each URL (the lifecycle one too) with a token and wants it
        # back as text/plain.
        for _url in {body["notificationUrl"], body.get("lifecycleNotificationUrl")} - {None}:
            token = f"Validation: {secrets.token_hex(6)}"
            endpoint = self.notification_endpoint
            status, content_type, text = endpoint(token) if endpoint else (404, "", "")
            if status != 200 or not content_type.startswith("text/plain") or text != token:
                return graph_error(
                    400, "ValidationError", "Subscription validation request failed."
                )
        subscription = {**body, "id": f"sub-{next(self.counter)}"}
        self.subscriptions[subscription["id"]] = subscription
        return Reply(201, subscription)

    def _expiry_error(self, text: str) -> Reply | None:
        expires = query_instant(text)
        now = datetime.now(UTC)
        if expires <= now or expires > now + timedelta(minutes=4230):
            return graph_error(
                400, "InvalidRequest", "Subscription expiration can only be 4230 minutes ahead."
            )
        return None

    def subscription_patch(self, request: Request, subscription_id: str) -> Reply:
        subscription = self.subscriptions.get(subscription_id)
        if subscription is None:
            return graph_error(404, "ResourceNotFound", "Object was not found.")
        error = self._expiry_error(str(request.body.get("expirationDateTime", "")))
        if error:
            return error
        subscription["expirationDateTime"] = request.body["expirationDateTime"]
        return Reply(200, subscription)

    def subscription_delete(self, request: Request, subscription_id: str) -> Reply:
        if self.subscriptions.pop(subscription_id, None) is None:
            return graph_error(404, "ResourceNotFound", "Object was not found.")
        return Reply(204)


_ID = r"([^/]+)"
_PATTERNS: list[tuple[tuple[str, str], Callable[..., Reply]]] = [
    (("GET", r"/me"), FakeMicrosoft.me),
    (("GET", r"/me/calendars"), FakeMicrosoft.calendars_list),
    (("GET", r"/me/calendar"), FakeMicrosoft.default_calendar),
    (("GET", rf"/me/calendars/{_ID}"), FakeMicrosoft.default_calendar),
    (("POST", r"/me/calendar/getSchedule"), FakeMicrosoft.get_schedule),
    (("GET", r"/me/calendarView"), FakeMicrosoft.calendar_view),
    (("GET", rf"/me/calendars/{_ID}/calendarView"), FakeMicrosoft.calendar_view),
    (("GET", r"/me/calendarView/delta"), FakeMicrosoft.delta),
    (("GET", r"/me/events"), FakeMicrosoft.events_list),
    (("POST", r"/me/events"), FakeMicrosoft.event_create),
    (("POST", rf"/me/calendars/{_ID}/events"), FakeMicrosoft.event_create),
    (("GET", rf"/me/events/{_ID}"), FakeMicrosoft.event_get),
    (("PATCH", rf"/me/events/{_ID}"), FakeMicrosoft.event_patch),
    (("DELETE", rf"/me/events/{_ID}"), FakeMicrosoft.event_delete),
    (("POST", r"/subscriptions"), FakeMicrosoft.subscription_create),
    (("PATCH", rf"/subscriptions/{_ID}"), FakeMicrosoft.subscription_patch),
    (("DELETE", rf"/subscriptions/{_ID}"), FakeMicrosoft.subscription_delete),
]


def _handler(fake: FakeMicrosoft) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(parts.query).items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            content_type = self.headers.get("Content-Type", "")
            body: Any = None
            if raw and content_type.startswith("application/x-www-form-urlencoded"):
                body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            elif raw:
                body = json.loads(raw)
            json_needed = self.command in ("POST", "PATCH") and parts.path.startswith(GRAPH)
            if json_needed and not content_type.startswith("application/json"):
                return self._send(graph_error(415, "UnsupportedMediaType", "JSON expected"))
            request = Request(
                method=self.command,
                path=unquote(parts.path),
                query=query,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body if body is not None else {},
            )
            try:
                reply = fake.handle(request)
            except Reply as raised:
                reply = raised
            self._send(reply)

        def _send(self, reply: Reply) -> None:
            payload = b"" if reply.body is None else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if payload:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PATCH = do_DELETE = _serve  # noqa: N815 - http.server's names

    return Handler


def fake_microsoft_serve() -> Iterator[FakeMicrosoft]:
    """Start the fake on a free port; yields it, stops it afterwards (for a fixture)."""
    fake = FakeMicrosoft()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
