"""A real Radicale CalDAV server on loopback for the CalDAV tests.

Each server is its own ``python -m radicale`` process with its own storage folder and no
config files of the machine (``--config ""``), started on a free port and stopped (with its
process id) when the test is done.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

STARTUP_SECONDS = 20.0


@dataclass
class RadicaleServer:
    url: str  # "http://127.0.0.1:<port>/"
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def calendar_url(self, user: str, calendar: str) -> str:
        return f"{self.url}{user}/{calendar}/"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def radicale_start(folder: Path, *, users: dict[str, str] | None = None) -> RadicaleServer:
    """Start Radicale storing under ``folder``. Without ``users`` anyone may sign in with any
    password (``--auth-type none``); with ``users`` only those (user -> password) may."""
    folder.mkdir(parents=True, exist_ok=True)
    auth = ["--auth-type", "none"]
    if users is not None:
        htpasswd = folder / "htpasswd"
        htpasswd.write_text("".join(f"{user}:{password}\n" for user, password in users.items()))
        auth = [
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(htpasswd),
            "--auth-htpasswd-encryption",
            "plain",
            # Radicale waits after a wrong password to slow guessing; tests need no wait.
            "--auth-delay",
            "0",
        ]
    last_error = "not started"
    for _attempt in range(3):
        port = free_port()
        log = folder / f"radicale-{port}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "radicale",
                    "--config",
                    "",
                    "--server-hosts",
                    f"127.0.0.1:{port}",
                    *auth,
                    "--storage-filesystem-folder",
                    str(folder / "collections"),
                    "--logging-level",
                    "warning",
                ],
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        server = RadicaleServer(url=f"http://127.0.0.1:{port}/", process=process, log=log)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and process.poll() is None:
            try:
                httpx.get(server.url, timeout=1.0)
                return server
            except httpx.TransportError as error:
                last_error = str(error)
                time.sleep(0.05)
        server.stop()
        last_error = f"{last_error}\n{log.read_text(errors='replace')}"
    raise RuntimeError(f"Radicale did not start: {last_error}")
