"""Benchmark of bulk sending (not a test): ``python bench/bulk_send.py [--candidates 1000]``.

A fresh database (a temporary SQLite file, or ``--database-url`` naming an EMPTY throwaway
database), one organization on the Scale plan with the starter "Manager Interview" template,
a job whose hiring manager has working hours, and N candidates with email addresses in its
first stage. Then, as the pipeline page does:

1. two worker processes (``manage.py db_worker --queue-name '*'``, default options) are
   started and left to reach their polling loop, as they would be running in production
   (``--cold-workers`` starts them after the click instead, so their start-up counts);
2. ``bulk_send_start`` (the recruiter's click): one BulkSend, N items, its task(s);
3. the workers create the N requests (one transaction each) and deliver the N emails over
   SMTP to a local aiosmtpd server on 127.0.0.1.

Prints seconds for the click, until every request exists (goal <= 5 s), and until every
email has been accepted by the SMTP server (goal <= 60 s), all measured from the click.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOAL_REQUESTS_S = 5.0
GOAL_DELIVERY_S = 60.0


class CountingHandler:
    """An SMTP server that accepts everything and counts it."""

    def __init__(self) -> None:
        self.accepted = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.accepted += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(var_dir: Path, database_url: str, smtp_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HIRESLOT_ENV="development",
        HIRESLOT_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        DEBUG="0",
        DJANGO_SETTINGS_MODULE="hireslot.settings",
    )
    return env


def seed(count: int) -> tuple[Any, Any, Any, list[Any]]:
    """The organization, template, recruiter and ``count`` applications (not measured)."""
    from hireslot.accounts.models import Plan, Role
    from hireslot.accounts.services import membership_add, user_create
    from hireslot.recruiting.models import Application, Candidate
    from hireslot.recruiting.services import job_create
    from hireslot.scheduling.models import SelfScheduleTemplate
    from hireslot.scheduling.services.starter import organization_start

    hours = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
    organization = organization_start(
        name="Bench Robotics",
        slug="bench",
        plan=Plan.SCALE,
        default_time_zone="America/New_York",
        scheduling_sender_email="recruiting@bench.example",
    )
    people = []
    for email, name, role in (
        ("riley@bench.example", "Riley Chen", Role.RECRUITER),
        ("nora@bench.example", "Nora Alvarez", Role.INTERVIEWER),
    ):
        user = user_create(email=email, full_name=name, password=None, time_zone="UTC")
        user.availability.weekly_hours = hours
        user.availability.save()
        membership_add(user=user, organization=organization, role=role)
        people.append(user)
    recruiter, manager = people
    job = job_create(organization=organization, title="Robotics Engineer", hiring_manager=manager)
    stage = job.stages.order_by("position").first()
    candidates = Candidate.objects.bulk_create(
        Candidate(
            organization=organization,
            first_name=f"Candidate{number:05d}",
            last_name="Bench",
            email=f"candidate{number}@bench.example",
        )
        for number in range(count)
    )
    applications = Application.objects.bulk_create(
        Application(organization=organization, candidate=candidate, job=job, current_stage=stage)
        for candidate in candidates
    )
    template = SelfScheduleTemplate.objects.get(organization=organization, name="Manager Interview")
    return organization, template, recruiter, applications


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, default=1_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default="",
        help="an EMPTY throwaway database (default: a temporary SQLite file)",
    )
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument(
        "--cold-workers",
        action="store_true",
        help="start the workers after the click (their start-up then counts), as before",
    )
    args = parser.parse_args()

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every command

    var_dir = Path(tempfile.mkdtemp(prefix="hireslot-bench-"))
    database_url = args.database_url or f"sqlite:///{var_dir / 'bench.sqlite3'}"
    handler = CountingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env = environment(var_dir, database_url, port)
    os.environ.update(env)
    workers: list[subprocess.Popen[bytes]] = []
    try:
        import django

        django.setup()
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        from django.core.management import call_command
        from django.db import connection
        from django.db.models import Count

        from hireslot.messaging.models import OutgoingEmail
        from hireslot.scheduling.models import BulkSendItem, SchedulingRequest
        from hireslot.scheduling.services.bulk import bulk_send_start

        call_command("migrate", verbosity=0)
        organization, template, recruiter, applications = seed(args.candidates)
        where = "given" if args.database_url else "temporary file"
        print(f"database: {connection.vendor} ({where})")
        print(f"candidates: {len(applications)}, workers: {args.workers}, SMTP: 127.0.0.1:{port}")

        def workers_start() -> None:
            for number in range(args.workers):
                log = open(var_dir / f"worker-{number}.log", "wb")  # noqa: SIM115
                workers.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            str(ROOT / "manage.py"),
                            "db_worker",
                            "--queue-name",
                            "*",
                        ],
                        cwd=ROOT,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )

        if not args.cold_workers:
            # As in production, the workers are already running when the recruiter clicks:
            # wait until each has started and is past its random start-up delay (<= 1 s).
            booting = time.perf_counter()
            workers_start()
            while not all(
                b"Starting worker" in (var_dir / f"worker-{number}.log").read_bytes()
                for number in range(args.workers)
            ):
                if any(worker.poll() is not None for worker in workers):
                    raise SystemExit(f"a worker died; see {var_dir}/worker-*.log")
                time.sleep(0.05)
            time.sleep(1.0)
            print(
                f"workers started and polling (before the click, not counted): "
                f"{time.perf_counter() - booting:.2f} s"
            )

        started = time.perf_counter()
        bulk_send = bulk_send_start(
            organization=organization,
            template=template,
            applications=applications,
            sender=recruiter,
        )
        click = time.perf_counter() - started
        print(f"click (BulkSend + {bulk_send.total} items + 1 task): {click:.3f} s")
        if args.cold_workers:
            workers_start()  # counted: their start-up is part of the time from the click

        requests_done: float | None = None
        deadline = started + args.timeout
        total = bulk_send.total
        while time.perf_counter() < deadline:
            if requests_done is None:
                waiting = BulkSendItem.objects.filter(
                    bulk_send=bulk_send, outcome=BulkSendItem.Outcome.WAITING
                ).count()
                if waiting == 0:
                    requests_done = time.perf_counter() - started
                    created = SchedulingRequest.objects.filter(bulk_send=bulk_send).count()
                    print(
                        f"requests created ({created}): {requests_done:.2f} s from the click "
                        f"({handler.accepted} emails delivered by then)"
                    )
            if handler.accepted >= total:
                break
            if any(worker.poll() is not None for worker in workers):
                raise SystemExit(f"a worker died; see {var_dir}/worker-*.log")
            time.sleep(0.05)
        delivered = time.perf_counter() - started
        sent = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENT).count()
        print(
            f"emails accepted by SMTP: {handler.accepted} / {total} "
            f"({sent} recorded sent so far): {delivered:.2f} s from the click"
        )
        outcomes = dict(
            BulkSendItem.objects.filter(bulk_send=bulk_send)
            .values_list("outcome")
            .annotate(n=Count("pk"))
            .values_list("outcome", "n")
        )
        print(f"items: {outcomes}")

        def verdict(ok: bool) -> str:
            return "met" if ok else "NOT met"

        ok_requests = requests_done is not None and requests_done <= GOAL_REQUESTS_S
        ok_delivery = handler.accepted >= total and delivered <= GOAL_DELIVERY_S
        print(
            f"goal <= {GOAL_REQUESTS_S:.0f} s: the click {verdict(click <= GOAL_REQUESTS_S)}, "
            f"every request created {verdict(ok_requests)}; "
            f"goal delivery <= {GOAL_DELIVERY_S:.0f} s {verdict(ok_delivery)}"
        )
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
        controller.stop()
        if os.environ.get("BENCH_KEEP"):
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
