"""A fake Google (OAuth endpoints and Calendar API v3) on 127.0.0.1, for contract tests.

Written from the documented shapes (docs/../shared/reference/integrations.md §1 and Google's
API reference), not from our adapter: it checks methods, paths, required parameters, bodies
and bearer tokens, keeps calendars and events in memory, and answers with Google's bodies
and error codes. Switches inject what real accounts do: tokens expiring mid-flow, grants
revoked, rate limits with ``Retry-After``, Meet links that stay ``pending`` for a while,
sync tokens that expire (``410``), calendars that vanish.

ID tokens carry real claims but a dummy signature: the adapter reads them straight from the
token endpoint, where OpenID Connect lets a client rely on TLS instead of the signature.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import json
import re
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

SCOPE_PREFIX = "https://www.googleapis.com/auth/"
EVENT_ID = re.compile(r"^[a-v0-9]{5,1024}$")
MEET_URL = re.compile(r"https://meet\.google\.com/[a-z]{3}-[a-z]{4}-[a-z]{3}")
MAX_FREEBUSY_DAYS = 90
MAX_FREEBUSY_CALENDARS = 50


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    headers: dict[str, str]
    status: int = 0

    def param(self, name: str) -> str:
        return self.query.get(name, [""])[0]


@dataclass
class Failure:
    status: int
    reason: str
    message: str
    headers: dict[str, str]
    path: str
    method: str


@dataclass
class Calendar:
    id: str
    owner: str
    summary: str
    primary: bool = False
    readers: set[str] = field(default_factory=set)
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Per-calendar freeBusy error reason to report instead of busy time (e.g. internalError).
    freebusy_error: str = ""


@dataclass
class Answer:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


def _when(value: dict[str, Any]) -> datetime:
    if "dateTime" in value:
        return datetime.fromisoformat(str(value["dateTime"]).replace("Z", "+00:00"))
    return datetime.fromisoformat(str(value["date"])).replace(tzinfo=UTC)


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def api_error(status: int, reason: str, message: str, domain: str = "global") -> dict[str, Any]:
    return {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"domain": domain, "reason": reason, "message": message}],
        }
    }


class FakeGoogle:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.base_url = ""
        self.clients: dict[str, str] = {}
        self.calendars: dict[str, Calendar] = {}
        self.requests: list[Recorded] = []
        self.failures: list[Failure] = []
        # What the consent screen grants: None = everything asked for.
        self.consent_scopes: list[str] | None = None
        # Scope a refresh answers with from now on (the account narrowed the grant).
        self.refresh_scope: str | None = None
        # How many reads of a new Meet request still see "pending"; fail it instead.
        self.meet_pending_reads = 0
        self.meet_fails = False
        self.page_size = 250
        self._codes: dict[str, dict[str, Any]] = {}
        self._access: dict[str, dict[str, Any]] = {}
        self._refresh: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self._clock = itertools.count(1)
        self._invalid_sync_before = 0

    # --- switches and helpers for tests ------------------------------------------------------

    def client_add(self, client_id: str, client_secret: str) -> None:
        self.clients[client_id] = client_secret

    def account_add(self, email: str) -> Calendar:
        calendar = Calendar(id=email, owner=email, summary=email, primary=True)
        self.calendars[email] = calendar
        return calendar

    def calendar_add(self, calendar_id: str, *, owner: str, summary: str) -> Calendar:
        self.calendars[calendar_id] = Calendar(id=calendar_id, owner=owner, summary=summary)
        return self.calendars[calendar_id]

    def event_add(self, calendar_id: str, start: datetime, end: datetime, summary: str) -> str:
        """An event someone made in Google's own app."""
        with self.lock:
            event_id = secrets.token_hex(8)
            self._event_store(
                self.calendars[calendar_id],
                {
                    "id": event_id,
                    "summary": summary,
                    "start": {"dateTime": _rfc3339(start)},
                    "end": {"dateTime": _rfc3339(end)},
                },
                new=True,
            )
            return event_id

    def tokens_issue(self, *, client_id: str, email: str, scope: str) -> dict[str, Any]:
        """Tokens as if the person had consented earlier (skips the browser dance)."""
        with self.lock:
            return self._tokens_issue(client_id=client_id, email=email, scope=scope)

    def expire_access_tokens(self) -> None:
        with self.lock:
            for token in self._access.values():
                token["expires_at"] = 0.0

    def revoke_account(self, email: str) -> None:
        """The person removed HireSlot's access in their Google account settings."""
        with self.lock:
            for record in [*self._refresh.values(), *self._access.values()]:
                if record["email"] == email:
                    record["revoked"] = True

    def fail_next(
        self,
        status: int,
        reason: str,
        message: str = "",
        *,
        headers: dict[str, str] | None = None,
        path: str = "",
        method: str = "",
        times: int = 1,
    ) -> None:
        failure = Failure(status, reason, message or reason, headers or {}, path, method)
        self.failures.extend([failure] * times)

    def sync_tokens_expire(self) -> None:
        with self.lock:
            self._invalid_sync_before = next(self._clock)

    def notification_headers(self, channel_id: str, state: str = "exists") -> dict[str, str]:
        channel = self._channels[channel_id]
        return {
            "X-Goog-Channel-ID": channel_id,
            "X-Goog-Channel-Token": channel.get("token", ""),
            "X-Goog-Resource-ID": channel["resourceId"],
            "X-Goog-Resource-State": state,
            "X-Goog-Message-Number": "1",
            "X-Goog-Channel-Expiration": "Tue, 10 Mar 2026 12:00:00 GMT",
        }

    def live_channels(self) -> list[str]:
        return [key for key, channel in self._channels.items() if not channel.get("stopped")]

    def calls(self, method: str, path_part: str) -> list[Recorded]:
        return [r for r in self.requests if r.method == method and path_part in r.path]

    def events_of(self, calendar_id: str) -> list[dict[str, Any]]:
        return [
            self._public(event)
            for event in self.calendars[calendar_id].events.values()
            if event["status"] != "cancelled"
        ]

    # --- OAuth ---------------------------------------------------------------------------------

    def _tokens_issue(self, *, client_id: str, email: str, scope: str) -> dict[str, Any]:
        refresh = "1//" + secrets.token_urlsafe(24)
        self._refresh[refresh] = {
            "client_id": client_id,
            "email": email,
            "scope": scope,
            "revoked": False,
        }
        return {"refresh_token": refresh, **self._access_issue(refresh)}

    def _access_issue(self, refresh: str) -> dict[str, Any]:
        grant = self._refresh[refresh]
        token = "ya29." + secrets.token_urlsafe(24)
        scope = self.refresh_scope if self.refresh_scope is not None else grant["scope"]
        grant["scope"] = scope
        self._access[token] = {
            "email": grant["email"],
            "refresh": refresh,
            "scope": scope,
            "expires_at": time.time() + 3599,
            "revoked": False,
        }
        return {"access_token": token, "expires_in": 3599, "scope": scope, "token_type": "Bearer"}

    def authorize(self, query: dict[str, list[str]]) -> Answer:
        params = {key: values[0] for key, values in query.items()}
        for name in ("client_id", "redirect_uri", "response_type", "scope", "state"):
            if not params.get(name):
                return Answer(400, {"error": "invalid_request", "error_description": name})
        if params["client_id"] not in self.clients or params["response_type"] != "code":
            return Answer(400, {"error": "invalid_request"})
        if params.get("code_challenge") and params.get("code_challenge_method") != "S256":
            return Answer(400, {"error": "invalid_request", "error_description": "PKCE"})
        asked = params["scope"].split()
        granted = [s for s in asked if self.consent_scopes is None or s in self.consent_scopes]
        # Google answers with full scope URLs; "email" comes back as userinfo.email.
        full = [
            SCOPE_PREFIX + "userinfo.email" if s == "email" else s
            for s in ["openid", *[s for s in granted if s != "openid"]]
        ]
        code = "4/" + secrets.token_urlsafe(16)
        self._codes[code] = {
            "client_id": params["client_id"],
            "redirect_uri": params["redirect_uri"],
            "challenge": params.get("code_challenge", ""),
            "email": params.get("login_hint") or next(iter(self.calendars)),
            "scope": " ".join(full),
            "offline": params.get("access_type") == "offline",
        }
        location = f"{params['redirect_uri']}?{urlencode({'code': code, 'state': params['state']})}"
        return Answer(302, None, {"Location": location})

    def token(self, form: dict[str, str]) -> Answer:
        client_id = form.get("client_id", "")
        if self.clients.get(client_id) != form.get("client_secret") or not client_id:
            return Answer(401, {"error": "invalid_client", "error_description": "Unauthorized"})
        bad = Answer(400, {"error": "invalid_grant", "error_description": "Bad Request"})
        if form.get("grant_type") == "authorization_code":
            code = self._codes.pop(form.get("code", ""), None)
            if code is None or code["client_id"] != client_id:
                return bad
            if code["redirect_uri"] != form.get("redirect_uri"):
                return Answer(400, {"error": "redirect_uri_mismatch"})
            verifier = form.get("code_verifier", "")
            if code["challenge"] != _b64url(hashlib.sha256(verifier.encode()).digest()):
                return Answer(400, {"error": "invalid_grant", "error_description": "code_verifier"})
            tokens = self._tokens_issue(
                client_id=client_id, email=code["email"], scope=code["scope"]
            )
            if not code["offline"]:
                tokens.pop("refresh_token")
            now = int(time.time())
            claims = {
                "iss": "https://accounts.google.com",
                "aud": client_id,
                "azp": client_id,
                "sub": hashlib.sha256(code["email"].encode()).hexdigest()[:21],
                "email": code["email"],
                "email_verified": True,
                "iat": now,
                "exp": now + 3600,
            }
            header = {"alg": "RS256", "kid": "fake", "typ": "JWT"}
            tokens["id_token"] = ".".join(
                [
                    _b64url(json.dumps(header).encode()),
                    _b64url(json.dumps(claims).encode()),
                    _b64url(secrets.token_bytes(64)),
                ]
            )
            return Answer(200, tokens)
        if form.get("grant_type") == "refresh_token":
            grant = self._refresh.get(form.get("refresh_token", ""))
            if grant is None or grant["revoked"] or grant["client_id"] != client_id:
                return Answer(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                )
            return Answer(200, self._access_issue(form["refresh_token"]))
        return Answer(400, {"error": "unsupported_grant_type"})

    def revoke(self, token: str) -> Answer:
        record = self._refresh.get(token) or self._access.get(token)
        if not token or record is None or record["revoked"]:
            return Answer(
                400, {"error": "invalid_token", "error_description": "Token expired or revoked"}
            )
        refresh = token if token in self._refresh else record["refresh"]
        self._refresh[refresh]["revoked"] = True
        for access in self._access.values():
            if access["refresh"] == refresh:
                access["revoked"] = True
        return Answer(200, {})

    # --- Calendar API ------------------------------------------------------------------------

    def _account(self, headers: dict[str, str]) -> str | None:
        auth = headers.get("authorization", "")
        record = (
            self._access.get(auth.removeprefix("Bearer ")) if auth.startswith("Bearer ") else None
        )
        if record is None or record["revoked"] or record["expires_at"] <= time.time():
            return None
        return str(record["email"])

    def _scope_allows(self, headers: dict[str, str], method: str, path: str) -> bool:
        """The scopes each method accepts, per the API reference."""
        token = headers["authorization"].removeprefix("Bearer ")
        granted = {s.removeprefix(SCOPE_PREFIX) for s in self._access[token]["scope"].split()}
        if path == "/freeBusy":
            accepted = {"calendar", "calendar.readonly", "calendar.freebusy"}
            accepted.add("calendar.events.freebusy")
        elif path.startswith("/users/me/calendarList"):
            accepted = {"calendar", "calendar.readonly", "calendar.calendarlist"}
            accepted.add("calendar.calendarlist.readonly")
        elif method == "GET":
            accepted = {"calendar", "calendar.readonly", "calendar.events"}
        else:
            accepted = {"calendar", "calendar.events"}
        return bool(granted & accepted)

    def _calendar(self, account: str, calendar_id: str) -> Calendar | None:
        if calendar_id == "primary":
            calendar_id = account
        calendar = self.calendars.get(calendar_id)
        if calendar is None or (calendar.owner != account and account not in calendar.readers):
            return None
        return calendar

    def _public(self, event: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in event.items() if not key.startswith("_")}

    def _event_store(self, calendar: Calendar, event: dict[str, Any], *, new: bool) -> None:
        stamp = next(self._clock)
        now = _rfc3339(datetime.now(UTC))
        if new:
            event = {
                "kind": "calendar#event",
                "status": "confirmed",
                "created": now,
                "iCalUID": f"{event['id']}@google.com",
                "sequence": 0,
                "organizer": {"email": calendar.id, "self": True},
                **event,
            }
        event.update(etag=f'"{stamp}"', updated=now, _changed=stamp)
        calendar.events[event["id"]] = event

    def _conference_set(self, event: dict[str, Any], conference: dict[str, Any]) -> Answer | None:
        """Either a request for a new conference, or a copy of an existing one (its solution
        and at least one entry point, all of the same conference), as the reference says."""
        if conference.get("createRequest"):
            self._meet_request(event, conference)
            return None
        solution = ((conference.get("conferenceSolution") or {}).get("key") or {}).get("type")
        points = conference.get("entryPoints") or []
        video = [p for p in points if p.get("entryPointType") == "video"]
        if solution != "hangoutsMeet" or not points or any(not p.get("uri") for p in points):
            return Answer(400, api_error(400, "invalid", "Invalid conference data."))
        if len(video) != 1 or not MEET_URL.fullmatch(video[0]["uri"]):
            return Answer(400, api_error(400, "invalid", "Invalid conference entry point."))
        event["conferenceData"] = {
            "conferenceId": conference.get("conferenceId") or video[0]["uri"].rsplit("/", 1)[1],
            "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
            "entryPoints": points,
        }
        event["hangoutLink"] = video[0]["uri"]
        return None

    def _meet_request(self, event: dict[str, Any], conference: dict[str, Any]) -> None:
        request = conference.get("createRequest") or {}
        if not request.get("requestId"):
            return
        current = (event.get("conferenceData") or {}).get("createRequest") or {}
        if current.get("requestId") == request["requestId"]:
            return  # a repeated requestId is ignored
        event["conferenceData"] = {
            "createRequest": {**request, "status": {"statusCode": "pending"}},
        }
        event["_meet_reads"] = self.meet_pending_reads
        self._meet_advance(event)

    def _meet_advance(self, event: dict[str, Any]) -> None:
        conference = event.get("conferenceData") or {}
        status = conference.get("createRequest", {}).get("status", {})
        if status.get("statusCode") != "pending":
            return
        if event["_meet_reads"] > 0:
            event["_meet_reads"] -= 1
            return
        if self.meet_fails:
            status["statusCode"] = "failure"
            return
        status["statusCode"] = "success"
        # Each conference its own code (events of one UID on two calendars get two Meets).
        code = "-".join(
            "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(size))
            for size in (3, 4, 3)
        )
        conference["conferenceId"] = code
        conference["conferenceSolution"] = {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"}
        conference["entryPoints"] = [
            {"entryPointType": "video", "uri": f"https://meet.google.com/{code}", "label": code}
        ]
        event["hangoutLink"] = f"https://meet.google.com/{code}"

    def api(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        body: Any,
        headers: dict[str, str],
    ) -> Answer:
        account = self._account(headers)
        if account is None:
            return Answer(401, api_error(401, "authError", "Invalid Credentials"))
        if not self._scope_allows(headers, method, path):
            error = api_error(403, "insufficientPermissions", "Insufficient Permission")
            return Answer(403, error)
        for failure in self.failures:
            if failure.path in path and failure.method in ("", method):
                self.failures.remove(failure)
                error = api_error(failure.status, failure.reason, failure.message, "usageLimits")
                return Answer(failure.status, error, failure.headers)
        param = {key: values[0] for key, values in query.items()}
        parts = [unquote(part) for part in path.split("/")[1:]]
        if method == "POST" and parts == ["freeBusy"]:
            return self._freebusy(account, body)
        if method == "GET" and parts == ["users", "me", "calendarList"]:
            items = [
                {
                    "kind": "calendar#calendarListEntry",
                    "id": c.id,
                    "summary": c.summary,
                    "accessRole": "owner" if c.owner == account else "reader",
                    **({"primary": True} if c.primary and c.owner == account else {}),
                }
                for c in self.calendars.values()
                if c.owner == account or account in c.readers
            ]
            return self._page({"kind": "calendar#calendarList"}, items, param)
        if method == "POST" and parts == ["channels", "stop"]:
            channel = self._channels.get(str(body.get("id")))
            if (
                channel is None
                or channel["resourceId"] != body.get("resourceId")
                or channel.get("stopped")
            ):
                return Answer(
                    404,
                    api_error(404, "notFound", f"Channel '{body.get('id')}' not found for project"),
                )
            channel["stopped"] = True
            return Answer(204)
        if len(parts) < 3 or parts[0] != "calendars" or parts[2] != "events":
            return Answer(404, api_error(404, "notFound", "Not Found"))
        calendar = self._calendar(account, parts[1])
        if calendar is None:
            return Answer(404, api_error(404, "notFound", "Not Found"))
        if param.get("sendUpdates", "none") not in ("all", "externalOnly", "none"):
            return Answer(400, api_error(400, "invalid", "Invalid sendUpdates value"))
        conference = param.get("conferenceDataVersion") == "1"
        if len(parts) == 3 and method == "POST":
            return self._insert(calendar, body, conference)
        if len(parts) == 3 and method == "GET":
            return self._list(calendar, query)
        if parts[3:] == ["watch"] and method == "POST":
            return self._watch(calendar, body)
        event = calendar.events.get(parts[3]) if len(parts) == 4 else None
        if event is None:
            return Answer(404, api_error(404, "notFound", "Not Found"))
        if method == "GET":
            self._meet_advance(event)
            return Answer(200, self._public(event))
        if method == "DELETE":
            if event["status"] == "cancelled":
                return Answer(410, api_error(410, "deleted", "Resource has been deleted"))
            event["status"] = "cancelled"
            self._event_store(calendar, event, new=False)
            return Answer(204)
        if method == "PATCH":
            match = headers.get("if-match")
            if match and match != event["etag"]:
                return Answer(412, api_error(412, "conditionNotMet", "Precondition Failed"))
            for key, value in body.items():
                if key == "extendedProperties":
                    for scope, values in value.items():
                        merged = {**event.get(key, {}).get(scope, {}), **values}
                        event.setdefault(key, {})[scope] = {
                            k: v for k, v in merged.items() if v is not None
                        }
                elif key == "conferenceData":
                    if conference:
                        refused = self._conference_set(event, value)
                        if refused is not None:
                            return refused
                elif key not in ("id", "etag", "kind"):
                    if key in ("start", "end") and value != event.get(key):
                        event["sequence"] += 1
                    event[key] = value
            self._event_store(calendar, event, new=False)
            return Answer(200, self._public(event))
        return Answer(405, api_error(405, "methodNotAllowed", "Method not allowed"))

    def _insert(self, calendar: Calendar, body: dict[str, Any], conference: bool) -> Answer:
        if "start" not in body or "end" not in body:
            return Answer(400, api_error(400, "required", "Missing end time."))
        event_id = str(body.get("id") or secrets.token_hex(10))
        if not EVENT_ID.match(event_id):
            return Answer(400, api_error(400, "invalid", "Invalid resource id value."))
        if event_id in calendar.events:
            return Answer(
                409, api_error(409, "duplicate", "The requested identifier already exists.")
            )
        if conference and "conferenceData" in body:
            refused = self._conference_set({}, body["conferenceData"])
            if refused is not None:
                return refused
        event = {key: value for key, value in body.items() if key != "conferenceData"}
        event["id"] = event_id
        self._event_store(calendar, event, new=True)
        stored = calendar.events[event_id]
        if conference and "conferenceData" in body:
            self._conference_set(stored, body["conferenceData"])
        return Answer(200, self._public(stored))

    def _list(self, calendar: Calendar, query: dict[str, list[str]]) -> Answer:
        param = {key: values[0] for key, values in query.items()}
        sync = param.get("syncToken")
        if sync and any(
            name in param
            for name in (
                "timeMin",
                "timeMax",
                "q",
                "orderBy",
                "iCalUID",
                "privateExtendedProperty",
                "sharedExtendedProperty",
                "updatedMin",
            )
        ):
            return Answer(
                400,
                api_error(400, "invalid", "Sync token cannot be used with other query parameters."),
            )
        events = sorted(calendar.events.values(), key=lambda event: event["_changed"])
        if sync:
            prefix, _, since = sync.rpartition("-")
            if (
                prefix != f"sync-{calendar.id}"
                or not since.isdigit()
                or int(since) < self._invalid_sync_before
            ):
                return Answer(
                    410,
                    api_error(
                        410,
                        "fullSyncRequired",
                        "Sync token is no longer valid, a full sync is required.",
                    ),
                )
            events = [event for event in events if event["_changed"] > int(since)]
        elif param.get("showDeleted") != "true":
            events = [event for event in events if event["status"] != "cancelled"]
        if "timeMin" in param:
            low = datetime.fromisoformat(param["timeMin"].replace("Z", "+00:00"))
            events = [event for event in events if _when(event["end"]) > low]
        if "timeMax" in param:
            high = datetime.fromisoformat(param["timeMax"].replace("Z", "+00:00"))
            events = [event for event in events if _when(event["start"]) < high]
        for pair in query.get("privateExtendedProperty", []):
            key, _, value = pair.partition("=")
            events = [
                e
                for e in events
                if e.get("extendedProperties", {}).get("private", {}).get(key) == value
            ]
        # A token names the moment of this listing: later changes get higher stamps.
        token = f"sync-{calendar.id}-{next(self._clock)}"
        return self._page(
            {"kind": "calendar#events", "summary": calendar.summary},
            [self._public(e) for e in events],
            param,
            sync_token=token,
        )

    def _page(
        self,
        head: dict[str, Any],
        items: list[dict[str, Any]],
        param: dict[str, str],
        sync_token: str = "",
    ) -> Answer:
        size = min(int(param.get("maxResults", 250)), self.page_size)
        offset = int(param.get("pageToken") or 0)
        page = {**head, "items": items[offset : offset + size]}
        if offset + size < len(items):
            page["nextPageToken"] = str(offset + size)
        elif sync_token:
            page["nextSyncToken"] = sync_token
        return Answer(200, page)

    def _freebusy(self, account: str, body: dict[str, Any]) -> Answer:
        try:
            low, high = (
                datetime.fromisoformat(str(body[k]).replace("Z", "+00:00"))
                for k in ("timeMin", "timeMax")
            )
        except (KeyError, ValueError):
            return Answer(400, api_error(400, "invalid", "Bad Request"))
        if high <= low:
            return Answer(
                400, api_error(400, "timeRangeEmpty", "The specified time range is empty.")
            )
        if high - low > timedelta(days=MAX_FREEBUSY_DAYS):
            return Answer(400, api_error(400, "invalid", "The requested time range is too long."))
        calendars: dict[str, Any] = {}
        for index, item in enumerate(body.get("items") or []):
            calendar = self._calendar(account, str(item.get("id")))
            if index >= MAX_FREEBUSY_CALENDARS:
                calendars[item["id"]] = {
                    "busy": [],
                    "errors": [{"domain": "calendar", "reason": "tooManyCalendarsRequested"}],
                }
            elif calendar is None:
                calendars[item["id"]] = {
                    "busy": [],
                    "errors": [{"domain": "global", "reason": "notFound"}],
                }
            elif calendar.freebusy_error:
                calendars[item["id"]] = {
                    "busy": [],
                    "errors": [{"domain": "global", "reason": calendar.freebusy_error}],
                }
            else:
                spans = sorted(
                    (max(_when(e["start"]), low), min(_when(e["end"]), high))
                    for e in calendar.events.values()
                    if e["status"] != "cancelled"
                    and e.get("transparency") != "transparent"
                    and _when(e["start"]) < high
                    and _when(e["end"]) > low
                )
                merged: list[list[datetime]] = []
                for start, end in spans:
                    if merged and start <= merged[-1][1]:
                        merged[-1][1] = max(merged[-1][1], end)
                    else:
                        merged.append([start, end])
                calendars[item["id"]] = {
                    "busy": [{"start": _rfc3339(s), "end": _rfc3339(e)} for s, e in merged]
                }
        return Answer(
            200,
            {
                "kind": "calendar#freeBusy",
                "timeMin": body["timeMin"],
                "timeMax": body["timeMax"],
                "calendars": calendars,
            },
        )

    def _watch(self, calendar: Calendar, body: dict[str, Any]) -> Answer:
        if not body.get("id") or body.get("type") != "web_hook":
            return Answer(400, api_error(400, "invalid", "Invalid channel"))
        if not str(body.get("address", "")).startswith("https://"):
            return Answer(
                400, api_error(400, "push.webhookUrlNotHttps", "WebHook callback must be HTTPS")
            )
        if body["id"] in self._channels:
            return Answer(400, api_error(400, "channelIdNotUnique", "Channel id not unique"))
        ttl = int((body.get("params") or {}).get("ttl", 604800))
        channel = {
            "kind": "api#channel",
            "id": body["id"],
            "resourceId": hashlib.sha256(calendar.id.encode()).hexdigest()[:27],
            "resourceUri": f"{self.base_url}/calendar/v3/calendars/{calendar.id}/events?alt=json",
            "token": body.get("token", ""),
            "expiration": str(int((time.time() + ttl) * 1000)),
        }
        self._channels[body["id"]] = channel
        return Answer(200, channel)

    # --- HTTP ------------------------------------------------------------------------------------

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(request.path)
        query = parse_qs(url.query)
        length = int(request.headers.get("Content-Length") or 0)
        raw = request.rfile.read(length).decode() if length else ""
        kind = request.headers.get("Content-Type", "")
        body: Any = {}
        if raw and kind.startswith("application/json"):
            body = json.loads(raw)
        elif raw:
            body = {key: values[0] for key, values in parse_qs(raw).items()}
        headers = {key.lower(): value for key, value in request.headers.items()}
        with self.lock:
            record = Recorded(method, url.path, query, body, headers)
            self.requests.append(record)
            if url.path == "/o/oauth2/v2/auth" and method == "GET":
                answer = self.authorize(query)
            elif url.path == "/token" and method == "POST":
                answer = self.token(body if isinstance(body, dict) else {})
            elif url.path == "/revoke" and method == "POST":
                answer = self.revoke(query.get("token", [""])[0] or body.get("token", ""))
            elif url.path.startswith("/calendar/v3/"):
                answer = self.api(
                    method, url.path.removeprefix("/calendar/v3"), query, body, headers
                )
            else:
                answer = Answer(404, api_error(404, "notFound", "Not Found"))
            record.status = answer.status
        payload = (
            b"" if answer.body is None or answer.status == 204 else json.dumps(answer.body).encode()
        )
        request.send_response(answer.status)
        for name, value in answer.headers.items():
            request.send_header(name, value)
        if payload:
            request.send_header("Content-Type", "application/json; charset=UTF-8")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        request.wfile.write(payload)


@contextmanager
def fake_google_running() -> Iterator[FakeGoogle]:
    fake = FakeGoogle()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            fake.handle(self, "GET")

        def do_POST(self) -> None:
            fake.handle(self, "POST")

        def do_PATCH(self) -> None:
            fake.handle(self, "PATCH")

        def do_DELETE(self) -> None:
            fake.handle(self, "DELETE")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
