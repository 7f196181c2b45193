"""Outages (issue 9, items 13 and 14): the mail server down then up, and the database
stopped for 20 seconds under running workers. Every email arrives exactly once, every webhook
message arrives (again only under its own ``webhook-id``), nothing is lost, the workers are
still running afterwards, and candidates meanwhile get the 503 page."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from tests.messaging.webhook_receiver import Answer, Received, Receiver
from tests.reliability.stack import (
    HireSlot,
    Smtp,
    ThrowawayPostgres,
    assert_exactly_once,
    database_create,
    everything_done,
    wait_until,
)

BOOKINGS = 4
OUTAGE_SECONDS = 20


def _report_when_done(hireslot: HireSlot, slug: str) -> dict[str, object] | None:
    report = hireslot.scenario("report", "--slug", slug)
    return report if everything_done(report) else None


def _webhooks_when_delivered(hireslot: HireSlot, slug: str) -> dict[str, dict[str, object]] | None:
    messages: dict[str, dict[str, object]] = hireslot.scenario("webhook_report", "--slug", slug)[
        "messages"
    ]
    if messages and all(message["state"] == "delivered" for message in messages.values()):
        return messages
    return None


def test_mail_server_down_then_up_delivers_every_email_exactly_once(
    hireslot: HireSlot, smtp: Smtp
) -> None:
    tokens = hireslot.scenario("seed", "--slug", "smtp", "--candidates", str(BOOKINGS))["tokens"]
    hireslot.web_start()
    for name in ("w1", "w2"):
        hireslot.worker_start(name)
    for token in tokens:
        assert hireslot.book(token) == 303

    def all_waiting_for_the_server() -> bool:
        report = hireslot.scenario("report", "--slug", "smtp")
        emails, effects = report["emails"], report["effects"]
        return set(effects) == {"done"} and set(emails) == {"retrying"}

    wait_until(all_waiting_for_the_server, timeout=60, every=1, what="every email to be retrying")
    smtp.up()
    report = wait_until(
        lambda: _report_when_done(hireslot, "smtp"),
        timeout=150,
        every=1,
        what="every email to be delivered",
    )

    assert len(report["interviews"]) == BOOKINGS
    assert_exactly_once(report, smtp.handler)


def test_a_database_outage_leaves_the_workers_running_and_loses_nothing(
    smtp: Smtp, tmp_path: Path
) -> None:
    postgres = ThrowawayPostgres()
    try:
        postgres.init()
        postgres.start()
        url = database_create(postgres.url, "hireslot")
        hireslot = HireSlot(url=url, smtp_port=smtp.port, folder=tmp_path)
        outage_began = threading.Event()

        def hold_the_first(received: Received, before: int) -> Answer:
            # A delivery in flight when the database goes away: its success cannot be
            # recorded until the database is back.
            if received.payload["type"] == "interview.scheduled" and not outage_began.is_set():
                outage_began.wait(60)
            return Answer(200)

        try:
            with Receiver(hold_the_first) as receiver:
                _outage(hireslot, postgres, smtp, receiver, outage_began)
        finally:
            hireslot.stop()
    finally:
        postgres.destroy()


def _outage(
    hireslot: HireSlot,
    postgres: ThrowawayPostgres,
    smtp: Smtp,
    receiver: Receiver,
    outage_began: threading.Event,
) -> None:
    hireslot.manage("migrate", "--no-input")
    tokens = hireslot.scenario("seed", "--slug", "db", "--candidates", str(BOOKINGS))["tokens"]
    hireslot.scenario("webhook", "--slug", "db", "--url", receiver.url)
    smtp.up()
    hireslot.web_start()
    # Work in flight when the database goes away: one worker inside a calendar effect, the
    # other inside an SMTP conversation the server will accept during the outage.
    hold = hireslot.hold_dir / "hold-calendar"
    hold.touch()
    smtp.handler.hold_next = True
    smtp.handler.accept_held = True
    for name in ("w1", "w2"):
        hireslot.worker_start(name)
    hireslot.workers_registered(["w1", "w2"])
    for token in tokens:
        assert hireslot.book(token) == 303
    wait_until((hireslot.hold_dir / "entered-calendar").exists, timeout=60, what="calendar")
    wait_until(smtp.handler.holding.is_set, timeout=60, what="a message to be held")
    wait_until(
        lambda: any(r.payload["type"] == "interview.scheduled" for r in receiver.received),
        timeout=60,
        what="a webhook delivery to be in flight",
    )

    postgres.stop()
    outage_began.set()
    hold.unlink()
    smtp.handler.release.set()
    wait_until(
        lambda: all("database unreachable" in hireslot.log(n) for n in ("w1", "w2")),
        timeout=15,
        what="both workers to notice the outage",
    )
    # Candidates and load balancers are told, not shown a bare error (the web side, issue 9
    # item 15), by the same gunicorn that served the bookings.
    page = httpx.get(f"{hireslot.base}/s/{tokens[0]}", timeout=30)
    assert page.status_code == 503
    assert page.headers["Retry-After"]
    assert "Server Error (500)" not in page.text
    health = httpx.get(f"{hireslot.base}/healthz", timeout=30)
    assert (health.status_code, health.json()) == (
        503,
        {"status": "degraded", "database": "unreachable"},
    )
    time.sleep(OUTAGE_SECONDS)
    assert all(worker.poll() is None for worker in hireslot.workers.values())
    postgres.start()
    wait_until(
        lambda: httpx.get(f"{hireslot.base}/healthz", timeout=5).status_code == 200,
        timeout=60,
        what="the web side to recover by itself",
    )
    assert httpx.get(f"{hireslot.base}/s/{tokens[0]}", timeout=30).status_code == 200

    report = wait_until(
        lambda: _report_when_done(hireslot, "db"),
        timeout=120,
        every=1,
        what="every consequence to be done after the outage",
    )

    assert all(worker.poll() is None for worker in hireslot.workers.values()), "a worker died"
    assert len(report["interviews"]) == BOOKINGS
    assert_exactly_once(report, smtp.handler)
    messages = wait_until(
        lambda: _webhooks_when_delivered(hireslot, "db"),
        timeout=120,
        every=1,
        what="every webhook message to be delivered after the outage",
    )
    scheduled = [m for m in messages.values() if m["event_type"] == "interview.scheduled"]
    assert len(scheduled) == BOOKINGS
    # Nothing lost: every message recorded arrived; a repeat is only ever the same message.
    assert {r.webhook_id for r in receiver.received} == set(messages)
    assert all(message["successes"] >= 1 for message in messages.values())
    for name in ("w1", "w2"):
        log = hireslot.log(name)
        # Said once per outage, not once per poll.
        assert log.count("keeps trying to reconnect") <= 1, log[-3000:]
        assert "reachable again" in log or "while recording" in log, log[-3000:]
