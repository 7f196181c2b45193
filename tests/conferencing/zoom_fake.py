"""A fake Zoom on 127.0.0.1, written from Zoom's documented request and response shapes,
not from our adapter (the integrations reference, section 3): the OAuth pages of zoom.us and
the meetings part of api.zoom.us/v2.

One HTTP server plays both hosts: ``/oauth/authorize`` and ``/oauth/token`` (zoom.us) and
``/v2/...`` (api.zoom.us). It checks what Zoom checks (Basic client auth on the token
endpoint, the redirect URI, PKCE, bearer tokens, required meeting fields) and answers the way
Zoom does, including the quirks an adapter must survive:

- every refresh returns a new refresh token and retires the old one (reusing it is refused);
- ``PATCH /meetings/{id}`` answers 204 with no body;
- a missing meeting is ``404 {"code": 3001}``;
- API errors are ``{code, message}``, token errors ``{reason, error}``.

Switches let a test break things on purpose: ``expire_access_tokens``, ``revoke``,
``fail_next`` (e.g. a 429 with ``Retry-After``) and ``delay_seconds``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit
from zoneinfo import ZoneInfo

ACCESS_TOKEN_SECONDS = 3599  # what Zoom sends as expires_in
CODE_SECONDS = 300  # authorization codes live five minutes and are single-use
SCOPE = "meeting:read:meeting meeting:write:meeting meeting:update:meeting meeting:delete:meeting"
# Zoom takes start_time as yyyy-MM-ddTHH:mm:ss, with Z for UTC and without it for `timezone`.
START_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z?)$")


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class Injected:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class ZoomFake:
    """State of one fake Zoom: one OAuth app and one user who consents when asked."""

    def __init__(
        self,
        *,
        client_id: str = "zoom-client-id",
        client_secret: str = "zoom-client-secret",
        redirect_uri: str = "https://hireslot.test/settings/zoom/callback",
        email: str = "grace@example.com",
        user_time_zone: str = "America/Los_Angeles",
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = redirect_uri
        self.email = email
        self.user_time_zone = user_time_zone
        self.user_id = "KDcuGIm1QgePTO8WbOqwIQ"
        self.lock = threading.Lock()
        self.codes: dict[str, tuple[str, str, float]] = {}  # code -> (redirect, challenge, exp)
        self.access_tokens: dict[str, float] = {}  # token -> expires at
        self.refresh_tokens: set[str] = set()  # the live ones
        self.retired_refresh_tokens: set[str] = set()
        self.meetings: dict[int, dict[str, Any]] = {}
        self.requests: list[Recorded] = []
        self.failures: deque[Injected] = deque()
        # How Zoom words a refused refresh token; forum reports show both shapes [?].
        self.refused_refresh_error = "invalid_request"
        self.delay_seconds = 0.0
        self._server: ThreadingHTTPServer | None = None

    # --- switches -------------------------------------------------------------------------

    def expire_access_tokens(self) -> None:
        """Zoom stops accepting every access token handed out so far (time passed)."""
        with self.lock:
            for token in self.access_tokens:
                self.access_tokens[token] = 0.0

    def revoke(self) -> None:
        """The user removed the app in Zoom: every token is dead."""
        with self.lock:
            self.access_tokens.clear()
            self.retired_refresh_tokens |= self.refresh_tokens
            self.refresh_tokens.clear()

    def fail_next(
        self, status: int, body: dict[str, Any], *, headers: dict[str, str] | None = None
    ) -> None:
        """The next API call (after its token is checked) gets this answer instead."""
        with self.lock:
            self.failures.append(Injected(status, body, dict(headers or {})))

    def grant(self) -> dict[str, Any]:
        """Tokens as if the user had just connected (for tests that start connected)."""
        with self.lock:
            return self._issue()

    # --- server ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the fake first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def authorize_url(self) -> str:
        return f"{self.base_url}/oauth/authorize"

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/oauth/token"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/v2"

    def start(self) -> ZoomFake:
        fake = self

        class Handler(_Handler):
            zoom = fake

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.block_on_close = False
        self._server = server
        threading.Thread(
            target=server.serve_forever, args=(0.05,), name="zoom-fake", daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def api_calls(self, method: str | None = None) -> list[Recorded]:
        with self.lock:
            return [
                r
                for r in self.requests
                if r.path.startswith("/v2/") and (method is None or r.method == method)
            ]

    # --- behaviour (called with the lock held) ----------------------------------------------

    def _issue(self) -> dict[str, Any]:
        access = "zat_" + secrets.token_urlsafe(24)
        refresh = "zrt_" + secrets.token_urlsafe(24)
        self.access_tokens[access] = time.time() + ACCESS_TOKEN_SECONDS
        self.refresh_tokens.add(refresh)
        return {
            "access_token": access,
            "token_type": "bearer",
            "refresh_token": refresh,
            "expires_in": ACCESS_TOKEN_SECONDS,
            "scope": SCOPE,
        }

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        if query.get("response_type") != "code" or query.get("client_id") != self.client_id:
            return (
                400,
                {"Content-Type": "text/html"},
                b"<h1>Invalid client_id or response_type</h1>",
            )
        if query.get("redirect_uri") != self.redirect_uri:
            return 400, {"Content-Type": "text/html"}, b"<h1>Redirect URI mismatch (4709)</h1>"
        challenge = query.get("code_challenge", "")
        if challenge and query.get("code_challenge_method", "plain") != "S256":
            return 400, {"Content-Type": "text/html"}, b"<h1>Unsupported code_challenge_method</h1>"
        # The user consents at once; Zoom then redirects back with the code and the state.
        code = secrets.token_urlsafe(16)
        self.codes[code] = (self.redirect_uri, challenge, time.time() + CODE_SECONDS)
        back = {"code": code}
        if "state" in query:
            back["state"] = query["state"]
        return 302, {"Location": f"{self.redirect_uri}?{urlencode(back)}"}, b""

    def token(self, headers: dict[str, str], form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if headers.get("authorization") != f"Basic {expected}":
            return 401, {"reason": "Invalid client_id or client_secret", "error": "invalid_client"}
        grant_type = form.get("grant_type", "")
        if grant_type == "authorization_code":
            entry = self.codes.pop(form.get("code", ""), None)
            if entry is None or entry[2] < time.time():
                return 400, {"reason": "Invalid authorization code", "error": "invalid_request"}
            redirect_uri, challenge, _ = entry
            if form.get("redirect_uri") != redirect_uri:
                return 400, {"reason": "Redirect URI mismatch.", "error": "invalid_request"}
            if challenge:
                verifier = form.get("code_verifier", "")
                digest = hashlib.sha256(verifier.encode("ascii")).digest()
                if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != challenge:
                    return 400, {"reason": "Invalid code_verifier", "error": "invalid_request"}
            return 200, self._issue()
        if grant_type == "refresh_token":
            refresh = form.get("refresh_token", "")
            if refresh not in self.refresh_tokens:
                return 400, {"reason": "Invalid Token!", "error": self.refused_refresh_error}
            # Rotation: the old refresh token is spent the moment a new one is issued.
            self.refresh_tokens.discard(refresh)
            self.retired_refresh_tokens.add(refresh)
            return 200, self._issue()
        return 400, {"reason": "Unsupported grant type", "error": "unsupported_grant_type"}

    def api(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: Any
    ) -> tuple[int, dict[str, str], Any]:
        if "access_token" in query:
            return (
                401,
                {},
                _error(
                    124,
                    "Invalid access token, this access token is not supported as query parameter",
                ),
            )
        authorization = headers.get("authorization", "")
        token = authorization.removeprefix("Bearer ") if authorization.startswith("Bearer ") else ""
        if token not in self.access_tokens:
            return 401, {}, _error(124, "Invalid access token.")
        if self.access_tokens[token] < time.time():
            return 401, {}, _error(124, "Access token is expired.")
        if self.failures:
            failure = self.failures.popleft()
            return failure.status, failure.headers, failure.body
        if path == "/v2/users/me" and method == "GET":
            return 200, {}, self._user()
        if path == "/v2/users/me/meetings" and method == "POST":
            return self._meeting_create(body)
        found = re.fullmatch(r"/v2/meetings/(\d+)", path)
        if found:
            meeting_id = int(found.group(1))
            meeting = self.meetings.get(meeting_id)
            if meeting is None and method in ("GET", "PATCH", "DELETE"):
                return 404, {}, _error(3001, f"Meeting does not exist: {meeting_id}.")
            if meeting is not None and method == "GET":
                return 200, {}, dict(meeting)
            if meeting is not None and method == "PATCH":
                return self._meeting_patch(meeting, body)
            if meeting is not None and method == "DELETE":
                for flag in ("schedule_for_reminder", "cancel_meeting_reminder"):
                    if query.get(flag, "false") not in ("true", "false"):
                        return 400, {}, _error(300, f"Invalid field: {flag}.")
                del self.meetings[meeting_id]
                return 204, {}, None
        return 404, {}, _error(404, "Not found.")

    def _user(self) -> dict[str, Any]:
        return {
            "id": self.user_id,
            "first_name": "Grace",
            "last_name": "Hopper",
            "email": self.email,
            "type": 2,
            "timezone": self.user_time_zone,
            "status": "active",
        }

    def _fields_check(self, body: Any, *, create: bool) -> str:
        """Zoom's validation of meeting fields; an error message, or "" when fine."""
        if not isinstance(body, dict):
            return "Request Body should be a valid JSON object."
        if create and not isinstance(body.get("topic"), str):
            return "topic is required."
        if "topic" in body and (not isinstance(body["topic"], str) or len(body["topic"]) > 200):
            return "Invalid field: topic."
        if "type" in body and body["type"] not in (1, 2, 3, 8):
            return "Invalid field: type."
        start_time = body.get("start_time")
        needs_start = body.get("type", 2) == 2 and (create or "start_time" in body)
        if needs_start and not (isinstance(start_time, str) and START_TIME.match(start_time)):
            return "Invalid field: start_time."
        if "duration" in body and (
            not isinstance(body["duration"], int)
            or isinstance(body["duration"], bool)
            or body["duration"] <= 0
        ):
            return "Invalid field: duration."
        if "timezone" in body:
            try:
                ZoneInfo(str(body["timezone"]))
            except (KeyError, ValueError):
                return "Invalid field: timezone."
        if "agenda" in body and (not isinstance(body["agenda"], str) or len(body["agenda"]) > 2000):
            return "Invalid field: agenda."
        if "settings" in body and not isinstance(body["settings"], dict):
            return "Invalid field: settings."
        return ""

    def _start_utc(self, start_time: str, time_zone: str) -> str:
        """Zoom's rule: with Z the time is UTC, without it local to ``timezone``."""
        if start_time.endswith("Z"):
            return start_time
        local = datetime.fromisoformat(start_time).replace(tzinfo=ZoneInfo(time_zone))
        return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def _meeting_create(self, body: Any) -> tuple[int, dict[str, str], Any]:
        problem = self._fields_check(body, create=True)
        if problem:
            return 400, {}, _error(300, problem)
        meeting_id = secrets.randbelow(9 * 10**10) + 10**10  # 11 digits, beyond int32
        password = secrets.token_hex(3)
        time_zone = str(body.get("timezone") or self.user_time_zone)
        meeting = {
            "uuid": base64.b64encode(secrets.token_bytes(16)).decode(),
            "id": meeting_id,
            "host_id": self.user_id,
            "host_email": self.email,
            "topic": body["topic"],
            "type": body.get("type", 2),
            "status": "waiting",
            "start_time": self._start_utc(body["start_time"], time_zone),
            "duration": body.get("duration", 60),
            "timezone": time_zone,
            "agenda": body.get("agenda", ""),
            "created_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "start_url": f"https://zoom.us/s/{meeting_id}?zak={secrets.token_urlsafe(16)}",
            "join_url": f"https://zoom.us/j/{meeting_id}?pwd={secrets.token_urlsafe(12)}",
            "password": password,
            "settings": {
                "join_before_host": True,
                "waiting_room": False,
                **body.get("settings", {}),
            },
        }
        self.meetings[meeting_id] = meeting
        return 201, {}, dict(meeting)

    def _meeting_patch(self, meeting: dict[str, Any], body: Any) -> tuple[int, dict[str, str], Any]:
        problem = self._fields_check(body, create=False)
        if problem:
            return 400, {}, _error(300, problem)
        time_zone = str(body.get("timezone") or meeting["timezone"])
        for key in ("topic", "type", "duration", "timezone", "agenda"):
            if key in body:
                meeting[key] = body[key]
        if "start_time" in body:
            meeting["start_time"] = self._start_utc(body["start_time"], time_zone)
        if "settings" in body:
            meeting["settings"] = {**meeting["settings"], **body["settings"]}
        return 204, {}, None


def _error(code: int, message: str) -> dict[str, Any]:
    return {"code": code, "message": message}


class _Handler(BaseHTTPRequestHandler):
    zoom: ZoomFake

    def log_message(self, format: str, *args: Any) -> None:  # stdlib's parameter name
        pass  # keep test output quiet

    def _handle(self) -> None:
        parts = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        headers = {key.lower(): value for key, value in self.headers.items()}
        length = int(headers.get("content-length", "0") or 0)
        raw = self.rfile.read(length) if length else b""
        body: Any = None
        if raw and headers.get("content-type", "").startswith("application/json"):
            try:
                body = json.loads(raw)
            except ValueError:
                body = "<invalid json>"
        elif raw:
            body = {key: values[-1] for key, values in parse_qs(raw.decode()).items()}
        zoom = self.zoom
        if zoom.delay_seconds:
            time.sleep(zoom.delay_seconds)
        with zoom.lock:
            zoom.requests.append(Recorded(self.command, parts.path, query, headers, body))
            if parts.path == "/oauth/authorize" and self.command == "GET":
                status, extra, payload = zoom.authorize(query)
                self._send(status, extra, payload)
                return
            if parts.path == "/oauth/token" and self.command == "POST":
                if not headers.get("content-type", "").startswith(
                    "application/x-www-form-urlencoded"
                ):
                    self._json(400, {}, {"reason": "Invalid request", "error": "invalid_request"})
                    return
                token_status, token_body = zoom.token(headers, body or {})
                self._json(token_status, {}, token_body)
                return
            if parts.path.startswith("/v2/"):
                json_sent = headers.get("content-type", "").startswith("application/json")
                if self.command in ("POST", "PATCH") and body is not None and not json_sent:
                    self._json(400, {}, _error(300, "Request Body should be JSON."))
                    return
                api_status, extra, api_body = zoom.api(
                    self.command, parts.path, query, headers, body
                )
                self._json(api_status, extra, api_body)
                return
        self._json(404, {}, _error(404, "Not found."))

    def _json(self, status: int, headers: dict[str, str], body: Any) -> None:
        payload = b"" if body is None else json.dumps(body).encode()
        extra = dict(headers)
        if body is not None:
            extra["Content-Type"] = "application/json;charset=UTF-8"
        self._send(status, extra, payload)

    def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        try:
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if payload:
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the timeout test): nobody is listening

    do_GET = do_POST = do_PATCH = do_DELETE = do_PUT = _handle  # noqa: N815 (stdlib's names)
