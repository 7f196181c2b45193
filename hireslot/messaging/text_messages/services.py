"""Consents, opt-outs, and the text message outbox: queue in the caller's transaction,
deliver from the worker (claimed under a lease, never sent twice), stop at STOP."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from hireslot.accounts.models import Organization
from hireslot.core import clock
from hireslot.core.backoff import backoff_delay
from hireslot.core.leases import lease_expiry, lease_length
from hireslot.core.models import BaseModel
from hireslot.core.outage import through_outage
from hireslot.core.work import work_enqueue
from hireslot.messaging.lapsed_sends import lapsed_sends_requeue
from hireslot.messaging.models import OutgoingTextMessage, TextMessageConsent
from hireslot.messaging.text_messages.base import (
    MAX_BODY_LENGTH,
    InboundText,
    TextMessageError,
    text_message_backend,
    text_messages_enabled,
)
from hireslot.messaging.text_messages.phone_numbers import phone_number_normalize

logger = logging.getLogger(__name__)

MAX_DELIVERY_ATTEMPTS = 6

# The replies carriers and Twilio treat as "stop texting me" and "start again" (Twilio's
# defaults for long codes). Only a message that is exactly one of them counts: "Stop by
# at 3?" is not an opt-out.
OPT_OUT_KEYWORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
OPT_IN_KEYWORDS = frozenset({"START", "YES", "UNSTOP"})

STATUS = OutgoingTextMessage.Status


class TextMessageNotAllowedError(ValueError):
    """The message may not be sent: texts are off, no consent, opted out, or a bad body."""


def text_consent_record(
    *, organization: Organization, phone: str, source: str
) -> TextMessageConsent:
    """Record that the owner of ``phone`` agreed to texts from ``organization`` (again, after a
    STOP, only when they asked again). ``phone`` as typed; ``ValidationError`` when it is not a
    number."""
    e164 = phone_number_normalize(phone)
    now = clock.now()
    consent, created = TextMessageConsent.objects.get_or_create(
        organization=organization,
        phone=e164,
        defaults={"consented_at": now, "source": source},
    )
    if not created:
        consent.consented_at = now
        consent.source = source
        consent.opted_out_at = None
        consent.opt_out_keyword = ""
        consent.save(
            update_fields=[
                "consented_at",
                "source",
                "opted_out_at",
                "opt_out_keyword",
                "updated_at",
            ]
        )
    return consent


def text_consent_of(*, organization: Organization, phone: str) -> TextMessageConsent | None:
    """The live consent for ``phone`` (E.164), or None (never given, or STOP since)."""
    return TextMessageConsent.objects.filter(
        organization=organization, phone=phone, opted_out_at__isnull=True
    ).first()


def text_message_queue(
    *,
    organization: Organization,
    to: str,
    body: str,
    kind: str,
    target: BaseModel | None = None,
) -> OutgoingTextMessage:
    """Store a text and enqueue its delivery in the caller's transaction (an outbox). Raises
    ``TextMessageNotAllowedError`` before anything is stored when it may not be sent."""
    if not text_messages_enabled():
        raise TextMessageNotAllowedError("This installation does not send text messages.")
    body = body.strip()
    if not body:
        raise TextMessageNotAllowedError("A text message needs some text.")
    if len(body) > MAX_BODY_LENGTH:
        raise TextMessageNotAllowedError(
            f"A text message holds at most {MAX_BODY_LENGTH} characters; this one has {len(body)}."
        )
    if text_consent_of(organization=organization, phone=to) is None:
        raise TextMessageNotAllowedError(
            f"{to} has not agreed to text messages from {organization.name}, or replied STOP."
        )
    message = OutgoingTextMessage.objects.create(
        organization=organization, target=target, kind=kind, to=to, body=body
    )
    work_enqueue("text_message_deliver", text_message_id=str(message.pk))
    return message


def text_message_deliver(*, text_message_id: str) -> OutgoingTextMessage.Status:
    """Send one queued text. Safe to run twice or on two workers at once (claimed under a work
    lease first; a sent message is never sent again). A recipient who replied STOP after it
    was queued is not texted: the message fails saying so."""
    now = clock.now()
    claimed = (
        OutgoingTextMessage.objects.filter(pk=text_message_id)
        .filter(_claimable(now))
        .update(status=STATUS.SENDING, claimed_until=lease_expiry(now), updated_at=now)
    )
    message = OutgoingTextMessage.objects.filter(pk=text_message_id).first()
    if message is None:
        return STATUS.FAILED
    if not claimed:
        if message.status == STATUS.SENDING and message.claimed_until is not None:
            work_enqueue(
                "text_message_deliver",
                run_after=message.claimed_until,
                text_message_id=str(message.pk),
            )
        return STATUS(message.status)
    retry_after: float | None = None
    opted_out = False
    if text_consent_of(organization=message.organization, phone=message.to) is None:
        message.status = STATUS.FAILED
        message.last_error = "Not sent: the recipient replied STOP or withdrew consent."
    else:
        message.attempts += 1
        try:
            sent = text_message_backend().send(to=message.to, body=message.body)
        except TextMessageError as error:
            message.last_error = str(error)[:2000]
            opted_out = error.opted_out
            retry_after = error.retry_after
            retry = error.transient and message.attempts < MAX_DELIVERY_ATTEMPTS
            message.status = STATUS.RETRYING if retry else STATUS.FAILED
        except Exception as error:
            logger.exception("delivering text message %s failed", message.pk)
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            retry = message.attempts < MAX_DELIVERY_ATTEMPTS
            message.status = STATUS.RETRYING if retry else STATUS.FAILED
        else:
            message.status = STATUS.SENT
            message.provider_message_id = sent.provider_message_id
            message.sent_at = clock.now()
            message.last_error = ""
    message.claimed_until = None

    def record() -> None:
        with transaction.atomic():
            message.save(
                update_fields=[
                    "status",
                    "attempts",
                    "last_error",
                    "provider_message_id",
                    "sent_at",
                    "claimed_until",
                    "updated_at",
                ]
            )
            if opted_out:
                # The provider knows of a STOP we missed (sent while our webhook was down).
                text_opt_out_record(phone=message.to, keyword="STOP")
            if message.status == STATUS.RETRYING:
                delay = backoff_delay(message.attempts)
                if retry_after is not None:
                    delay = max(delay, timedelta(seconds=retry_after))
                work_enqueue(
                    "text_message_deliver",
                    run_after=clock.now() + delay,
                    text_message_id=str(message.pk),
                )

    # Once the provider has the message, losing the record would send it twice.
    through_outage(record, what=f"the delivery of text message {message.pk}")
    return STATUS(message.status)


def _claimable(now: datetime) -> Q:
    sending = Q(status=STATUS.SENDING)
    return Q(status__in=[STATUS.QUEUED, STATUS.RETRYING]) | (sending & Q(claimed_until__lte=now))


def text_messages_lapsed_requeue() -> int:
    """The sweep's part for texts: a row still ``sending`` a whole lease after its claim
    lapsed has no run coming for it (its worker died); queue one. Returns how many."""
    stale = OutgoingTextMessage.objects.filter(
        status=STATUS.SENDING, claimed_until__lt=clock.now() - lease_length()
    )
    return lapsed_sends_requeue(
        stale,
        work_name="text_message_deliver",
        id_argument="text_message_id",
        what="text message(s)",
    )


def text_opt_out_record(*, phone: str, keyword: str) -> int:
    """``phone`` (E.164) replied ``keyword``: no organization texts it again until it sends
    START, because every organization here sends from the installation's one number. Queued
    messages to it fail saying why. Returns how many consents it ended."""
    now = clock.now()
    ended = TextMessageConsent.objects.filter(phone=phone, opted_out_at__isnull=True).update(
        opted_out_at=now, opt_out_keyword=keyword[:20], updated_at=now
    )
    OutgoingTextMessage.objects.filter(
        to=phone, status__in=[STATUS.QUEUED, STATUS.RETRYING]
    ).update(
        status=STATUS.FAILED,
        last_error=f"Not sent: the recipient replied {keyword}.",
        updated_at=now,
    )
    return ended


def text_opt_in_record(*, phone: str) -> int:
    """``phone`` replied START after a STOP: the consents it had are live again (never one it
    did not give). Returns how many."""
    now = clock.now()
    return TextMessageConsent.objects.filter(phone=phone, opted_out_at__isnull=False).update(
        opted_out_at=None, opt_out_keyword="", updated_at=now
    )


def text_inbound_handle(*, inbound: InboundText) -> str:
    """A reply to the installation's number: STOP-like keywords end texting to the sender,
    START-like ones resume it; anything else is logged for the operator. Returns what was
    done: ``opted_out``, ``opted_in`` or ``ignored``."""
    keyword = inbound.body.strip().upper()
    try:
        phone = phone_number_normalize(inbound.sender)
    except ValidationError:
        logger.warning("an inbound text from an unreadable number was ignored")
        return "ignored"
    if keyword in OPT_OUT_KEYWORDS:
        with transaction.atomic():
            text_opt_out_record(phone=phone, keyword=keyword)
        return "opted_out"
    if keyword in OPT_IN_KEYWORDS:
        with transaction.atomic():
            text_opt_in_record(phone=phone)
        return "opted_in"
    logger.info(
        "an inbound text that is not a keyword was not kept (%s)", inbound.provider_message_id
    )
    return "ignored"
