"""A local Twilio, on 127.0.0.1, for the text message tests: it answers only what Twilio's
Messages API documents (``POST /2010-04-01/Accounts/{AccountSid}/Messages.json``, HTTP Basic
auth, a form body) and refuses the rest with Twilio's own error shape
``{"code", "message", "more_info", "status"}`` and codes:

- 20003 (401): wrong Account SID or Auth Token;
- 21604 / 21602 / 21603 (400): ``To``, ``Body``, or ``From``/``MessagingServiceSid`` missing;
- 21211 (400): ``To`` is not E.164; 21617 (400): ``Body`` over 1,600 characters;
- 21610 (400): the recipient replied STOP to this sender (``unsubscribed``);
- 21614 (400): ``To`` is not a mobile number (``landlines``);
- 20429 (429): too many requests (``throttle`` the next answers, with ``Retry-After``);
- 5xx when ``break_next`` is set.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
AUTH_TOKEN = "f" * 32
FROM_NUMBER = "+15005550006"
E164 = re.compile(r"^\+[1-9]\d{6,14}$")


@dataclass
class FakeTwilio:
    url: str = ""
    sent: list[dict[str, str]] = field(default_factory=list)
    unsubscribed: set[str] = field(default_factory=set)
    landlines: set[str] = field(default_factory=set)
    throttle: int = 0
    retry_after: str = "1"
    break_next: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, object], dict[str, str]]:
        expected_path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
        if path != expected_path:
            return 404, _error(20404, "The requested resource was not found", 404), {}
        auth = headers.get("authorization", "")
        expected_auth = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if auth != expected_auth:
            return 401, _error(20003, "Authenticate", 401), {}
        if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return 400, _error(21620, "Invalid media URL(s)", 400), {}
        form = {name: values[0] for name, values in parse_qs(body.decode()).items()}
        with self.lock:
            if self.break_next:
                self.break_next -= 1
                return 503, _error(20500, "Internal Server Error", 503), {}
            if self.throttle:
                self.throttle -= 1
                return (
                    429,
                    _error(20429, "Too Many Requests", 429),
                    {"Retry-After": self.retry_after},
                )
        if not form.get("To"):
            return 400, _error(21604, "A 'To' phone number is required.", 400), {}
        if not E164.match(form["To"]):
            return (
                400,
                _error(21211, f"The 'To' number {form['To']} is not a valid phone number.", 400),
                {},
            )
        if not form.get("Body"):
            return 400, _error(21602, "Message body is required.", 400), {}
        if len(form["Body"]) > 1600:
            return (
                400,
                _error(
                    21617, "The concatenated message body exceeds the 1600 character limit.", 400
                ),
                {},
            )
        if not (form.get("From") or form.get("MessagingServiceSid")):
            return (
                400,
                _error(
                    21603,
                    "A 'From' or 'MessagingServiceSid' parameter is required to send a message.",
                    400,
                ),
                {},
            )
        if form["To"] in self.landlines:
            return (
                400,
                _error(21614, f"'To' number {form['To']} is not a valid mobile number", 400),
                {},
            )
        if form["To"] in self.unsubscribed:
            return 400, _error(21610, "Attempt to send to unsubscribed recipient", 400), {}
        sid = "SM" + secrets.token_hex(16)
        with self.lock:
            self.sent.append(form)
        return (
            201,
            {
                "sid": sid,
                "account_sid": ACCOUNT_SID,
                "to": form["To"],
                "from": form.get("From"),
                "messaging_service_sid": form.get("MessagingServiceSid"),
                "body": form["Body"],
                "status": "queued",
                "num_segments": "1",
                "direction": "outbound-api",
                "api_version": "2010-04-01",
                "error_code": None,
                "error_message": None,
                "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
            },
            {},
        )


def _error(code: int, message: str, status: int) -> dict[str, object]:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


@contextmanager
def fake_twilio() -> Iterator[FakeTwilio]:
    fake = FakeTwilio()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {key.lower(): value for key, value in self.headers.items()}
            status, document, extra = fake.answer(self.path, headers, body)
            payload = json.dumps(document).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/2010-04-01"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
