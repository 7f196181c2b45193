"""``kill -9`` of a worker in the middle of a webhook delivery (issue 12): once its lease
lapses another worker sends the message again with the same ``webhook-id``, signed, and the
log records one success."""

from __future__ import annotations

import threading

from standardwebhooks import Webhook

from tests.messaging.webhook_receiver import Answer, Received, Receiver
from tests.reliability.stack import HireSlot, Smtp, wait_until


def test_a_worker_killed_mid_delivery_is_followed_by_a_resend_with_the_same_webhook_id(
    hireslot: HireSlot, smtp: Smtp
) -> None:
    smtp.up()
    release = threading.Event()

    def hold_the_first(received: Received, before: int) -> Answer:
        if received.payload["type"] == "interview.scheduled" and before == 0:
            release.wait(60)  # the worker sending it is killed meanwhile
            return Answer(200)
        return Answer(200)

    with Receiver(hold_the_first) as receiver:
        (token,) = hireslot.scenario("seed", "--slug", "hooks", "--candidates", "1")["tokens"]
        secret = hireslot.scenario("webhook", "--slug", "hooks", "--url", receiver.url)["secret"]
        hireslot.web_start()
        hireslot.worker_start("w1")
        hireslot.workers_registered(["w1"])

        assert hireslot.book(token) == 303
        first = wait_until(
            lambda: next(
                (r for r in receiver.received if r.payload["type"] == "interview.scheduled"), None
            ),
            timeout=60,
            what="the interview.scheduled message to arrive",
        )
        hireslot.kill9("w1")
        release.set()
        hireslot.worker_start("w2")

        def sent_again() -> list[Received]:
            same = [r for r in receiver.received if r.webhook_id == first.webhook_id]
            return same if len(same) >= 2 else []

        again = wait_until(sent_again, timeout=90, what="the message to be sent again")
        for received in again:
            Webhook(secret).verify(received.body, received.headers)
        report = wait_until(
            lambda: _delivered(hireslot, first.webhook_id),
            timeout=30,
            what="the message to be recorded as delivered",
        )
    assert report["successes"] == 1
    assert report["attempts"] >= 1
    logs = hireslot.log("w2")
    assert "Traceback" not in logs, logs[-3000:]


def _delivered(hireslot: HireSlot, message_id: str) -> dict[str, object] | None:
    messages = hireslot.scenario("webhook_report", "--slug", "hooks")["messages"]
    row = messages.get(message_id)
    return row if row and row["state"] == "delivered" else None
