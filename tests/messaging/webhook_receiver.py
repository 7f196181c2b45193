"""A real HTTP server on 127.0.0.1 that receives webhooks, for tests (and the benchmark):
it records every request and answers what the test scripts (by default 200)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    at: float  # time.time() when it arrived

    @property
    def webhook_id(self) -> str:
        return self.headers["webhook-id"]

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Receiver:
    """``answer(received, how_many_times_this_id_came_before) -> Answer``."""

    def __init__(self, answer: Callable[[Received, int], Answer] | None = None) -> None:
        self.answer = answer or (lambda received, before: Answer())
        self.received: list[Received] = []
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # One write per answer, sent at once: headers and body in separate small
            # packets would meet delayed ACKs and cost 40 ms per request on keep-alive.
            wbufsize = 64 * 1024
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                received = Received(
                    headers={key.lower(): value for key, value in self.headers.items()},
                    body=body,
                    at=time.time(),
                )
                with receiver._lock:
                    key = received.headers.get("webhook-id", "")
                    before = receiver._seen.get(key, 0)
                    receiver._seen[key] = before + 1
                    receiver.received.append(received)
                answer = receiver.answer(received, before)
                if answer.delay:
                    time.sleep(answer.delay)
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
