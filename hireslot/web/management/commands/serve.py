"""`make run`: prepare the database, then run the web server and the task worker together.

Both run in the foreground as child processes; Ctrl-C (or SIGTERM) stops both within 2 s, and
if either dies the other is stopped too (and the command exits 1), so a half-running HireSlot
never looks healthy.
"""

from __future__ import annotations

import io
import os
import select
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from argparse import ArgumentParser
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from hireslot.accounts.models import Organization
from hireslot.calendars.services_refresh import refresh_chain_ensure
from hireslot.core.tokens import link_token_derive
from hireslot.demo.services import DEMO_SLUG, demo_logins, demo_request
from hireslot.messaging.models import OutgoingEmail

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
# Ctrl-C stops everything within 2 s (the command's own exit included).
STOP_SECONDS = 1.5
WORKER_GRACE_SECONDS = 1.0
EMAILS_SETTLE_SECONDS = 4.0


class Command(BaseCommand):
    help = "Migrate, seed the demo on an empty database, and run the web server and worker."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help="Do not seed the demo.")

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        # Before anything is written: a taken port must not seed a database or print logins
        # for a server that never starts.
        _port_check(host, port)
        url = f"http://{host}:{port}/"
        base_url = self._base_url_choose(listening=url)
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_demo"]:
            call_command("demo", if_empty=True, stdout=io.StringIO())
        # Connected calendars' busy time is refreshed by a self-renewing worker task.
        refresh_chain_ensure()
        # The children read it from the environment: every link they build (emails, Copy link,
        # .ics, OAuth redirects) points at this server.
        child_env = {**os.environ, "HIRESLOT_BASE_URL": base_url}
        # Their own process group: a terminal's Ctrl-C reaches only this command, which stops
        # them in a known order instead of each reacting on its own.
        web = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [
                sys.executable,
                MANAGE,
                "runserver",
                f"{options['host']}:{options['port']}",
                "--noreload",
                "--skip-checks",
            ],
            process_group=0,
            env=child_env,
        )
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, MANAGE, "db_worker", "--queue-name", "*", "--no-reload"],
            process_group=0,
            env=child_env,
        )
        children = [web, worker]
        self._stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            self._stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # A closed terminal hangs up only this command's group, not the children's own groups:
        # left to the default, the children would keep the port and the queue after it.
        signal.signal(signal.SIGHUP, stop)
        if self._wait_until_up(url, children):
            # Last, after the start-up logs: the worker's first emails (the demo's invitation)
            # are given a moment so their lines come before the banner, not after it.
            self._emails_settled(by=time.monotonic() + EMAILS_SETTLE_SECONDS)
            self._print_welcome(url)
        # Enter in the terminal prints the banner again, once the logs have scrolled it away.
        interactive = sys.stdin is not None and sys.stdin.isatty()
        while not self._stopping and all(child.poll() is None for child in children):
            if interactive and _line_typed(timeout=0.05):
                self._print_welcome(url)
            else:
                time.sleep(0 if interactive else 0.05)
        self.stdout.write("Stopping HireSlot…")
        self._stop(web=web, worker=worker)
        self.stdout.write("Stopped.")
        # Nothing is left to clean up: skip the interpreter's teardown of everything Django
        # loaded (a second or more on a busy machine), so Ctrl-C ends within 2 s.
        self.stdout.flush()
        sys.stderr.flush()
        connections.close_all()
        os._exit(0 if self._stopping else 1)

    def _stop(self, *, web: subprocess.Popen[bytes], worker: subprocess.Popen[bytes]) -> None:
        """Both gone within STOP_SECONDS: the development server at once (a request cut short
        rolls back), the worker after finishing the task in hand if that is quick, else
        interrupted (its task is run again later), else killed."""
        started = time.monotonic()
        if web.poll() is None:
            web.terminate()
        if worker.poll() is None:
            worker.send_signal(signal.SIGINT)  # graceful: ends after the current task
        if not _exited(worker, by=started + WORKER_GRACE_SECONDS):
            worker.send_signal(signal.SIGINT)  # a second one interrupts the task
        for child in (web, worker):
            if not _exited(child, by=started + STOP_SECONDS):
                child.kill()
                child.wait()

    def _wait_until_up(self, url: str, children: list[subprocess.Popen[bytes]]) -> bool:
        for _ in range(150):
            if self._stopping or any(child.poll() is not None for child in children):
                return False
            try:
                with urllib.request.urlopen(url + "healthz", timeout=1):  # noqa: S310 - loopback
                    return True
            except OSError:
                time.sleep(0.1)
        return False

    def _emails_settled(self, *, by: float) -> None:
        """Until no email waits to be sent (at most until ``by``; Ctrl-C ends it at once)."""
        waiting = [OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.SENDING]
        while (
            not self._stopping
            and time.monotonic() < by
            and OutgoingEmail.objects.filter(status__in=waiting).exists()
        ):
            time.sleep(0.1)
        if not self._stopping:
            time.sleep(0.2)  # the worker's own log line follows the send

    def _base_url_choose(self, *, listening: str) -> str:
        """HIRESLOT_BASE_URL when set (behind a proxy it differs on purpose: say so), else
        the address this server listens on, also for this process (the demo's seeded links)."""
        configured = os.environ.get("HIRESLOT_BASE_URL", "").strip().rstrip("/")
        if not configured:
            base_url = _reachable(listening).rstrip("/")
            settings.HIRESLOT_BASE_URL = base_url
            return base_url
        if configured != _reachable(listening).rstrip("/"):
            self.stderr.write(
                f"Warning: HIRESLOT_BASE_URL is {configured}, but this server listens on "
                f"{listening}: links in emails and invites will point to {configured}/."
            )
        return configured

    def _print_welcome(self, url: str) -> None:
        lines = [
            "",
            "=" * 78,
            f"HireSlot is running at {_reachable(url)}",
            "  Ctrl-C stops the web server and the worker; Enter shows this again.",
        ]
        if settings.HIRESLOT_BASE_URL.rstrip("/") != _reachable(url).rstrip("/"):
            lines.append(f"  Links in emails use HIRESLOT_BASE_URL={settings.HIRESLOT_BASE_URL}")
        demo = Organization.objects.filter(slug=DEMO_SLUG).first()
        if demo is not None:
            lines.append("Demo logins (Acme Robotics):")
            lines += [f"  {d.email:<32} {d.password:<15} {d.description}" for d in demo_logins()]
            request = demo_request(demo)
            if request is not None:
                # Built from the address actually served, which may differ from the base URL.
                token = link_token_derive(request.token_nonce)
                lines.append(f"Play the candidate: {_reachable(url)}s/{token}")
        lines += ["=" * 78, ""]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()


def _port_check(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As runserver binds: a port left in TIME_WAIT by the last run is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(
                f"Cannot listen on {host}:{port} ({error.strerror or error}). Another program "
                f"(perhaps another `make run`) uses it: stop it, or choose another port, "
                f"e.g. `make run PORT={port + 1}`."
            ) from error


def _reachable(url: str) -> str:
    """The address a browser on this machine opens: 0.0.0.0 or :: listen everywhere, which
    is not an address to visit."""
    for everywhere in ("//0.0.0.0:", "//[::]:", "//:::"):
        if everywhere in url:
            return url.replace(everywhere, "//127.0.0.1:")
    return url


def _line_typed(*, timeout: float) -> bool:
    ready, _, _ = select.select([sys.stdin], [], [], timeout)
    if not ready:
        return False
    if sys.stdin.readline() == "":
        # The terminal's input ended (Ctrl-D): nothing more will be typed.
        time.sleep(timeout)
        return False
    return True


def _exited(child: subprocess.Popen[bytes], *, by: float) -> bool:
    try:
        child.wait(timeout=max(0.0, by - time.monotonic()))
    except subprocess.TimeoutExpired:
        return False
    return True
