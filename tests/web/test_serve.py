"""`make run`'s command: web server and worker start together and stop together on Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.processes import MANAGE, environment, running

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
@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_stopping_ends_everything_within_two_seconds_even_with_the_worker_busy(
    tmp_path: Path, how: str
) -> None:
    """The worker is stuck sending the demo's invitation to a mail server that never answers
    (the worst case: a task that would take 30 s); Ctrl-C in the terminal (the whole process
    group) or a SIGTERM to the command alone (a supervisor) still ends it all within 2 s."""
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
