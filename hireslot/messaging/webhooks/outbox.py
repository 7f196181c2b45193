"""Writing webhook messages: the outbox. A message row is written in the transaction of the
change that causes it, one per subscribed, enabled endpoint; its delivery is queued when
that transaction commits, so a change that rolls back sends nothing and a worker that dies
loses nothing (the row is still there, and still due)."""

from __future__ import annotations

import itertools
import secrets
from datetime import datetime
from typing import Any

from django.db import transaction

from hireslot.accounts.models import Organization
from hireslot.core import clock
from hireslot.core.work import work_enqueue
from hireslot.messaging.models import WebhookEndpoint, WebhookMessage
from hireslot.messaging.webhooks.events import ALL_EVENTS, WEBHOOK_EVENT_TYPES, WEBHOOK_TEST

DELIVER_WORK = "webhooks_deliver"


# Orders the ids one process makes within the same millisecond.
_sequence = itertools.count()


def webhook_message_id_new() -> str:
    """``msg_`` + 26 hex digits: the creation time (milliseconds), a per-process sequence
    and 40 random bits. Unique, and roughly sortable by creation."""
    millis = int(clock.now().timestamp() * 1000)
    return f"msg_{millis:012x}{next(_sequence) % 0x10000:04x}{secrets.token_hex(5)}"


def _instant(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _WakeUp:
    """The on-commit callback that queues one delivery task for every message a transaction
    wrote (a transaction recording many events queues one task, not one per event)."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids

    def __call__(self) -> None:
        work_enqueue(DELIVER_WORK, message_ids=self.ids)


def _deliveries_enqueue(messages: list[WebhookMessage]) -> None:
    if not messages:
        return
    ids = [str(message.pk) for message in messages]
    # After commit: the worker must find the rows. Should the process die between the
    # commit and the enqueue, the rows are still due and the sweep queues a drain for them
    # (``delivery.webhook_messages_lost_requeue``).
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _WakeUp):
                callback.ids.extend(ids)
                return
    transaction.on_commit(_WakeUp(ids))


def _messages_write(
    *,
    organization: Organization,
    endpoints: list[WebhookEndpoint],
    event_type: str,
    data: dict[str, Any],
) -> list[WebhookMessage]:
    now = clock.now()
    payload = {"type": event_type, "timestamp": _instant(now), "data": data}
    messages = WebhookMessage.objects.bulk_create(
        [
            WebhookMessage(
                organization=organization,
                endpoint=endpoint,
                message_id=webhook_message_id_new(),
                event_type=event_type,
                payload=payload,
                next_attempt_at=now,
            )
            for endpoint in endpoints
        ]
    )
    _deliveries_enqueue(messages)
    return messages


def _subscribed(organization: Organization, event_type: str) -> list[WebhookEndpoint]:
    return [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(organization=organization, enabled=True)
        if ALL_EVENTS in endpoint.event_types or event_type in endpoint.event_types
    ]


def webhook_event_wanted(*, organization: Organization, event_type: str) -> bool:
    """Whether any enabled endpoint receives ``event_type``: callers skip building a payload
    nobody will read (one small query)."""
    return bool(_subscribed(organization, event_type))


def webhook_event_record(
    *, organization: Organization, event_type: str, data: dict[str, Any]
) -> list[WebhookMessage]:
    """Record that ``event_type`` happened, with ``data`` (JSON values, built by the service
    that knows the change), for every enabled endpoint of the organization subscribed to it;
    in the caller's transaction. Returns the messages written (none without endpoints)."""
    if event_type not in WEBHOOK_EVENT_TYPES:
        raise ValueError(f"unknown webhook event type {event_type!r}")
    endpoints = _subscribed(organization, event_type)
    if not endpoints:
        return []
    return _messages_write(
        organization=organization, endpoints=endpoints, event_type=event_type, data=data
    )


def webhook_test_send(*, endpoint: WebhookEndpoint) -> WebhookMessage:
    """Send ``webhook.test`` to this endpoint (whatever it subscribed to), signed and logged
    like any other message."""
    with transaction.atomic():
        (message,) = _messages_write(
            organization=endpoint.organization,
            endpoints=[endpoint],
            event_type=WEBHOOK_TEST,
            data={
                "endpoint_id": str(endpoint.pk),
                "message": "This is a test event from HireSlot.",
            },
        )
    return message


def _replay(messages: list[WebhookMessage]) -> None:
    now = clock.now()
    for message in messages:
        message.state = WebhookMessage.State.PENDING
        message.next_attempt_at = now
        message.round_started_after = message.attempts
        message.claimed_until = None
        message.last_error = ""
        message.updated_at = now
    WebhookMessage.objects.bulk_update(
        messages,
        [
            "state",
            "next_attempt_at",
            "round_started_after",
            "claimed_until",
            "last_error",
            "updated_at",
        ],
        batch_size=500,
    )
    _deliveries_enqueue(messages)


def webhook_message_replay(*, message: WebhookMessage) -> WebhookMessage:
    """Send the message again, with the same ``webhook-id`` and a fresh retry schedule. A
    message being sent right now is left to that attempt."""
    with transaction.atomic():
        locked = WebhookMessage.objects.select_for_update().get(pk=message.pk)
        if not (
            locked.state == WebhookMessage.State.PENDING
            and locked.claimed_until is not None
            and locked.claimed_until > clock.now()
        ):
            _replay([locked])
    return locked


def webhook_messages_replay_failed(
    *,
    organization: Organization,
    since: datetime,
    until: datetime,
    endpoint: WebhookEndpoint | None = None,
) -> int:
    """Replay every failed message created in [since, until) (of one endpoint, when given).
    Returns how many."""
    with transaction.atomic():
        failed = WebhookMessage.objects.select_for_update().filter(
            organization=organization,
            state=WebhookMessage.State.FAILED,
            created_at__gte=since,
            created_at__lt=until,
        )
        if endpoint is not None:
            failed = failed.filter(endpoint=endpoint)
        messages = list(failed)
        _replay(messages)
    return len(messages)
