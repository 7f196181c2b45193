"""``kill -9`` of a worker in the middle of an effect, an email and a bulk part (issue 9,
item 13): every consequence still happens, exactly once, once the lease lapses."""

from __future__ import annotations

from pathlib import Path

from tests.reliability.stack import (
    LEASE_SECONDS,
    HireSlot,
    Smtp,
    assert_exactly_once,
    everything_done,
    wait_until,
)

BOOKINGS = 6
BULK = 300


def test_kill_9_mid_effect_mid_email_and_mid_bulk_part_loses_and_repeats_nothing(
    hireslot: HireSlot, smtp: Smtp
) -> None:
    smtp.up()
    tokens = hireslot.scenario("seed", "--slug", "kill", "--candidates", str(2 * BOOKINGS))[
        "tokens"
    ]
    hireslot.web_start()
    for name in ("w1", "w2"):
        hireslot.worker_start(name)
    hireslot.workers_registered(["w1", "w2"])
    hold: Path = hireslot.hold_dir / "hold-calendar"
    entered = hireslot.hold_dir / "entered-calendar"

    # 1. In the middle of a calendar effect: the first worker to write an event is held
    #    there; kill it, and a supervisor starts a new one.
    hold.touch()
    for token in tokens[:BOOKINGS]:
        assert hireslot.book(token) == 303
    wait_until(entered.exists, timeout=60, what="a worker to enter the calendar")
    victim = {str(p.pid): n for n, p in hireslot.workers.items()}[entered.read_text().split()[0]]
    hireslot.kill9(victim)
    hold.unlink()
    hireslot.worker_start("w3")

    # 2. In the middle of an email: the SMTP server holds the next message; kill its sender.
    smtp.handler.hold_next = True
    for token in tokens[BOOKINGS:]:
        assert hireslot.book(token) == 303
    wait_until(smtp.handler.holding.is_set, timeout=60, what="a message to be held")
    (recipient,) = smtp.handler.held_for
    email_id = wait_until(
        lambda: _sending_email(hireslot, recipient), timeout=10, what="the email in sending"
    )
    sender = wait_until(
        lambda: hireslot.worker_of_running("email_deliver", email_id=email_id),
        timeout=10,
        what="the worker delivering it",
    )
    hireslot.kill9(sender)
    smtp.handler.release.set()
    hireslot.worker_start("w4")

    # 3. In the middle of a bulk send's part: kill a worker while it runs one.
    hireslot.scenario("bulk", "--slug", "kill", "--candidates", str(BULK))
    bulk_worker = wait_until(
        lambda: _live(hireslot, hireslot.worker_of_running("bulk_send_execute")),
        timeout=60,
        every=0.01,
        what="a bulk part running",
    )
    hireslot.kill9(bulk_worker)
    # One survivor is left to take over what the dead held once their leases lapse.
    survivors = [n for n, p in hireslot.workers.items() if p.poll() is None]
    assert len(survivors) == 1, survivors
    report = wait_until(
        lambda: _when(everything_done, hireslot.scenario("report", "--slug", "kill")),
        timeout=120,
        every=1,
        what="every consequence to be done",
    )

    assert len(report["interviews"]) == 2 * BOOKINGS
    assert report["bulk"] == {"sent": BULK}
    # The killed workers' tasks (calendar effect, email, bulk part) were taken over.
    assert report["taken_over"] >= 3
    assert_exactly_once(report, smtp.handler)
    assert all(n == report["effects_per_interview"][0] for n in report["effects_per_interview"])
    sweeps = "".join(hireslot.log(name) for name in hireslot.workers)
    assert sweeps.count("whose lease lapsed: queued again") >= 3, sweeps[-3000:]
    assert LEASE_SECONDS < 10


def _sending_email(hireslot: HireSlot, recipient: str) -> str | None:
    from tests.reliability.stack import sql

    rows = sql(
        hireslot.url,
        "SELECT id FROM messaging_outgoingemail WHERE status = 'sending' AND \"to\" = %s",
        recipient,
    )
    return str(rows[0][0]) if rows else None


def _live(hireslot: HireSlot, name: str | None) -> str | None:
    if name is None or name not in hireslot.workers:
        return None
    return name if hireslot.workers[name].poll() is None else None


def _when(done: object, report: dict[str, object]) -> dict[str, object] | None:
    assert callable(done)
    return report if done(report) else None
