"""Delivering webhook messages: the worker's side of the outbox (decision webhook-outbox).

One task drains what is due in small batches with one keep-alive HTTP client, instead of a
task per message: claiming a batch is one short transaction (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL, so several workers take different rows), each message is POSTed outside any
transaction, and a batch's outcomes are recorded together.

- A claim is a lease (``claimed_until``, decision 0009): a worker killed mid-delivery leaves a
  claim that lapses, and the message is sent again with the same ``webhook-id``; receivers
  deduplicate on it (at least once, never lost).
- Every connection goes through the outbound-request guard (``core.outbound``), checked when
  connecting; redirects are not followed; 15 s is the whole attempt's limit.
- Success is any 2xx. Anything else is retried on ``RETRY_SCHEDULE`` with jitter, later when
  the answer's ``Retry-After`` asks for it; ``410 Gone`` disables the endpoint at once; after
  the last attempt the message is failed.
- An endpoint failing for ``ALERT_AFTER`` (or whose message ends failed) tells the
  organization's admins once per run of failures; one failing for ``DISABLE_AFTER`` is
  disabled with a notice.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import Q

from hireslot.accounts.models import Organization, Role, User
from hireslot.core import clock
from hireslot.core.leases import lease_expiry, lease_length
from hireslot.core.outage import through_outage
from hireslot.core.outbound import OutboundError, outbound_client, outbound_failure, url_host
from hireslot.core.work import work_enqueue
from hireslot.messaging.models import WebhookDelivery, WebhookEndpoint, WebhookMessage
from hireslot.messaging.notifications import NotificationEmail, NotificationTopic, notification_send
from hireslot.messaging.webhooks.endpoints import webhook_endpoint_secrets_active
from hireslot.messaging.webhooks.outbox import DELIVER_WORK
from hireslot.messaging.webhooks.signing import webhook_signature_header

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 15.0
RESPONSE_KEPT_BYTES = 1024
# Seconds before each retry, after the first attempt: about 3 days in all (10 attempts).
RETRY_SCHEDULE: tuple[float, ...] = (5, 300, 1800, 7200, 18000, 36000, 50400, 72000, 86400)
# No retry comes sooner than the schedule says, nor later than this whatever Retry-After says.
RETRY_AFTER_CAP = timedelta(hours=24)
ALERT_AFTER = timedelta(hours=1)
DISABLE_AFTER = timedelta(days=5)
BATCH_SIZE = 50
# A drain stops taking new batches after this long and queues its successor, so a task
# never holds a worker for long and the lease on a batch never runs out mid-batch.
DRAIN_SECONDS = 30.0
# Messages due this long with no claim have lost their wake-up (the sweep queues a drain).
LOST_AFTER = timedelta(minutes=1)

State = WebhookMessage.State


def retry_delay(round_attempt: int) -> timedelta | None:
    """How long after failed attempt ``round_attempt`` (1-based, within the current round)
    to try again, with jitter; None when that was the last attempt. The schedule is a
    setting so tests can run it in seconds."""
    schedule: tuple[float, ...] = tuple(
        getattr(settings, "HIRESLOT_WEBHOOK_RETRY_SCHEDULE", None) or RETRY_SCHEDULE
    )
    if round_attempt > len(schedule):
        return None
    base = schedule[round_attempt - 1]
    # ±20 %, so endpoints that fail together do not all come back in the same second; the
    # first retry stays within 10 s.
    seconds = random.uniform(base * 0.8, base * 1.2)
    if round_attempt == 1:
        seconds = min(seconds, 10.0)
    return timedelta(seconds=seconds)


def retry_after_of(response: httpx.Response, now: datetime) -> timedelta | None:
    """The answer's ``Retry-After`` (seconds or an HTTP date) as a delay, if it has one."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    wait: timedelta = when - now
    return max(timedelta(0), wait)


def webhook_body(message: WebhookMessage) -> bytes:
    """The bytes sent: the stored payload as compact JSON with sorted keys (the same bytes
    on every attempt, whatever order the database keeps keys in)."""
    return json.dumps(
        message.payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()


@dataclass
class Attempt:
    """What one POST came to."""

    message: WebhookMessage
    succeeded: bool = False
    status_code: int | None = None
    response_ms: int | None = None
    response_body: str = ""
    error: str = ""
    retry_after: timedelta | None = None
    gone: bool = False
    retry_at: datetime | None = None


def _attempt(client: httpx.Client, message: WebhookMessage) -> Attempt:
    endpoint = message.endpoint
    outcome = Attempt(message=message)
    body = webhook_body(message)
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "webhook-id": message.message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": webhook_signature_header(
            secrets=webhook_endpoint_secrets_active(endpoint),
            message_id=message.message_id,
            timestamp=timestamp,
            body=body,
        ),
    }
    started = time.monotonic()
    try:
        with client.stream("POST", endpoint.url, content=body, headers=headers) as response:
            kept = b""
            for chunk in response.iter_bytes():
                kept += chunk
                if len(kept) >= RESPONSE_KEPT_BYTES or time.monotonic() - started > TIMEOUT_SECONDS:
                    break  # closing unread drops the connection, which is fine
            outcome.response_ms = int((time.monotonic() - started) * 1000)
            outcome.status_code = response.status_code
            outcome.response_body = kept[:RESPONSE_KEPT_BYTES].decode("utf-8", "replace")
            if outcome.response_ms > TIMEOUT_SECONDS * 1000:
                outcome.error = "timed out (15 s)"
            elif 200 <= response.status_code < 300:
                outcome.succeeded = True
            elif 300 <= response.status_code < 400:
                outcome.error = f"HTTP {response.status_code}: redirects are not followed"
            else:
                outcome.error = f"HTTP {response.status_code}"
                outcome.gone = response.status_code == 410
                outcome.retry_after = retry_after_of(response, clock.now())
    except (httpx.HTTPError, OutboundError) as error:
        outcome.response_ms = int((time.monotonic() - started) * 1000)
        outcome.error = str(outbound_failure(error, host=url_host(endpoint.url)))[:500]
    except httpx.InvalidURL as error:
        outcome.error = f"invalid address: {error}"[:500]
    return outcome


def _due(now: datetime) -> Q:
    return Q(state=State.PENDING, next_attempt_at__lte=now) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )


def _claim(*, message_ids: list[str] | None, limit: int) -> tuple[list[WebhookMessage], datetime]:
    """Take up to ``limit`` due messages (of ``message_ids``, when given) for this worker,
    with their endpoints. Rows other workers are claiming are skipped, not waited for."""
    now = clock.now()
    until = lease_expiry(now)
    with transaction.atomic():
        due = WebhookMessage.objects.filter(_due(now))
        if message_ids is not None:
            due = due.filter(pk__in=message_ids)
        ids = list(
            due.order_by("next_attempt_at")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return [], until
        WebhookMessage.objects.filter(pk__in=ids).update(claimed_until=until, updated_at=now)
    messages = list(
        WebhookMessage.objects.filter(pk__in=ids, claimed_until=until)
        .select_related("endpoint__organization")
        .order_by("next_attempt_at")
    )
    return messages, until


def _admins(organization: Organization) -> list[User]:
    return list(
        User.objects.filter(
            memberships__organization=organization,
            memberships__role=Role.ADMIN,
            is_active=True,
        ).distinct()
    )


def _admins_tell(endpoint: WebhookEndpoint, *, verb: str, body: str) -> None:
    for admin in _admins(endpoint.organization):
        notification_send(
            organization=endpoint.organization,
            recipient=admin,
            verb=verb,
            topic=NotificationTopic.WEBHOOK_FAILING,
            target=endpoint,
            email=NotificationEmail(
                subject=verb,
                body_text=(
                    f"{verb}.\n\n{body}\n\nDelivery log: "
                    f"{settings.HIRESLOT_BASE_URL}/settings/webhooks/{endpoint.pk}/\n"
                ),
            ),
        )


def _endpoint_disable(endpoint: WebhookEndpoint, *, reason: str, now: datetime) -> None:
    """Disabled by delivery (410, or days of failures): waiting messages end failed."""
    changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, enabled=True).update(
        enabled=False, disabled_reason=reason[:500], disabled_at=now, updated_at=now
    )
    if not changed:
        return
    WebhookMessage.objects.filter(endpoint=endpoint, state=State.PENDING).update(
        state=State.FAILED,
        last_error="The endpoint is disabled.",
        claimed_until=None,
        updated_at=now,
    )
    _admins_tell(
        endpoint,
        verb=f"Webhook endpoint {url_host(endpoint.url)} was disabled",
        body=f"{reason}\n\nEnable it again on the Webhooks settings page and replay what failed.",
    )


def _endpoint_record(endpoint: WebhookEndpoint, outcomes: list[Attempt], now: datetime) -> None:
    """The endpoint's health after this batch's attempts at it."""
    last = outcomes[-1]
    if any(outcome.gone for outcome in outcomes):
        _endpoint_disable(
            endpoint, reason="The endpoint answered 410 Gone: it asked not to be sent to.", now=now
        )
        return
    if last.succeeded:
        if endpoint.failing_since is not None or endpoint.failure_alerted_at is not None:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
                failing_since=None, failure_alerted_at=None, updated_at=now
            )
        return
    failing_since = endpoint.failing_since or now
    if endpoint.failing_since is None:
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(
            failing_since=now, updated_at=now
        )
    if now - failing_since >= DISABLE_AFTER:
        _endpoint_disable(
            endpoint,
            reason=f"Every delivery has failed for 5 days (last: {last.error}).",
            now=now,
        )
        return
    gave_up = any(outcome.message.state == State.FAILED for outcome in outcomes)
    if endpoint.failure_alerted_at is None and (gave_up or now - failing_since >= ALERT_AFTER):
        told = WebhookEndpoint.objects.filter(
            pk=endpoint.pk, failure_alerted_at__isnull=True
        ).update(failure_alerted_at=now, updated_at=now)
        if told:
            _admins_tell(
                endpoint,
                verb=f"Webhooks to {url_host(endpoint.url)} are failing",
                body=(
                    f"Deliveries have failed since {failing_since:%Y-%m-%d %H:%M} UTC "
                    f"(last: {last.error}). HireSlot keeps retrying for about 3 days and "
                    "disables the endpoint after 5 days of failures."
                ),
            )


def _outcome_apply(outcome: Attempt, now: datetime) -> datetime | None:
    """Set the message's new state; returns when to try again, if it will be."""
    message = outcome.message
    message.attempts += 1
    if outcome.succeeded:
        message.state = State.DELIVERED
        message.delivered_at = now
        message.last_error = ""
        return None
    message.last_error = outcome.error[:500]
    delay = None if outcome.gone else retry_delay(message.attempts - message.round_started_after)
    if delay is None:
        message.state = State.FAILED
        return None
    if outcome.retry_after is not None:
        delay = max(delay, min(outcome.retry_after, RETRY_AFTER_CAP))
    message.next_attempt_at = now + delay
    return message.next_attempt_at


def _batch_record(
    outcomes: list[Attempt], claimed_until: datetime, now: datetime
) -> list[WebhookMessage]:
    """Write the batch's log rows, the messages' new states (set by ``_outcome_apply``) and
    the endpoints' health in one transaction; returns the messages that will be retried.
    Writes only: ``through_outage`` may run it again."""
    retried = [outcome.message for outcome in outcomes if outcome.retry_at is not None]
    with transaction.atomic():
        WebhookDelivery.objects.bulk_create(
            [
                WebhookDelivery(
                    organization_id=outcome.message.organization_id,
                    message=outcome.message,
                    endpoint_id=outcome.message.endpoint_id,
                    attempt=outcome.message.attempts,
                    succeeded=outcome.succeeded,
                    status_code=outcome.status_code,
                    response_ms=outcome.response_ms,
                    response_body=outcome.response_body,
                    error=outcome.error[:500],
                )
                for outcome in outcomes
            ]
        )
        for outcome in outcomes:
            outcome.message.claimed_until = None
            outcome.message.updated_at = now
        # One statement for the batch, and only rows whose claim is still ours: a replay
        # or a sweep may have moved one on.
        WebhookMessage.objects.filter(claimed_until=claimed_until).bulk_update(
            [outcome.message for outcome in outcomes],
            [
                "state",
                "attempts",
                "next_attempt_at",
                "claimed_until",
                "last_error",
                "delivered_at",
                "updated_at",
            ],
        )
        by_endpoint: dict[Any, list[Attempt]] = {}
        for outcome in outcomes:
            by_endpoint.setdefault(outcome.message.endpoint_id, []).append(outcome)
        for endpoint_outcomes in by_endpoint.values():
            _endpoint_record(endpoint_outcomes[0].message.endpoint, endpoint_outcomes, now)
        for message in retried:
            ids, when = [str(message.pk)], message.next_attempt_at
            transaction.on_commit(lambda ids=ids, when=when: _wake(ids, when))  # type: ignore[misc]
    return retried


def _wake(message_ids: list[str], when: datetime) -> None:
    work_enqueue(DELIVER_WORK, run_after=when, message_ids=message_ids)


def _release(messages: list[WebhookMessage], claimed_until: datetime) -> None:
    """Give back claimed messages this worker will not get to (they are due at once)."""
    WebhookMessage.objects.filter(
        pk__in=[message.pk for message in messages], claimed_until=claimed_until
    ).update(claimed_until=None)


def _batch_deliver(
    client: httpx.Client, messages: list[WebhookMessage], claimed_until: datetime
) -> int:
    outcomes: list[Attempt] = []
    started = time.monotonic()
    for index, message in enumerate(messages):
        if time.monotonic() - started > lease_length().total_seconds() / 2:
            # Slow endpoints ate half the lease: let other runs have the rest in time.
            _release(messages[index:], claimed_until)
            break
        if not message.endpoint.enabled:
            # Disabled since it was written: not an attempt, so nothing in the log.
            WebhookMessage.objects.filter(pk=message.pk, claimed_until=claimed_until).update(
                state=State.FAILED,
                last_error="The endpoint is disabled.",
                claimed_until=None,
                updated_at=clock.now(),
            )
            continue
        outcomes.append(_attempt(client, message))
    if outcomes:
        now = clock.now()
        for outcome in outcomes:
            outcome.retry_at = _outcome_apply(outcome, now)
        through_outage(
            lambda: _batch_record(outcomes, claimed_until, now),
            what=f"the delivery of {len(outcomes)} webhook message(s)",
        )
    return sum(1 for outcome in outcomes if outcome.succeeded)


def webhook_messages_deliver(
    *, message_ids: list[str] | None = None, drain_seconds: float = DRAIN_SECONDS
) -> int:
    """Deliver ``message_ids`` if they are due, then whatever else is due, batch by batch,
    for up to ``drain_seconds``; then queue a successor if more is due. Safe to run on many
    workers at once and to run twice. Returns how many were delivered."""
    delivered = 0
    deadline = time.monotonic() + drain_seconds
    wanted: list[str] | None = message_ids
    with outbound_client(timeout=TIMEOUT_SECONDS) as client:
        while True:
            messages, claimed_until = _claim(message_ids=wanted, limit=BATCH_SIZE)
            if not messages:
                if wanted is None:
                    break
                wanted = None  # ours are done (or another worker has them): drain the rest
                continue
            delivered += _batch_deliver(client, messages, claimed_until)
            if time.monotonic() > deadline:
                if WebhookMessage.objects.filter(_due(clock.now())).exists():
                    work_enqueue(DELIVER_WORK, message_ids=None)
                break
    return delivered


def webhook_messages_lost_requeue() -> int:
    """The sweep's part for webhooks (registered in ``messaging.tasks``): messages due for a
    while with no live claim have lost their wake-up (a task row lost, a worker killed
    before it queued the retry); queue a drain. Returns 1 when one was queued."""
    now = clock.now()
    lost = WebhookMessage.objects.filter(
        Q(state=State.PENDING, next_attempt_at__lte=now - LOST_AFTER)
        & (Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
    )
    if not lost.exists():
        return 0
    work_enqueue(DELIVER_WORK, message_ids=None)
    return 1


__all__ = [
    "webhook_body",
    "webhook_messages_deliver",
    "webhook_messages_lost_requeue",
]
