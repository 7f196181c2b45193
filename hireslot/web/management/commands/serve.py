"""`make run`: prepare the database, then run the web server and the task worker together.

Both run in the foreground as child processes; Ctrl-C (or SIGTERM) stops both cleanly, and if
either dies the other is stopped too, so a half-running HireSlot never looks healthy.
"""

from __future__ import annotations

import io
import signal
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
from django.core.management.base import BaseCommand

from hireslot.accounts.models import Organization
from hireslot.calendars.services_refresh import refresh_chain_ensure
from hireslot.core.tokens import link_token_derive
from hireslot.demo.services import DEMO_SLUG, demo_logins, demo_request

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
STOP_GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Migrate, seed the demo on an empty database, and run the web server and worker."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo", action="store_true", help="Do not seed the demo.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        if not options["no_demo"]:
            call_command("demo", if_empty=True, stdout=io.StringIO())
        # Connected calendars' busy time is refreshed by a self-renewing worker task.
        refresh_chain_ensure()
        url = f"http://{options['host']}:{options['port']}/"
        children = [
            subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
                [
                    sys.executable,
                    MANAGE,
                    "runserver",
                    f"{options['host']}:{options['port']}",
                    "--noreload",
                    "--skip-checks",
                ]
            ),
            subprocess.Popen(  # noqa: S603
                [sys.executable, MANAGE, "db_worker", "--queue-name", "*", "--no-reload"]
            ),
        ]
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        if self._wait_until_up(url, children):
            self._print_welcome(url)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
        self.stdout.write("Stopping HireSlot…")
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in children:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.stdout.write("Stopped.")

    def _wait_until_up(self, url: str, children: list[subprocess.Popen[bytes]]) -> bool:
        for _ in range(150):
            if any(child.poll() is not None for child in children):
                return False
            try:
                with urllib.request.urlopen(url + "healthz", timeout=1):  # noqa: S310 - loopback
                    return True
            except OSError:
                time.sleep(0.1)
        return False

    def _print_welcome(self, url: str) -> None:
        lines = ["", f"HireSlot is running at {url}  (Ctrl-C stops the web server and the worker)"]
        demo = Organization.objects.filter(slug=DEMO_SLUG).first()
        if demo is not None:
            lines.append("Demo logins (Acme Robotics):")
            lines += [f"  {d.email:<32} {d.password:<15} {d.description}" for d in demo_logins()]
            request = demo_request(demo)
            if request is not None:
                # Built from the address actually served, which may differ from the base URL.
                token = link_token_derive(request.token_nonce)
                lines.append(f"Play the candidate: {url}s/{token}")
        lines.append("")
        self.stdout.write("\n".join(lines))
