"""Real HireSlot processes for tests: a web server (runserver, gunicorn or `serve`) in its own
session, its output collected line by line, stopped and reaped whatever the test does."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MANAGE = str(ROOT / "manage.py")
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(var_dir: Path, **extra: str) -> dict[str, str]:
    """The test's environment for a child process: its own var dir (SQLite unless
    ``DATABASE_URL`` is given), development settings, unbuffered output."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(HIRESLOT_VAR_DIR=str(var_dir), HIRESLOT_ENV="development", PYTHONUNBUFFERED="1")
    env.update(extra)
    return env


class Process:
    """A child process whose merged stdout and stderr are read into ``lines`` as they come."""

    def __init__(self, command: list[str], env: Mapping[str, str]) -> None:
        self.lines: list[str] = []
        self.popen = subprocess.Popen(
            command,
            env=dict(env),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.popen.stdout is not None
        for line in self.popen.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def wait_for(self, text: str, timeout: float = 90) -> str:
        """The first line containing ``text`` (fails with the output so far after ``timeout``)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if text in line:
                    return line
            if self.popen.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; output:\n{self.output}")

    def signal_group(self, signum: int) -> None:
        """As a terminal's Ctrl-C does: to the whole process group."""
        os.killpg(self.popen.pid, signum)

    def stop(self, signum: int = signal.SIGTERM, timeout: float = 20) -> int:
        if self.popen.poll() is None:
            self.signal_group(signum)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait()
        self._reader.join(timeout=5)
        return self.popen.returncode

    def kill(self) -> None:
        """The process and everything it started, even children in their own process groups
        (`serve` puts its web server and worker there), so no test leaves servers behind."""
        if self.popen.poll() is None:
            descendants = _descendants(self.popen.pid)
            with suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            for pid in descendants:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            self.popen.wait()
        self._reader.join(timeout=5)


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from Linux's /proc (none where there is no /proc)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, ValueError, IndexError):
            # "pid (comm) state ppid …": comm may hold spaces and parentheses.
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found: list[int] = []
    waiting = [pid]
    while waiting:
        below = children.get(waiting.pop(), [])
        found.extend(below)
        waiting.extend(below)
    return found


@contextmanager
def running(command: list[str], env: Mapping[str, str]) -> Iterator[Process]:
    process = Process(command, env)
    try:
        yield process
    finally:
        process.kill()


def manage(*args: str, env: Mapping[str, str]) -> str:
    """``manage.py <args>`` to completion; its output."""
    done = subprocess.run(
        [sys.executable, MANAGE, *args],
        env=dict(env),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout + done.stderr


def http_get(
    url: str, *, method: str = "GET", headers: Mapping[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body, for any status (a 4xx or 5xx is an answer, not an error)."""
    request = urllib.request.Request(url, method=method, headers=dict(headers or {}))  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_until_up(url: str, process: Process, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise AssertionError(f"the server exited; output:\n{process.output}")
        try:
            http_get(url)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{url} never answered; output:\n{process.output}")
