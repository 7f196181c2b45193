"""Real processes for the reliability suite: PostgreSQL databases (on the test server, or a
throwaway cluster of our own), gunicorn, HireSlot workers and an SMTP server that can hold a
message or be down, plus the counting the tests assert on."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import psycopg
from aiosmtpd.controller import Controller
from icalendar import Calendar

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = Path("/usr/lib/postgresql/15/bin")
# Short, so a dead worker's work is taken over within seconds.
LEASE_SECONDS = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(check: Callable[[], Any], *, timeout: float, what: str, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


# --- databases ------------------------------------------------------------------------------


def database_url(server_url: str, name: str) -> str:
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def database_create(server_url: str, name: str, *, template: str | None = None) -> str:
    with psycopg.connect(database_url(server_url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return database_url(server_url, name)


def database_drop(server_url: str, name: str) -> None:
    with psycopg.connect(database_url(server_url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def sql(url: str, query: str, *params: object) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, autocommit=True, connect_timeout=3) as conn:
        return list(conn.execute(query, params).fetchall())  # type: ignore[arg-type]


class ThrowawayPostgres:
    """A PostgreSQL 15 cluster of the test's own on its own port, so it can be stopped and
    started again without touching the shared server. initdb refuses to run as root: as
    root (CI) the cluster belongs to the ``postgres`` system user."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="hireslot-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self._as = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
        if self._as:
            shutil.chown(self.folder, user="postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, capture_output=True)

    def init(self) -> None:
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.folder / "postgres.log"), "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def _unfolded(header: str) -> str:
    """A header as written, whatever folding it took on the way (RFC 5322 section 2.2.3)."""
    return " ".join(header.split())


# --- SMTP -------------------------------------------------------------------------------------


@dataclass
class Delivered:
    to: str
    subject: str
    uid: str
    sequence: int
    method: str

    @classmethod
    def of(cls, message: Message, recipients: list[str]) -> list[Delivered]:
        uid, sequence, method = "", -1, ""
        for part in message.walk():
            if part.get_content_type() == "text/calendar":
                payload = part.get_payload(decode=True)
                assert isinstance(payload, bytes)
                calendar = Calendar.from_ical(payload.decode())
                (event,) = calendar.walk("VEVENT")
                uid, sequence = str(event["UID"]), int(event.decoded("SEQUENCE"))
                method = str(calendar["METHOD"])
        # Subjects with non-ASCII text (an en dash in a time range) arrive RFC 2047-encoded.
        subject = _unfolded(str(make_header(decode_header(str(message["Subject"])))))
        return [cls(to, subject, uid, sequence, method) for to in recipients]

    @property
    def key(self) -> tuple[str, str, str, int, str]:
        return (self.to, self.subject, self.uid, self.sequence, self.method)


@dataclass
class SmtpHandler:
    delivered: list[Delivered] = field(default_factory=list)
    # When set, the next message is held (not accepted) until ``release`` is set; with
    # ``hold_subject`` / ``hold_to``, the next message whose subject starts with it / to them.
    hold_next: bool = False
    hold_subject: str = ""
    hold_to: str = ""
    holding: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    held_for: list[str] = field(default_factory=list)
    # Whether the held message is accepted once released (its sender lived) or refused.
    accept_held: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content)
        subject = _unfolded(str(make_header(decode_header(str(message["Subject"])))))
        with self.lock:
            hold = (
                self.hold_next
                and subject.startswith(self.hold_subject)
                and (not self.hold_to or self.hold_to in envelope.rcpt_tos)
            )
            if hold:
                self.hold_next = False
            # Its own events: a next ``hold`` makes new ones, never re-arms these.
            holding, release = self.holding, self.release
        if hold:
            self.held_for[:] = list(envelope.rcpt_tos)
            holding.set()
            while not release.is_set():
                await asyncio.sleep(0.05)
            if not self.accept_held:
                # Its sender was killed meanwhile: this message was never accepted.
                return "451 4.3.0 Not accepted (held by the test)"
        with self.lock:
            self.delivered.extend(Delivered.of(message, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"

    def hold(self, *, subject: str = "", to: str = "") -> None:
        """Hold the next message (whose subject starts with ``subject``, to ``to``), refusing
        it once released: its sender is to be killed meanwhile."""
        with self.lock:
            self.holding, self.release = threading.Event(), threading.Event()
            self.held_for[:] = []
            self.accept_held = False
            self.hold_subject, self.hold_to = subject, to
            self.hold_next = True

    def counts(self) -> Counter[tuple[str, str, str, int, str]]:
        with self.lock:
            return Counter(item.key for item in self.delivered)


class Smtp:
    def __init__(self) -> None:
        self.port = free_port()
        self.handler = SmtpHandler()
        self._controller: Controller | None = None

    def up(self) -> None:
        self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def down(self) -> None:
        if self._controller is not None:
            self.handler.release.set()
            self._controller.stop()
            self._controller = None


# --- HireSlot processes ---------------------------------------------------------------------


class HireSlot:
    """gunicorn and workers against one database, with their logs in a folder."""

    def __init__(self, *, url: str, smtp_port: int, folder: Path) -> None:
        self.url = url
        self.folder = folder
        self.hold_dir = folder / "hold"
        self.hold_dir.mkdir(parents=True, exist_ok=True)
        self.web_port = free_port()
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "COV_"))},
            "HIRESLOT_ENV": "development",
            "DEBUG": "0",
            "DATABASE_URL": url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "HIRESLOT_VAR_DIR": str(folder),
            "SECRET_KEY": "reliability-suite-" + "k" * 40,
            "HIRESLOT_BASE_URL": self.base,
            "HIRESLOT_WORK_LEASE_SECONDS": str(LEASE_SECONDS),
            "HIRESLOT_CALENDAR_PROVIDER": (
                "tests.reliability.blocking_calendar.BlockingCalendarProvider"
            ),
            "HIRESLOT_TEST_HOLD_DIR": str(self.hold_dir),
            "DJANGO_SETTINGS_MODULE": "hireslot.settings",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": str(ROOT),
        }
        self.web: subprocess.Popen[bytes] | None = None
        self.workers: dict[str, subprocess.Popen[bytes]] = {}

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - kept by the child
        return subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            cwd=ROOT, env=self.env, check=True, capture_output=True,
        )  # fmt: skip

    def scenario(self, *args: str) -> dict[str, Any]:
        done = subprocess.run(
            [sys.executable, "-m", "tests.reliability.scenario", *args],
            cwd=ROOT, env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        assert done.returncode == 0, f"scenario {args[0]} failed:\n{done.stderr[-3000:]}"
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    def web_start(self) -> None:
        self.web = self._spawn(
            "web",
            [
                sys.executable, "-m", "gunicorn", "hireslot.wsgi",
                "--bind", f"127.0.0.1:{self.web_port}", "--workers", "2", "--timeout", "60",
            ],
        )  # fmt: skip

        def up() -> bool:
            try:
                return httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, timeout=60, what="gunicorn to answer /healthz")

    def worker_start(self, name: str) -> subprocess.Popen[bytes]:
        worker = self._spawn(
            name,
            [
                sys.executable, str(ROOT / "manage.py"), "db_worker", "--queue-name", "*",
                "--interval", "0.2", "--no-reload", "--no-startup-delay", "--worker-id", name,
            ],
        )  # fmt: skip
        self.workers[name] = worker
        return worker

    def workers_registered(self, names: list[str]) -> None:
        def registered() -> bool:
            rows = sql(self.url, "SELECT worker_id FROM core_workerlease")
            return {name for (name,) in rows} >= set(names)

        wait_until(registered, timeout=60, what=f"workers {names} to poll")

    def kill9(self, name: str) -> None:
        worker = self.workers[name]
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

    def worker_of_running(self, task_path_end: str, **kwargs: str) -> str | None:
        """The worker running a task of that path (with those kwargs), per the database."""
        query = (
            "SELECT worker_ids->>-1 FROM django_tasks_database_dbtaskresult "
            "WHERE status = 'RUNNING' AND task_path LIKE %s"
        )
        params: list[object] = [f"%{task_path_end}"]
        for key, value in kwargs.items():
            query += " AND args_kwargs->'kwargs'->>%s = %s"
            params += [key, value]
        rows = sql(self.url, query, *params)
        return str(rows[0][0]) if rows else None

    def held_sender_kill(self, handler: SmtpHandler, *, timeout: float = 60) -> str:
        """Wait for the SMTP server to hold a message, ``kill -9`` the worker delivering it
        (per the database), then let the server refuse it: the message was never accepted."""
        wait_until(handler.holding.is_set, timeout=timeout, what="a message to be held")
        (recipient,) = handler.held_for

        def sending() -> str | None:
            rows = sql(
                self.url,
                "SELECT id FROM messaging_outgoingemail WHERE status = 'sending' AND \"to\" = %s",
                recipient,
            )
            return str(rows[0][0]) if rows else None

        email_id = wait_until(sending, timeout=10, what="the held email in sending")

        def deliverer() -> str | None:
            # A killed sender's task row stays RUNNING until its lease lapses, beside the
            # row of the live worker now sending the same email again.
            rows = sql(
                self.url,
                "SELECT worker_ids->>-1 FROM django_tasks_database_dbtaskresult "
                "WHERE status = 'RUNNING' AND task_path LIKE %s "
                "AND args_kwargs->'kwargs'->>'email_id' = %s",
                "%email_deliver",
                email_id,
            )
            live = [
                str(name)
                for (name,) in rows
                if name in self.workers and self.workers[name].poll() is None
            ]
            return live[0] if len(live) == 1 else None

        sender = wait_until(deliverer, timeout=10, what="the worker delivering it")
        self.kill9(sender)
        handler.release.set()
        return str(sender)

    def book(self, token: str, *, not_before_seconds: float = 0, days: int = 20) -> int:
        """A candidate books the first free time (at least ``not_before_seconds`` ahead,
        among the next ``days`` days' times) through gunicorn, as the page's form does."""
        with httpx.Client(base_url=self.base, timeout=30) as client:
            page = client.get(f"/s/{token}")
            assert page.status_code == 200, page.text[:300]
            today = time.strftime("%Y-%m-%d", time.gmtime())
            later = time.strftime("%Y-%m-%d", time.gmtime(time.time() + days * 86400))
            slots = client.get(
                f"/s/{token}/slots", params={"from": today, "to": later, "tz": "UTC"}
            )
            earliest = time.strftime(
                "%Y-%m-%dT%H:%M:%S", time.gmtime(time.time() + not_before_seconds)
            )
            start = next(
                slot["start"] for slot in slots.json()["slots"] if slot["start"][:19] >= earliest
            )
            booked = client.post(
                f"/s/{token}/book",
                json={"start": start, "tz": "UTC"},
                headers={"X-CSRFToken": client.cookies["csrftoken"]},
            )
            return booked.status_code

    def stop(self) -> None:
        for process in [*self.workers.values(), *([self.web] if self.web else [])]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers.values(), *([self.web] if self.web else [])]:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")


# --- what the tests assert --------------------------------------------------------------------


def everything_done(report: dict[str, Any]) -> bool:
    effects, emails = report["effects"], report["emails"]
    return (
        set(effects) <= {"done"}
        and set(emails) <= {"sent"}
        and set(report["bulk"]) <= {"sent"}
        and set(report["bulk_sends"]) <= {"done"}
    )


def assert_emails_exactly_once(report: dict[str, Any], smtp: SmtpHandler) -> None:
    """Every consequence done, none lost, none twice: each email row arrived exactly once
    (by recipient, subject and iCalendar UID + SEQUENCE + METHOD) and nothing else did."""
    assert everything_done(report), {k: report[k] for k in ("effects", "emails", "bulk")}
    received = smtp.counts()
    twice = {key: n for key, n in received.items() if n > 1}
    assert not twice, f"delivered more than once: {twice}"
    rows = Counter((row["to"], _unfolded(row["subject"])) for row in report["email_rows"])
    got = Counter((to, subject) for (to, subject, _, _, _) in received.elements())
    assert got == rows, f"missing: {rows - got}, unexpected: {got - rows}"


def assert_exactly_once(report: dict[str, Any], smtp: SmtpHandler) -> None:
    """Every booking's consequences done, none lost, none twice: each email row arrived
    exactly once (by recipient, subject and iCalendar UID + SEQUENCE + METHOD), each
    interview has one candidate invite and one calendar event (by UID)."""
    assert_emails_exactly_once(report, smtp)
    received = smtp.counts()
    uids = {interview["uid"] for interview in report["interviews"]}
    invites = Counter(
        uid for (_, _, uid, sequence, method) in received.elements() if uid and method == "REQUEST"
    )
    assert set(invites) == uids and set(invites.values()) == {1}, invites
    events = Counter(event["uid"] for event in report["calendar_events"])
    assert set(events) >= uids and all(events[uid] == 1 for uid in uids), events
