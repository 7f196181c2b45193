"""``kill -9`` of workers while an interview loop's consequences run (decision 0025): after
recovery every session's interviewer has its calendar event exactly once, and the candidate
has exactly one invite for the whole loop (one-event mode) — none lost, none twice.

Two candidates book a loop of three sessions (each with its own interviewer) through
gunicorn's candidate endpoint. For the first, the first worker to write a calendar event is
held there (``blocking_calendar``) and killed; for the second, the SMTP server holds the
candidate's invite and its sender is killed (the message refused)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from tests.reliability.stack import (
    HireSlot,
    Smtp,
    assert_emails_exactly_once,
    everything_done,
    wait_until,
)

SLUG = "loops"


def test_kill_9_mid_loop_effects_loses_and_repeats_no_event_and_no_invite(
    hireslot: HireSlot, smtp: Smtp
) -> None:
    smtp.up()
    seeded = hireslot.scenario("seed_loop", "--slug", SLUG, "--candidates", "2")
    first, second = seeded["tokens"]
    hireslot.web_start()
    for name in ("w1", "w2", "w3"):
        hireslot.worker_start(name)
    hireslot.workers_registered(["w1", "w2", "w3"])
    hold: Path = hireslot.hold_dir / "hold-calendar"
    entered = hireslot.hold_dir / "entered-calendar"
    # The scheduling requests' emails are out before anything is held.
    wait_until(
        lambda: everything_done(hireslot.scenario("report", "--slug", SLUG)),
        timeout=60,
        every=0.5,
        what="the request emails to be sent",
    )

    # Given a loop booked while the first worker to write a session's calendar event is
    # held there, when that worker is killed and a supervisor starts another,
    hold.touch()
    assert hireslot.book(first, days=3) == 303
    wait_until(entered.exists, timeout=60, what="a worker to enter the calendar")
    victim = {str(p.pid): n for n, p in hireslot.workers.items()}[entered.read_text().split()[0]]
    hireslot.kill9(victim)
    hold.unlink()
    hireslot.worker_start("w4")

    # and a second loop booked while the SMTP server holds its candidate's invite, when the
    # worker sending it is killed (the message refused) and another is started,
    smtp.handler.hold(to=f"cand1@{SLUG}.example")
    assert hireslot.book(second, days=3) == 303
    hireslot.held_sender_kill(smtp.handler)
    hireslot.worker_start("w5")
    survivors = [n for n, p in hireslot.workers.items() if p.poll() is None]
    assert len(survivors) == 3, survivors

    # then, once the dead workers' leases lapse, every consequence happened exactly once:
    report = wait_until(
        lambda: _when_done(hireslot.scenario("report", "--slug", SLUG)),
        timeout=90,
        every=1,
        what="every consequence of both loops to be done",
    )
    assert_emails_exactly_once(report, smtp.handler)
    assert report["taken_over"] >= 2, report["tasks"]
    loops = hireslot.scenario("loop_report", "--slug", SLUG)
    assert [loop["status"] for loop in loops["loops"]] == ["scheduled", "scheduled"], loops
    sessions = loops["sessions"]
    assert sorted(s["position"] for s in sessions) == [0, 0, 1, 1, 2, 2], sessions
    # each session's interviewer has its event once (by owner and the session's UID),
    events = Counter((event["owner"], event["uid"]) for event in loops["calendar_events"])
    expected = Counter(
        (interviewer, session["uid"])
        for session in sessions
        for interviewer in session["interviewers"]
    )
    assert set(seeded["interviewers"]) == {owner for owner, _ in expected}
    assert events == expected, f"lost: {expected - events}, extra: {events - expected}"
    # and each candidate has one invite: the loop's (its UID), not one per session.
    invites = Counter(
        (item.to, item.uid) for item in smtp.handler.delivered if item.method == "REQUEST"
    )
    loop_uids = {loop["uid"] for loop in loops["loops"]}
    assert sorted(invites.values()) == [1, 1], invites
    assert {uid for _, uid in invites} == loop_uids, invites
    assert {to for to, _ in invites} == {f"cand0@{SLUG}.example", f"cand1@{SLUG}.example"}


def _when_done(report: dict[str, Any]) -> dict[str, Any] | None:
    return report if everything_done(report) else None
