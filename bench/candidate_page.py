"""Benchmark of the candidate's booking page (not a test): ``python bench/candidate_page.py``.

A database of its own on the system PostgreSQL (``--database-url``, default
``postgres://postgres@127.0.0.1:5432/hs_bench_candidate``; its name must contain ``bench``; it
is dropped and created again, and dropped at the end) gets one organization with a job whose
panel is three interviewers (New York, Chicago, Denver) with working hours, ``--busy`` cached
busy ranges each from a synced calendar over the next 120 days (two thirds of them the team's
meetings, the others their own), a day off each, and a few
interviews already booked with them. ``--requests`` candidates are sent the panel's template
(not measured); each page view and slots call picks the next one round-robin.

Then, against gunicorn with 4 workers on 127.0.0.1 (``HIRESLOT_ENV=production``, static files
collected, the client saying ``X-Forwarded-Proto: https`` as the TLS proxy would), for each of
``--levels`` (1, 10 and 50 concurrent clients), each for ``--duration`` seconds (20):

- ``GET /healthz`` (one ``SELECT 1``: the floor of a request through this stack),
- ``GET /s/<token>`` (the page, as a candidate opens the link; already opened once, so the
  one-time "opened" write is not in the figures),
- ``GET /s/<token>/slots?from=..&to=..&tz=America/New_York`` (14 days),

and prints p50/p95/p99 latency, requests/s, and at each level the page's and the slots'
p95 and throughput as ratios to ``/healthz``'s in the same run. Issue 11's goals at 50
clients: p95 at most 3x healthz's, throughput at least a third of it. Also printed: the SQL
statements of one page view and one slots call, counted in this process through Django's test
client against the same database (``CaptureQueriesContext``; goal at most 5 each), the page's
size, and the CPU the clients and the gunicorn workers used.

The clients are ``--client-processes`` processes (2) running asyncio with a minimal HTTP/1.1
GET (gunicorn's sync workers close every connection, so each request is a new connection in
any client); it costs a fraction of what an httpx request costs, so the client takes as
little CPU as possible from the server on a small machine. Every response is read to the end
and checked against its Content-Length; anything but a complete 200 counts as an error.

The machine's load average is printed at the start, at each level and at the end: on a shared
machine every figure moves with it. ``--duration 5`` makes a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hs_bench_candidate"
GOAL_QUERIES = 5
GOAL_P95_RATIO = 3.0
GOAL_RATE_RATIO = 1 / 3
ZONE = "America/New_York"
PANEL = (
    # email name, zone, weekly hours
    ("manager", "America/New_York", [["09:00", "17:00"]]),
    ("kofi", "America/Chicago", [["08:00", "16:00"]]),
    ("mei", "America/Denver", [["08:00", "12:00"], ["13:00", "17:00"]]),
)
BUSY_DAYS = 120
TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} / {five:.1f} / {fifteen:.1f}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


# --- seeding (not measured) ----------------------------------------------------------------


def seed(*, requests: int, busy: int, booked: int) -> list[str]:
    """The organization, the panel with its busy time, ``booked`` interviews already booked
    with the panel and ``requests`` open requests; the open requests' tokens."""
    from hireslot.accounts.models import Plan, Role
    from hireslot.accounts.services import date_override_set, membership_add, user_create
    from hireslot.calendars.models import BusySource
    from hireslot.calendars.providers.base import BusyBlock
    from hireslot.calendars.services import busy_cache_replace
    from hireslot.core import clock
    from hireslot.recruiting.services import application_create, candidate_create, job_create
    from hireslot.scheduling.models import SelfScheduleTemplate
    from hireslot.scheduling.services import interview_book, scheduling_request_send
    from hireslot.scheduling.services.starter import organization_start
    from hireslot.scheduling.slots import request_slots

    organization = organization_start(
        name="Bench Robotics",
        slug="bench",
        plan=Plan.SCALE,
        default_time_zone=ZONE,
        scheduling_sender_email="recruiting@bench.example",
    )
    now = clock.now()
    rng = random.Random(11)

    def person(who: str, zone: str, hours: list[list[str]], role: str) -> Any:
        user = user_create(
            email=f"{who}@bench.example", full_name=who.title(), password=None, time_zone=zone
        )
        user.availability.weekly_hours = dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), hours)
        user.availability.time_zone = zone
        user.availability.minimum_notice_minutes = 240
        user.availability.save()
        membership_add(user=user, organization=organization, role=role)
        return user

    recruiter = person("riley", ZONE, [["09:00", "17:00"]], Role.RECRUITER)
    panel = [person(who, zone, hours, Role.INTERVIEWER) for who, zone, hours in PANEL]

    def meeting(zone: ZoneInfo, ref: str) -> BusyBlock:
        """30 to 90 minutes between 07:00 and 20:00 local, any day of the next BUSY_DAYS."""
        day = (now.astimezone(zone) + timedelta(days=rng.randrange(BUSY_DAYS))).date()
        start = datetime(day.year, day.month, day.day, 7, tzinfo=zone) + timedelta(
            minutes=15 * rng.randrange(13 * 4)
        )
        minutes = rng.choice((30, 30, 45, 60, 90))
        return BusyBlock(start=start, end=start + timedelta(minutes=minutes), ref=ref)

    # The panel is one team: two thirds of each person's busy ranges are the team's meetings,
    # the rest their own (each person's calendar still holds ``busy`` ranges).
    team = [meeting(ZoneInfo(ZONE), f"team{index}") for index in range(busy * 2 // 3)]
    for number, user in enumerate(panel):
        zone = ZoneInfo(user.availability.time_zone)
        blocks = team + [meeting(zone, f"own{index}") for index in range(busy - len(team))]
        busy_cache_replace(
            user_id=user.pk,
            source=BusySource.GOOGLE,
            window_start=now - timedelta(days=1),
            window_end=now + timedelta(days=BUSY_DAYS + 1),
            blocks=blocks,
        )
        date_override_set(user=user, day=now.date() + timedelta(days=3 + number), hours=[])

    job = job_create(organization=organization, title="Robotics Engineer", hiring_manager=panel[0])
    template = SelfScheduleTemplate.objects.get(organization=organization, name="Manager Interview")
    template.interviewers.set(panel[1:])

    def send(number: int) -> Any:
        candidate = candidate_create(
            organization=organization,
            first_name=f"Candidate{number}",
            last_name="Bench",
            email=f"candidate{number}@bench.example",
        )
        application = application_create(candidate=candidate, job=job, actor=recruiter)
        return scheduling_request_send(application=application, template=template, sender=recruiter)

    for number in range(booked):
        request = send(1000 + number).request
        free = request_slots(request=request, start=now, end=now + timedelta(days=14), now=now)
        if free:
            interview_book(
                request=request, start=rng.choice(free).start_at, candidate_time_zone=ZONE
            )
    return [send(number).link.rsplit("/", 1)[1] for number in range(requests)]


def slots_query(today: date) -> str:
    return urllib.parse.urlencode(
        {"from": today.isoformat(), "to": (today + timedelta(days=13)).isoformat(), "tz": ZONE}
    )


def counted(tokens: list[str], query: str) -> tuple[int, int, int, int, int]:
    """Statements of a first page view (which marks the request opened), of a later one and
    of a slots call, in this process through the test client; the page's size in bytes and
    how many slots the 14 days offer."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(headers={"X-Forwarded-Proto": "https"})
    counts = []
    for path in (f"/s/{tokens[0]}", f"/s/{tokens[0]}", f"/s/{tokens[0]}/slots?{query}"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_HOST="127.0.0.1")
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}")
        counts.append(len(captured))
        if "/slots" not in path:
            size = len(response.content)
    return counts[0], counts[1], counts[2], size, len(response.json()["slots"])


# --- the clients (separate processes) ------------------------------------------------------


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    codes: Counter[int] = field(default_factory=Counter)
    cpu: float = 0.0
    elapsed: float = 0.0


async def fetch(port: int, path: str) -> int:
    """One GET on a new connection, read to the end: its status, or 0 if it came incomplete
    and 599 if the connection failed."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return 599
    try:
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Forwarded-Proto: https\r\n"
            f"Accept: text/html,application/json\r\nConnection: close\r\n\r\n".encode()
        )
        data = await asyncio.wait_for(reader.read(-1), timeout=120)
    except (OSError, TimeoutError):
        return 599
    finally:
        writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    try:
        status = int(lines[0].split()[1])
    except (IndexError, ValueError):
        return 0
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and int(value) != len(body):
            return 0
    return status


async def clients_run(
    port: int, paths: list[str], clients: int, offset: int, start_at: float, duration: float
) -> Outcome:
    outcome = Outcome()
    await asyncio.sleep(max(0.0, start_at - time.time()))
    began, cpu = time.perf_counter(), time.process_time()
    deadline = began + duration

    async def client(number: int) -> None:
        index = number
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            status = await fetch(port, paths[index % len(paths)])
            outcome.latencies.append(time.perf_counter() - started)
            outcome.codes[status] += 1
            index += clients

    await asyncio.gather(*(client(offset + n) for n in range(clients)))
    outcome.elapsed = time.perf_counter() - began
    outcome.cpu = time.process_time() - cpu
    return outcome


def client_process(job: tuple[int, list[str], int, int, float, float]) -> Outcome:
    return asyncio.run(clients_run(*job))


# --- the server ----------------------------------------------------------------------------


def gunicorn_cpu(master: int) -> float:
    """CPU seconds used so far by gunicorn's workers (children of ``master``)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / TICKS


def wait_until_up(port: int, web: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        if web.poll() is not None:
            raise SystemExit(f"gunicorn died; see {log}")
        if asyncio.run(fetch(port, "/healthz")) == 200:
            return
        time.sleep(0.1)
    raise SystemExit(f"gunicorn did not answer; see {log}")


@dataclass
class Figures:
    p50: float
    p95: float
    p99: float
    rate: float
    errors: int


def measure(
    pool: Any, port: int, paths: list[str], clients: int, processes: int, duration: float, web: int
) -> tuple[Figures, str]:
    processes = min(processes, clients)
    start_at = time.time() + 0.3
    share, extra = divmod(clients, processes)
    jobs, offset = [], 0
    for number in range(processes):
        count = share + (1 if number < extra else 0)
        jobs.append((port, paths, count, offset, start_at, duration))
        offset += count
    server_before = gunicorn_cpu(web)
    outcomes = pool.map(client_process, jobs)
    server_cpu = gunicorn_cpu(web) - server_before
    latencies = [value for outcome in outcomes for value in outcome.latencies]
    codes: Counter[int] = Counter()
    for outcome in outcomes:
        codes.update(outcome.codes)
    elapsed = max(outcome.elapsed for outcome in outcomes)
    figures = Figures(
        p50=percentile(latencies, 0.5) * 1000,
        p95=percentile(latencies, 0.95) * 1000,
        p99=percentile(latencies, 0.99) * 1000,
        rate=codes[200] / elapsed,
        errors=sum(count for code, count in codes.items() if code != 200),
    )
    client_cpu = sum(outcome.cpu for outcome in outcomes)
    cpu = (
        f"CPU: clients {client_cpu / elapsed:.2f}, gunicorn workers {server_cpu / elapsed:.2f} "
        f"cores"
    )
    return figures, cpu


def report(label: str, figures: Figures, cpu: str) -> None:
    errors = f"; {figures.errors} ERRORS" if figures.errors else ""
    print(
        f"  {label:<8} p50 {figures.p50:7.1f} ms  p95 {figures.p95:7.1f} ms  "
        f"p99 {figures.p99:7.1f} ms  {figures.rate:7.1f} req/s{errors}  ({cpu})"
    )


def ratios(label: str, figures: Figures, health: Figures, *, goal: bool) -> None:
    p95 = figures.p95 / health.p95 if health.p95 else float("inf")
    rate = figures.rate / health.rate if health.rate else 0.0
    verdict = ""
    if goal:
        met = p95 <= GOAL_P95_RATIO and rate >= GOAL_RATE_RATIO
        verdict = (
            f"  (goal p95 <= {GOAL_P95_RATIO:.0f}x, rate >= 1/3: {'met' if met else 'NOT met'})"
        )
    print(f"  {label}/healthz: p95 {p95:.2f}x, throughput {rate:.2f}x{verdict}")


# --- main ----------------------------------------------------------------------------------


def database_recreate(url: str, *, create: bool = True) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit(f"refusing to drop {name!r}: the benchmark database's name must say bench")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def environment(var_dir: Path, database_url: str, port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HIRESLOT_ENV="production",
        HIRESLOT_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        EMAIL_URL="console://",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        HIRESLOT_BASE_URL=f"http://127.0.0.1:{port}",
        DJANGO_SETTINGS_MODULE="hireslot.settings",
    )
    return env


def run(args: argparse.Namespace, env: dict[str, str], var_dir: Path) -> None:
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    seeded = time.perf_counter()
    tokens = seed(requests=args.requests, busy=args.busy, booked=args.booked)
    print(
        f"seeded a panel of 3 with {args.busy} busy ranges each, {args.booked} booked interviews "
        f"and {args.requests} requests ({time.perf_counter() - seeded:.0f} s, not measured)"
    )
    from hireslot.core import clock

    query = slots_query(clock.now().astimezone(ZoneInfo(ZONE)).date())
    first, page, slots, size, offered = counted(tokens, query)
    print(
        f"SQL statements (this process, test client, same database): first page view {first} "
        f"(marks the request opened, once), page view {page}, slots call {slots} "
        f"(goal <= {GOAL_QUERIES}: {'met' if max(page, slots) <= GOAL_QUERIES else 'NOT met'}); "
        f"page {size / 1024:.1f} KB, {offered} slots in 14 days"
    )
    from django.test import Client

    opener = Client(headers={"X-Forwarded-Proto": "https"})
    for token in tokens:  # opened once each, as by a candidate before the benchmark
        opener.get(f"/s/{token}", HTTP_HOST="127.0.0.1")
    connections.close_all()

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
    endpoints = {
        "healthz": ["/healthz"],
        "page": [f"/s/{token}" for token in tokens],
        "slots": [f"/s/{token}/slots?{query}" for token in tokens],
    }
    context = multiprocessing.get_context("spawn")
    try:
        wait_until_up(port, web, log)
        with context.Pool(args.client_processes) as pool:
            # Every worker imports, connects and renders once before timing.
            for paths in endpoints.values():
                measure(pool, port, paths, 8, args.client_processes, 1.0, web.pid)
            print(
                f"gunicorn: 4 sync workers, production settings; {args.client_processes} client "
                f"processes; {args.duration:.0f} s per run"
            )
            for level in args.levels:
                print(f"{level} concurrent clients (load {load()}):")
                results = {}
                for label, paths in endpoints.items():
                    results[label], cpu = measure(
                        pool, port, paths, level, args.client_processes, args.duration, web.pid
                    )
                    report(label, results[label], cpu)
                goal = level == max(args.levels)
                ratios("page", results["page"], results["healthz"], goal=goal)
                ratios("slots", results["slots"], results["healthz"], goal=goal)
    finally:
        web.terminate()
        try:
            web.wait(timeout=30)
        except subprocess.TimeoutExpired:
            web.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per run (20)")
    parser.add_argument(
        "--levels",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[1, 10, 50],
        help="concurrent clients, comma-separated (1,10,50)",
    )
    parser.add_argument("--busy", type=int, default=300, help="busy ranges per interviewer")
    parser.add_argument("--booked", type=int, default=4, help="interviews already booked")
    parser.add_argument("--requests", type=int, default=20, help="candidates' links to load")
    parser.add_argument("--client-processes", type=int, default=2)
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="hireslot-bench-"))
    env = environment(var_dir, args.database_url, free_port())
    os.environ.update(env)
    print(f"machine: {os.cpu_count()} CPUs, load average {load()} (1 / 5 / 15 min)")
    database_recreate(args.database_url)
    try:
        run(args, env, var_dir)
        print(f"load average at the end: {load()}")
    finally:
        from django.db import connections

        connections.close_all()
        database_recreate(args.database_url, create=False)
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
