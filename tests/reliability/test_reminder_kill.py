"""``kill -9`` of workers in the middle of sending reminders (issue 17, decision 0030): every
due reminder still reaches its reader exactly once, and every reminder row ends ``sent``.

The reminders are due the moment their interviews are booked (booked 1 to 6 minutes ahead
with a 10-minute reminder: within the 15 minutes a reminder may be late), so three workers
race for them with the real clock. The SMTP server holds the first reminder message; its
sender is killed and the message refused; then the same for the next one."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.reliability.stack import (
    HireSlot,
    Smtp,
    assert_emails_exactly_once,
    everything_done,
    wait_until,
)

INTERVIEWS = 4
REMINDER = "Reminder:"


def test_kill_9_mid_reminder_sends_loses_and_repeats_no_reminder(
    hireslot: HireSlot, smtp: Smtp
) -> None:
    smtp.up()
    tokens = hireslot.scenario(
        "seed_reminders", "--slug", "remind", "--candidates", str(INTERVIEWS)
    )["tokens"]
    hireslot.web_start()
    for name in ("w1", "w2", "w3"):
        hireslot.worker_start(name)
    hireslot.workers_registered(["w1", "w2", "w3"])

    # Given interviews booked through gunicorn whose reminders are due at once, and the
    # SMTP server holding the first reminder message that reaches it,
    smtp.handler.hold(subject=REMINDER)
    for token in tokens:
        assert hireslot.book(token, not_before_seconds=60, days=1) == 303
    # when the worker sending it is killed (the message refused), and then the worker
    # sending the next reminder message too, and a supervisor starts one new worker,
    killed = [hireslot.held_sender_kill(smtp.handler)]
    smtp.handler.hold(subject=REMINDER)
    killed.append(hireslot.held_sender_kill(smtp.handler))
    hireslot.worker_start("w4")
    survivors = [n for n, p in hireslot.workers.items() if p.poll() is None]
    assert len(survivors) == 2 and len(set(killed)) == 2, (survivors, killed)

    # then every reminder ends sent, and each reader got its reminder exactly once.
    reminders = wait_until(
        lambda: _settled(hireslot),
        timeout=90,
        every=1,
        what="every reminder sent and delivered",
    )
    assert len(reminders) == 2 * INTERVIEWS, reminders
    assert Counter(row["audience"] for row in reminders) == {
        "candidate": INTERVIEWS,
        "interviewer": INTERVIEWS,
    }
    assert {row["state"] for row in reminders} == {"sent"}, reminders
    received = Counter(
        (item.to, item.subject)
        for item in smtp.handler.delivered
        if item.subject.startswith(REMINDER)
    )
    expected = Counter((row["email_to"], row["email_subject"]) for row in reminders)
    assert len(expected) == 2 * INTERVIEWS, expected  # one reader and subject per reminder
    assert received == expected, f"lost: {expected - received}, extra: {received - expected}"
    # And everything else the bookings caused (invites, events, notices) happened once.
    report = wait_until(
        lambda: _when_done(hireslot.scenario("report", "--slug", "remind")),
        timeout=60,
        every=1,
        what="every booking's consequence to be done",
    )
    assert_emails_exactly_once(report, smtp.handler)
    assert report["taken_over"] >= 2, report["tasks"]


def _settled(hireslot: HireSlot) -> list[dict[str, Any]] | None:
    rows: list[dict[str, Any]] = hireslot.scenario("reminder_report", "--slug", "remind")[
        "reminders"
    ]
    if not rows or any(row["state"] == "planned" for row in rows):
        return None
    if any(row["state"] == "sent" and row["email_status"] != "sent" for row in rows):
        return None
    return rows


def _when_done(report: dict[str, Any]) -> dict[str, Any] | None:
    return report if everything_done(report) else None
