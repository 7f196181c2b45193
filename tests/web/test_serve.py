"""`make run`'s command: web server and worker start together and stop together on Ctrl-C."""

from __future__ import annotations

import http.cookiejar
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.processes import MANAGE, environment, free_port, running

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.slow
def test_serve_prints_url_and_logins_serves_login_and_stops_both_on_interrupt(
    tmp_path: Path,
) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(HIRESLOT_VAR_DIR=str(tmp_path), HIRESLOT_ENV="development", PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "serve", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    output: list[str] = []
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            output.append(line)
            if "hireslot-demo" in line and "priya@" in line:
                break
        text = "".join(output)
        assert f"HireSlot is running at http://127.0.0.1:{port}/" in text, text
        assert "riley@acme-robotics.example" in text
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/") as page:
            assert page.status == 200
            assert "Log in to HireSlot" in page.read().decode()
        children = subprocess.run(
            ["pgrep", "-s", str(process.pid), "-f", "manage.py (runserver|db_worker)"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        assert len(children) == 2

        # Ctrl-C in a terminal interrupts the whole foreground process group.
        os.killpg(process.pid, signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 0
    assert re.search(r"Stopped\.", rest)
    for pid in children:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        )


@pytest.mark.slow
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm", "terminal-closed"])
def test_stopping_ends_everything_within_two_seconds_even_with_the_worker_busy(
    tmp_path: Path, how: str
) -> None:
    """The worker is stuck sending the demo's invitation to a mail server that never answers
    (the worst case: a task that would take 30 s); Ctrl-C in the terminal (the whole process
    group), a SIGTERM to the command alone (a supervisor) or closing the terminal (a SIGHUP to
    the command's group, which the children are not in) still ends it all within 2 s."""
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen()
    port = _free_port()
    env = environment(tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{silent.getsockname()[1]}")
    try:
        with running([sys.executable, MANAGE, "serve", "--port", str(port)], env) as serve:
            serve.wait_for("priya@")
            serve.wait_for("email_deliver state=RUNNING")  # the worker is now waiting on SMTP
            children = subprocess.run(
                ["pgrep", "-s", str(serve.popen.pid), "-f", "manage.py (runserver|db_worker)"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.split()
            assert len(children) == 2

            started = time.monotonic()
            if how == "ctrl-c":
                serve.signal_group(signal.SIGINT)
            elif how == "terminal-closed":
                serve.signal_group(signal.SIGHUP)
            else:
                serve.popen.send_signal(signal.SIGTERM)
            serve.popen.wait(timeout=30)
            elapsed = time.monotonic() - started
    finally:
        silent.close()

    assert elapsed < 2.0, f"took {elapsed:.2f} s:\n{serve.output}"
    assert serve.popen.returncode == 0
    assert "Stopped." in serve.output
    for pid in children:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
        )


class _Browser:
    """Just enough of a browser for a real server: cookies, and Django's CSRF token."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=15) as response:
            return str(response.read().decode())

    def post(self, path: str, fields: dict[str, str]) -> str:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(  # noqa: S310 - loopback
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=30) as response:
            return str(response.read().decode())


@pytest.mark.slow
def test_make_run_on_another_port_puts_that_port_in_every_link(tmp_path: Path) -> None:
    """Given a fresh clone and `make run PORT=<not 8000>` with no HIRESLOT_BASE_URL, when the
    recruiter copies the demo's link and the candidate books from the emailed link, then the
    email, Copy link and the .ics all point at the port the server really listens on."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in environment(tmp_path).items() if k != "HIRESLOT_BASE_URL"}
    with running([sys.executable, MANAGE, "serve", "--port", str(port)], env) as serve:
        serve.wait_for("Play the candidate")
        banner_at = len(serve.lines)
        summary = next(line for line in serve.lines if line.startswith("Email to carmen."))
        # The invitation is one line pointing at the whole message in the app, not raw MIME.
        assert f"read it: {base}/emails/" in summary
        assert "Content-Transfer-Encoding" not in serve.output
        assert any("=====" in line for line in serve.lines[banner_at - 1 :])

        recruiter = _Browser(base)
        recruiter.get("/accounts/login/")
        recruiter.post(
            "/accounts/login/",
            {"username": "riley@acme-robotics.example", "password": "hireslot-demo"},
        )
        email_page = recruiter.get(summary.split(base, 1)[1].strip())
        emailed = re.search(r"(http://[^\s<\"]+/s/[\w-]+)", email_page)
        assert emailed is not None and emailed.group(1).startswith(f"{base}/s/"), email_page
        assert "Content-Type: multipart/alternative" in email_page  # the whole MIME
        home = recruiter.get("/?who=everyone")
        copied = re.findall(r'data-link="([^"]+)"', home)
        assert copied and all(link.startswith(f"{base}/s/") for link in copied), copied

        candidate = _Browser(base)
        link = emailed.group(1).removeprefix(base)
        page = candidate.get(link)
        start = re.search(r'name="start" value="([^"]+)"', page)
        assert start is not None, page
        candidate.post(f"{link}/book", {"start": start.group(1), "tz": "UTC"})
        ics = candidate.get(f"{link}/invite.ics").replace("\r\n ", "")
        assert f"URL:{base}/s/" in ics, ics


@pytest.mark.slow
def test_a_taken_port_stops_before_anything_is_seeded_or_printed(tmp_path: Path) -> None:
    """Given another program on the port, `make run` says so and exits without creating the
    database or printing logins for a server that never started."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            [sys.executable, MANAGE, "serve", "--port", str(port)],
            env=environment(tmp_path),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert done.returncode != 0
    assert f"Cannot listen on 127.0.0.1:{port}" in done.stderr
    assert f"make run PORT={port + 1}" in done.stderr
    assert "riley@" not in done.stdout
    assert not list(tmp_path.glob("*.sqlite3"))


def test_a_base_url_set_on_purpose_is_kept_with_a_warning_when_it_differs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Behind a proxy HIRESLOT_BASE_URL differs from the listening address on purpose: it is
    kept, and the command says where links will point; unset, the listening address is used."""
    from hireslot.web.management.commands.serve import Command

    err = io.StringIO()
    command = Command(stderr=err)
    monkeypatch.setenv("HIRESLOT_BASE_URL", "https://hire.example.com/")
    assert command._base_url_choose(listening="http://0.0.0.0:8010/") == "https://hire.example.com"
    assert "listens on http://0.0.0.0:8010/" in err.getvalue()
    assert "point to https://hire.example.com/" in err.getvalue()

    monkeypatch.delenv("HIRESLOT_BASE_URL")
    monkeypatch.setattr("django.conf.settings.HIRESLOT_BASE_URL", "http://127.0.0.1:8000")
    assert command._base_url_choose(listening="http://0.0.0.0:8010/") == "http://127.0.0.1:8010"
