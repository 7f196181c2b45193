"""Benchmark of webhook delivery (not a test): ``python bench/webhooks.py``.

The database named by ``--database-url`` (default
``postgres://postgres@127.0.0.1:5432/hs_webhooks_bench``; its name must contain ``bench``, and
it is dropped and created again) gets one organization with one endpoint subscribed to every
event, pointing at a receiver on 127.0.0.1 (a separate process: a threaded HTTP server that
answers 204 and notes when each ``webhook-id`` arrived). ``--workers`` (4) ``manage.py
db_worker --queue-name webhooks`` processes run the real delivery code. This process then
records ``--messages`` (10,000) events through ``webhook_event_record`` from ``--producers``
(2) processes (as several web processes would), ``--per-commit`` (10) in each transaction, as
fast as they can, each event's payload shaped like an
``interview.scheduled`` (about 1.5 KB). Printed:

- messages/s from the first commit to the last arrival at the receiver;
- p50 / p95 / max latency from each event's commit to its arrival (the change to the
  receiver), and how many arrived more than once (the log is at least once);
- the machine's load average (``uptime``) at the start and the end: on a shared 2-core
  machine every figure moves with it.

``--backlog`` records every event first and starts the workers only then: messages/s is then
the workers' own rate (from their start to the last arrival), not bounded by how fast this
one process can record changes, and latency includes the wait in the backlog.

Goal: at least 200 messages/s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hs_webhooks_bench"
GOAL_RATE = 200.0


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def receive(port_out: Any, log_path: str, stop: Any) -> None:
    """The receiver process: answers 204 at once; writes "id arrival" lines to a file."""
    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - the process's lifetime

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        wbufsize = 64 * 1024
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", "0")))
            log.write(f"{self.headers['webhook-id']} {time.time():.6f}\n")
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    port_out.value = server.server_address[1]
    server.timeout = 0.2
    while not stop.is_set():
        server.handle_request()


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


def payload(number: int) -> dict[str, Any]:
    start = f"2026-03-{3 + number % 20:02d}T15:00:00Z"
    return {
        "interview": {
            "id": f"3f1c2a4e-0000-4000-8000-{number:012d}",
            "request_id": f"7a9d3b1c-0000-4000-8000-{number:012d}",
            "start": start,
            "end": start.replace("15:00", "15:45"),
            "status": "scheduled",
            "interviewers": [
                {"id": "b1f0c9de-1111-4222-8333-444455556666", "name": "Nora Alvarez",
                 "email": "nora@bench.example"},
            ],
            "conference_url": f"https://meet.jit.si/HireSlot-{number:08d}-bench",
            "steps": [
                {"kind": kind, "action": "book", "state": "pending", "attempts": 0,
                 "last_error": ""}
                for kind in ("calendar_event", "candidate_invite", "task", "notification")
            ],
        },
        "request": {
            "id": f"7a9d3b1c-0000-4000-8000-{number:012d}",
            "status": "scheduled",
            "link": "http://127.0.0.1:8000/s/" + "x" * 43,
            "expires_at": "2026-03-09T12:00:00Z",
            "application_id": "c0ffee00-0000-4000-8000-000000000001",
            "template_id": "c0ffee00-0000-4000-8000-000000000002",
            "interview_id": f"3f1c2a4e-0000-4000-8000-{number:012d}",
        },
        "candidate": {"id": "c0ffee00-0000-4000-8000-000000000003", "name": "Ada Okafor",
                      "email": f"ada{number}@bench.example", "time_zone": "Europe/Berlin"},
        "reschedule_url": "http://127.0.0.1:8000/s/" + "x" * 43 + "?change=reschedule",
        "cancel_url": "http://127.0.0.1:8000/s/" + "x" * 43 + "?change=cancel",
    }  # fmt: skip


def produce(organization_id: Any, first: int, last: int, args: Any, log_path: str) -> None:
    """One producer process: records events ``first`` to ``last``; writes "id commit" lines."""
    from django.db import transaction

    from hireslot.accounts.models import Organization
    from hireslot.messaging.webhooks import INTERVIEW_SCHEDULED, webhook_event_record

    organization = Organization.objects.get(pk=organization_id)
    with open(log_path, "w") as log:
        for start in range(first, last, args.per_commit):
            with transaction.atomic():
                written = [
                    message
                    for number in range(start, min(last, start + args.per_commit))
                    for message in webhook_event_record(
                        organization=organization,
                        event_type=INTERVIEW_SCHEDULED,
                        data=payload(number),
                    )
                ]
            at = time.time()
            log.writelines(f"{message.message_id} {at:.6f}\n" for message in written)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--per-commit", type=int, default=10)
    parser.add_argument("--producers", type=int, default=2, help="processes recording events")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--backlog", action="store_true", help="record all, then start workers")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="hireslot-bench-webhooks-"))
    database_recreate(args.database_url)
    env = dict(os.environ)
    env.update(
        HIRESLOT_ENV="development",
        HIRESLOT_VAR_DIR=str(var_dir),
        DATABASE_URL=args.database_url,
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="hireslot.settings",
    )
    os.environ.update(env)
    print(f"start: {load()}")

    port = multiprocessing.Value("i", 0)
    stop = multiprocessing.Event()
    arrivals_path = var_dir / "arrivals.txt"
    receiver = multiprocessing.Process(
        target=receive, args=(port, str(arrivals_path), stop), daemon=True
    )
    receiver.start()
    while not port.value:
        time.sleep(0.05)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from hireslot.accounts.models import Organization
    from hireslot.messaging.models import WebhookMessage
    from hireslot.messaging.webhooks import webhook_endpoint_create

    call_command("migrate", verbosity=0)
    organization = Organization.objects.create(name="Bench Webhooks", slug="bench-webhooks")
    webhook_endpoint_create(
        organization=organization,
        url=f"http://127.0.0.1:{port.value}/hooks",
        event_types=["*"],
    )

    def workers_start() -> list[subprocess.Popen[bytes]]:
        started = [
            subprocess.Popen(
                [
                    sys.executable,
                    str(ROOT / "manage.py"),
                    "db_worker",
                    "--queue-name",
                    "webhooks",
                    "--interval",
                    "0.1",
                    "--no-reload",
                    "--no-startup-delay",
                    "--worker-id",
                    f"bench-{number}",
                ],
                cwd=ROOT,
                env=env,
                stdout=open(var_dir / f"worker-{number}.log", "ab"),  # noqa: SIM115
                stderr=subprocess.STDOUT,
            )
            for number in range(args.workers)
        ]
        time.sleep(2)  # the workers start polling
        return started

    workers = [] if args.backlog else workers_start()
    committed: dict[str, float] = {}
    try:
        started = time.time()
        # Changes come from several processes (web processes), each in its own transactions.
        connections.close_all()
        share = -(-args.messages // args.producers)
        producers = []
        for number in range(args.producers):
            log = var_dir / f"committed-{number}.txt"
            first = number * share
            process = multiprocessing.Process(
                target=produce,
                args=(organization.pk, first, min(args.messages, first + share), args, str(log)),
            )
            process.start()
            producers.append((process, log))
        for process, log in producers:
            process.join()
            for line in log.read_text().splitlines():
                message_id, at_text = line.split()
                committed[message_id] = float(at_text)
        produced = time.time() - started
        print(
            f"recorded {len(committed)} events in {produced:.1f} s "
            f"({len(committed) / produced:.0f}/s; {args.producers} processes, "
            f"{args.per_commit} per transaction)"
        )
        if args.backlog:
            workers = workers_start()
        deadline = time.time() + args.timeout
        while time.time() < deadline:
            pending = WebhookMessage.objects.filter(state="pending").count()
            if not pending:
                break
            time.sleep(0.5)
        arrivals: dict[str, float] = {}
        repeats = 0
        for line in arrivals_path.read_text().splitlines():
            message_id, at_text = line.split()
            if message_id in arrivals:
                repeats += 1
                continue
            arrivals[message_id] = float(at_text)
        delivered = [message_id for message_id in committed if message_id in arrivals]
        latencies = [arrivals[m] - committed[m] for m in delivered]
        elapsed = max(arrivals.values()) - (started if not args.backlog else min(arrivals.values()))
        rate = len(delivered) / elapsed
        print(
            f"delivered {len(delivered)} of {len(committed)} with {args.workers} workers in "
            f"{elapsed:.1f} s: {rate:.0f} messages/s (goal {GOAL_RATE:.0f}: "
            f"{'met' if rate >= GOAL_RATE else 'NOT met'})"
        )
        print(
            "latency change -> receiver: "
            f"p50 {percentile(latencies, 0.5) * 1000:.0f} ms, "
            f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
            f"max {max(latencies) * 1000:.0f} ms; arrived more than once: {repeats}"
        )
        print(json.dumps({"messages_per_s": round(rate), "p95_ms": round(
            percentile(latencies, 0.95) * 1000)}))  # fmt: skip
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        stop.set()
        receiver.join(timeout=5)
        print(f"end: {load()}")
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
