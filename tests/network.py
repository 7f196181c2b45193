"""A made-up internet for tests of the outbound-request guard, on loopback only.

``FakeNetwork`` replaces name resolution and dialling (``outbound_network_use``): names answer
what the test says, one answer list per look-up (so a name can rebind between look-ups), and
made-up public addresses are routed to servers on 127.0.0.1. Every other address is dialled
for real, so a guard that let one through would reach the ``RecordingServer`` listening
there: the tests then see the request it recorded. Nothing leaves the machine.

``RecordingServer`` is a small HTTP server that answers scripted responses by path and
records every request it gets (method, path, Host header).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpcore

# Addresses that are global on the real internet, routed here to loopback servers; no test
# ever makes a connection to them.
PUBLIC = "93.184.216.34"
PUBLIC_2 = "93.184.216.35"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"


class FakeNetwork:
    def __init__(
        self,
        names: dict[str, list[list[str]]] | None = None,
        routes: dict[str, int] | None = None,
    ) -> None:
        # name -> answers per look-up; the last one repeats.
        self.names = {name: list(answers) for name, answers in (names or {}).items()}
        # made-up public address -> port of a server on 127.0.0.1
        self.routes = dict(routes or {})
        self.lookups: list[str] = []
        self.connects: list[tuple[str, int]] = []

    def resolve(self, host: str, port: int) -> list[str]:
        self.lookups.append(host)
        answers = self.names.get(host)
        if answers is None:
            # Address literals (127.1, [::1] ...) resolve to themselves; names are unknown.
            found = socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICHOST
            )
            return [str(answer[4][0]) for answer in found]
        return answers.pop(0) if len(answers) > 1 else answers[0]

    def connect(
        self,
        address: str,
        port: int,
        *,
        timeout: float | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.NetworkStream:
        self.connects.append((address, port))
        if address in self.routes:
            address, port = "127.0.0.1", self.routes[address]
        return httpcore.SyncBackend().connect_tcp(
            address, port, timeout=timeout, socket_options=socket_options
        )


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    path: str
    host: str


class _Server(ThreadingHTTPServer):
    answers: dict[str, Answer]
    seen: list[Seen]


class _V6Server(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.seen.append(Seen(self.command, self.path, self.headers.get("Host", "")))
        answer = self.server.answers.get(self.path.split("?")[0], Answer(404, b"Not found"))
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        self.wfile.write(answer.body)

    def do_GET(self) -> None:
        self._answer()

    def do_PROPFIND(self) -> None:
        self._answer()

    def do_REPORT(self) -> None:
        self._answer()

    def log_message(self, *args: object) -> None:
        pass


class RecordingServer:
    """``with RecordingServer({"/path": Answer(...)}) as server:``; ``server.seen``."""

    def __init__(self, answers: dict[str, Answer] | None = None, *, host: str = "127.0.0.1"):
        server_class = _V6Server if ":" in host else _Server
        self._server = server_class((host, 0), _Handler)
        self.answers: dict[str, Answer] = dict(answers or {})
        self.seen: list[Seen] = []
        self._server.answers, self._server.seen = self.answers, self.seen
        self.host = host
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def ipv6_loopback_available() -> bool:
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False
