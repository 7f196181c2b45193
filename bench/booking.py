"""Benchmark of the booking path and of the workers (not a test): ``python bench/booking.py``.

**PostgreSQL (default).** The database named by ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/hs_booking_bench``; its name must contain ``bench``, and
it is dropped and created again) gets one organization on the Scale plan with ``--panels``
jobs; each job has a hiring manager and a copy of the starter "Manager Interview" template
with two more interviewers (a panel of three), a task, a move to the next stage and
notifications to the sender, the manager and the panel: ten effects and five emails per
booking. ``2 x --bookings`` requests are sent (not measured), and for each request a start is
chosen among the times its panel is offered, so that no two bookings collide. Then, against
gunicorn with 4 workers on 127.0.0.1, ``--clients`` concurrent candidates each POST the real
form to ``/s/<token>/book`` (a 303 is a booking; anything else counts as an error):

1. one booking in this process through Django's test client, its SQL statements counted;
2. the first half of the requests with no task worker running: bookings/s, p50/p95 latency;
3. two ``manage.py db_worker --queue-name '*'`` processes are started on that backlog:
   effects/s and emails/s (each from the first to the last completion, as the database and
   the SMTP server recorded them), emails delivered over SMTP to an aiosmtpd server here;
4. the second half booked while both workers run: bookings/s, p50/p95, effects/s, emails/s,
   and the time from the first booking until every effect is done and every email accepted.

**Embedded default (``--embedded``).** A temporary SQLite file (WAL, IMMEDIATE transactions,
as ``make run`` configures it) served by ``manage.py serve --no-demo`` (the web server and one
worker, exactly what ``make run`` starts) plus a second worker; ``--bookers`` candidates (10)
book while ``--readers`` candidates (5) keep loading their pages. Prints the p50/p95/p99/max
booking wait (goal: no booking waits more than 5 s) and the page loads' wait.

The machine's load average is printed at the start and the end: on a shared machine every
figure moves with it.

CSRF: each candidate sends a cookie and a form token it made itself (Django's double-submit
check accepts any well-formed secret), which saves loading the page before every booking.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import shutil
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hs_booking_bench"
GOAL_QUERIES = 15
GOAL_RATE_IDLE = 50.0
GOAL_RATE_BUSY = 25.0
GOAL_EFFECTS = 100.0
GOAL_EMBEDDED_MAX_WAIT_S = 5.0
ZONES = ("America/New_York", "Europe/London", "Europe/Berlin", "America/Chicago")
HOURS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


class CountingHandler:
    """An SMTP server that accepts everything and counts it."""

    def __init__(self) -> None:
        self.accepted = 0
        self.last_at = 0.0
        self.first_at = 0.0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        now = time.perf_counter()
        if not self.accepted:
            self.first_at = now
        self.accepted += 1
        self.last_at = now
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# --- seeding (not measured) ----------------------------------------------------------------


@dataclass
class Booking:
    token: str
    start: str


def seed(*, panels: int, per_panel: int) -> list[list[Booking]]:
    """``panels`` jobs with a panel of three each and ``per_panel`` requests per job, each with
    its own start among the panel's offered times; one list of bookings per panel."""
    from django.db import transaction

    from hireslot.accounts.models import Plan, Role
    from hireslot.accounts.services import membership_add, user_create
    from hireslot.core import clock
    from hireslot.core.tokens import link_token_derive
    from hireslot.messaging.models import OutgoingEmail
    from hireslot.recruiting.models import Application, Candidate
    from hireslot.recruiting.services import job_create
    from hireslot.scheduling.models import SelfScheduleTemplate
    from hireslot.scheduling.selectors import instant_text
    from hireslot.scheduling.services.requests import RequestBatch
    from hireslot.scheduling.services.starter import organization_start
    from hireslot.scheduling.slots import request_slots

    organization = organization_start(
        name="Bench Robotics",
        slug="bench",
        plan=Plan.SCALE,
        default_time_zone="America/New_York",
        scheduling_sender_email="recruiting@bench.example",
    )

    def person(email: str, name: str, zone: str, role: str) -> Any:
        user = user_create(email=email, full_name=name, password=None, time_zone=zone)
        user.availability.weekly_hours = HOURS
        user.availability.time_zone = zone
        user.availability.save()
        membership_add(user=user, organization=organization, role=role)
        return user

    recruiter = person("riley@bench.example", "Riley Chen", "America/New_York", Role.RECRUITER)
    starter = SelfScheduleTemplate.objects.get(organization=organization, name="Manager Interview")
    now = clock.now()
    plan: list[list[Booking]] = []
    for number in range(panels):
        zone = ZONES[number % len(ZONES)]
        manager, first, second = (
            person(
                f"{who}{number}@bench.example", f"{who.title()} {number}", zone, Role.INTERVIEWER
            )
            for who in ("manager", "kofi", "mei")
        )
        job = job_create(
            organization=organization, title=f"Robotics Engineer {number}", hiring_manager=manager
        )
        template = SelfScheduleTemplate.objects.get(pk=starter.pk)
        template.pk = None
        template._state.adding = True
        template.name = f"Panel Interview {number}"
        template.save()
        template.interviewers.set([first, second])
        stage = job.stages.order_by("position").first()
        candidates = Candidate.objects.bulk_create(
            Candidate(
                organization=organization,
                first_name=f"Candidate{number}x{index}",
                last_name="Bench",
                email=f"candidate{number}x{index}@bench.example",
            )
            for index in range(per_panel)
        )
        applications = Application.objects.bulk_create(
            Application(organization=organization, candidate=c, job=job, current_stage=stage)
            for c in candidates
        )
        batch = RequestBatch(organization=organization, template=template, sender=recruiter)
        requests = []
        for application in applications:
            with transaction.atomic():
                requests.append(batch.send(application=application, now=now).request)
        free = request_slots(request=requests[0], start=now, end=now + timedelta(days=60), now=now)
        starts: list[datetime] = []
        for slot in free:
            if not starts or slot.start_at >= starts[-1] + timedelta(
                minutes=requests[0].duration_minutes
            ):
                starts.append(slot.start_at)
        if len(starts) < per_panel:
            raise SystemExit(f"panel {number} offers {len(starts)} times, {per_panel} needed")
        plan.append(
            [
                Booking(token=link_token_derive(r.token_nonce), start=instant_text(s))
                for r, s in zip(requests, starts, strict=False)
            ]
        )
    # The invitations were "sent" before the benchmark: only the bookings' emails count.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.SENT, sent_at=now)
    return plan


def interleave(plan: list[list[Booking]], offset: int, count: int) -> list[Booking]:
    """``count`` bookings taken round-robin over the panels from position ``offset`` on, so
    that concurrent candidates mostly want different panels, as in a campaign over jobs."""
    out: list[Booking] = []
    index = offset
    if sum(max(0, len(bookings) - offset) for bookings in plan) < count:
        raise ValueError(f"fewer than {count} bookings from position {offset}")
    while len(out) < count:
        for bookings in plan:
            if index < len(bookings) and len(out) < count:
                out.append(bookings[index])
        index += 1
    return out


# --- the candidates ------------------------------------------------------------------------


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    codes: Counter[int] = field(default_factory=Counter)
    first_sent: float = 0.0
    last_done: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def http(port: int, method: str, path: str, body: str = "", cookie: str = "") -> tuple[int, float]:
    connection = HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": f"127.0.0.1:{port}"}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = cookie
    started = time.perf_counter()
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 599
    finally:
        connection.close()
    return status, time.perf_counter() - started


def book_all(port: int, bookings: list[Booking], clients: int) -> Outcome:
    outcome = Outcome()
    queue = list(reversed(bookings))
    alphabet = string.ascii_letters + string.digits

    def candidate() -> None:
        secret = "".join(secrets.choice(alphabet) for _ in range(32))
        while True:
            with outcome.lock:
                if not queue:
                    return
                booking = queue.pop()
                if not outcome.first_sent:
                    outcome.first_sent = time.perf_counter()
            body = urllib.parse.urlencode(
                {"start": booking.start, "tz": "Europe/Berlin", "csrfmiddlewaretoken": secret}
            )
            status, seconds = http(
                port, "POST", f"/s/{booking.token}/book", body, cookie=f"csrftoken={secret}"
            )
            with outcome.lock:
                outcome.codes[status] += 1
                outcome.latencies.append(seconds)
                outcome.last_done = time.perf_counter()

    threads = [threading.Thread(target=candidate) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def report_bookings(label: str, outcome: Outcome) -> float:
    booked = outcome.codes.get(303, 0)
    elapsed = outcome.last_done - outcome.first_sent
    rate = booked / elapsed if elapsed else 0.0
    lat = outcome.latencies
    print(
        f"{label}: {booked} booked in {elapsed:.2f} s = {rate:.1f} bookings/s; latency "
        f"p50 {percentile(lat, 0.5) * 1000:.0f} ms, p95 {percentile(lat, 0.95) * 1000:.0f} ms, "
        f"p99 {percentile(lat, 0.99) * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms; "
        f"answers {dict(outcome.codes)}"
    )
    return rate


def queries_per_booking(booking: Booking) -> int:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            f"/s/{booking.token}/book", {"start": booking.start, "tz": "Europe/Berlin"}
        )
    if response.status_code != 303:
        raise SystemExit(f"the counted booking answered {response.status_code}")
    return len(captured)


# --- the workers ---------------------------------------------------------------------------


class Workers:
    def __init__(self, env: dict[str, str], log_dir: Path, count: int = 2) -> None:
        self.env, self.log_dir, self.count = env, log_dir, count
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self, *, wait: bool = True) -> None:
        first = len(self.processes)
        for number in range(first, first + self.count):
            log = open(self.log_dir / f"worker-{number}.log", "wb")  # noqa: SIM115
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, str(ROOT / "manage.py"), "db_worker", "--queue-name", "*"],
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        while wait and not all(
            b"Starting worker" in (self.log_dir / f"worker-{n}.log").read_bytes()
            for n in range(first, first + self.count)
        ):
            self.check()
            time.sleep(0.05)

    def check(self) -> None:
        if any(process.poll() is not None for process in self.processes):
            raise SystemExit(f"a worker died; see {self.log_dir}/worker-*.log")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []


def consequences(since: datetime) -> tuple[int, int, int, int]:
    """Effects written and done, emails written and sent, of bookings made after ``since``."""
    from hireslot.messaging.models import OutgoingEmail
    from hireslot.scheduling.models import Effect

    effects = Effect.objects.filter(created_at__gt=since)
    emails = OutgoingEmail.objects.filter(created_at__gt=since)
    return (
        effects.count(),
        effects.filter(state=Effect.State.DONE).count(),
        emails.count(),
        emails.filter(status=OutgoingEmail.Status.SENT).count(),
    )


def wait_for_consequences(
    since: datetime, workers: Workers, handler: CountingHandler, timeout: float
) -> float:
    """Until every effect of bookings after ``since`` is done and each email accepted by SMTP;
    the moment it happened (perf_counter)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        written, done, emails, _ = consequences(since)
        if written and done == written and handler.accepted >= emails:
            return time.perf_counter()
        workers.check()
        time.sleep(0.1)
    raise SystemExit(f"consequences not done after {timeout:.0f} s: {consequences(since)}")


def worker_rates(since: datetime, handler_span: float, emails: int) -> str:
    """Effects/s from the database's completion times; emails/s from the SMTP server's."""
    from django.db.models import Count, Max, Min

    from hireslot.scheduling.models import Effect

    span = Effect.objects.filter(created_at__gt=since, state=Effect.State.DONE).aggregate(
        first=Min("done_at"), last=Max("done_at"), n=Count("pk")
    )
    seconds = (span["last"] - span["first"]).total_seconds() if span["n"] > 1 else 0.0
    effects_rate = (span["n"] - 1) / seconds if seconds else 0.0
    emails_rate = (emails - 1) / handler_span if handler_span and emails > 1 else 0.0
    verdict = "met" if effects_rate >= GOAL_EFFECTS else "NOT met"
    return (
        f"{span['n']} effects in {seconds:.2f} s = {effects_rate:.1f} effects/s "
        f"(goal >= {GOAL_EFFECTS:.0f}: {verdict}); {emails} emails in {handler_span:.2f} s = "
        f"{emails_rate:.1f} emails/s"
    )


# --- the two modes -------------------------------------------------------------------------


def environment(var_dir: Path, database_url: str, smtp_port: int, web_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HIRESLOT_ENV="development",
        HIRESLOT_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        HIRESLOT_BASE_URL=f"http://127.0.0.1:{web_port}",
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="hireslot.settings",
    )
    return env


def database_recreate(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database's name must say bench")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def wait_until_up(port: int, processes: list[subprocess.Popen[bytes]], log: Path) -> None:
    for _ in range(600):
        if any(process.poll() is not None for process in processes):
            raise SystemExit(f"the web server died; see {log}")
        if http(port, "GET", "/healthz")[0] == 200:
            return
        time.sleep(0.1)
    raise SystemExit(f"the web server did not answer; see {log}")


def run_postgres(
    args: argparse.Namespace, env: dict[str, str], var_dir: Path, handler: Any
) -> None:
    from django.core.management import call_command

    from hireslot.core import clock

    call_command("migrate", verbosity=0)
    half = -(-args.bookings // args.panels)
    per_panel = 2 * half + 1  # one more for the counted booking
    seeded = time.perf_counter()
    plan = seed(panels=args.panels, per_panel=per_panel)
    print(
        f"seeded {args.panels} panels of 3, {per_panel * args.panels} requests "
        f"({time.perf_counter() - seeded:.0f} s, not measured)"
    )
    counted = plan[0].pop()
    print(
        f"SQL statements for one booking (this process, test client): "
        f"{queries_per_booking(counted)} (goal <= {GOAL_QUERIES})"
    )
    idle = interleave(plan, 0, args.bookings)
    busy = interleave(plan, half, args.bookings)
    from hireslot.scheduling.models import Effect

    Effect.objects.all().delete()
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()

    port = int(env["HIRESLOT_BASE_URL"].rsplit(":", 1)[1])
    log = var_dir / "gunicorn.log"
    web = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "hireslot.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    workers = Workers(env, var_dir)
    try:
        wait_until_up(port, [web], log)
        for _ in range(8):  # every gunicorn worker imports and connects before timing
            http(port, "GET", "/healthz")
        print(f"gunicorn: 4 workers; {args.clients} concurrent candidates; load {load()}")

        since = clock.now()
        outcome = book_all(port, idle, args.clients)
        rate = report_bookings("workers stopped", outcome)
        print(
            f"  goal >= {GOAL_RATE_IDLE:.0f}/s: {'met' if rate >= GOAL_RATE_IDLE else 'NOT met'}"
            f"; load {load()}"
        )
        written, _, emails, _ = consequences(since)
        handler.accepted = 0
        workers.start()
        ready = time.perf_counter()
        wait_for_consequences(since, workers, handler, args.timeout)
        print(
            f"2 workers on that backlog ({written} effects, {emails} emails), done "
            f"{time.perf_counter() - ready:.1f} s after they started: "
            f"{worker_rates(since, handler.last_at - handler.first_at, handler.accepted)}; "
            f"load {load()}"
        )

        since = clock.now()
        handler.accepted = 0
        outcome = book_all(port, busy, args.clients)
        rate = report_bookings("workers running", outcome)
        print(
            f"  goal >= {GOAL_RATE_BUSY:.0f}/s: {'met' if rate >= GOAL_RATE_BUSY else 'NOT met'}"
            f"; load {load()}"
        )
        finished = wait_for_consequences(since, workers, handler, args.timeout)
        print(
            f"  every consequence done {finished - outcome.first_sent:.1f} s after the first "
            f"booking: {worker_rates(since, handler.last_at - handler.first_at, handler.accepted)}"
        )
    finally:
        workers.stop()
        web.terminate()
        web.wait(timeout=30)


def run_embedded(
    args: argparse.Namespace, env: dict[str, str], var_dir: Path, handler: Any
) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    per_panel = -(-args.bookings // args.panels)
    plan = seed(panels=args.panels, per_panel=per_panel)
    bookings = interleave(plan, 0, args.bookings)
    readers_pages = [b.token for b in interleave(plan, 0, args.bookings)]
    port = int(env["HIRESLOT_BASE_URL"].rsplit(":", 1)[1])
    log = var_dir / "serve.log"
    serve = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "serve",
            "--no-demo",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    workers = Workers(env, var_dir, count=1)  # serve runs the first one
    try:
        wait_until_up(port, [serve], log)
        workers.start()
        print(
            f"SQLite (temporary file), manage.py serve (the web server make run uses) and 2 "
            f"workers; {args.bookers} bookers, {args.readers} page readers; load {load()}"
        )
        stop = threading.Event()
        pages: list[float] = []
        page_codes: Counter[int] = Counter()

        def reader(number: int) -> None:
            index = number
            while not stop.is_set():
                status, seconds = http(
                    port, "GET", f"/s/{readers_pages[index % len(readers_pages)]}"
                )
                pages.append(seconds)
                page_codes[status] += 1
                index += args.readers

        threads = [threading.Thread(target=reader, args=(n,)) for n in range(args.readers)]
        for thread in threads:
            thread.start()
        try:
            outcome = book_all(port, bookings, args.bookers)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        report_bookings("embedded", outcome)
        worst = max(outcome.latencies)
        verdict = "met" if worst <= GOAL_EMBEDDED_MAX_WAIT_S else "NOT met"
        print(f"  goal: no booking waits more than {GOAL_EMBEDDED_MAX_WAIT_S:.0f} s: {verdict}")
        print(
            f"page loads: {len(pages)}, p50 {percentile(pages, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(pages, 0.95) * 1000:.0f} ms, max {max(pages) * 1000:.0f} ms; "
            f"answers {dict(page_codes)}; load {load()}"
        )
    finally:
        workers.stop()
        serve.send_signal(2)
        try:
            serve.wait(timeout=30)
        except subprocess.TimeoutExpired:
            serve.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embedded", action="store_true", help="SQLite and make run's server")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--bookings", type=int, default=None, help="per phase (400; 300 embedded)")
    parser.add_argument("--panels", type=int, default=12)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--bookers", type=int, default=10)
    parser.add_argument("--readers", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    if args.bookings is None:
        args.bookings = 300 if args.embedded else 400

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command
    var_dir = Path(tempfile.mkdtemp(prefix="hireslot-bench-"))
    if args.embedded:
        database_url = f"sqlite:///{var_dir / 'hireslot.sqlite3'}"
    else:
        database_url = args.database_url
        database_recreate(database_url)
    handler = CountingHandler()
    smtp_port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = environment(var_dir, database_url, smtp_port, free_port())
    os.environ.update(env)
    print(f"machine: {os.cpu_count()} CPUs, load average {load()} (1 / 5 / 15 min)")
    try:
        import django

        django.setup()
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        if args.embedded:
            run_embedded(args, env, var_dir, handler)
        else:
            run_postgres(args, env, var_dir, handler)
        print(f"load average at the end: {load()}")
    finally:
        controller.stop()
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
