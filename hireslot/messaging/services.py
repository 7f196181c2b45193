"""Queueing and delivering outgoing email."""

from __future__ import annotations

import random
import smtplib
from datetime import timedelta
from email.utils import formataddr, parseaddr
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from hireslot.accounts.models import Organization
from hireslot.core import clock
from hireslot.messaging.models import OutgoingEmail

if TYPE_CHECKING:
    from hireslot.recruiting.models import Candidate

MAX_DELIVERY_ATTEMPTS = 6
# Connection trouble and 4xx replies from the SMTP server are worth retrying; a refused
# recipient or a malformed message is not.
TRANSIENT_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)


def outgoing_email_queue(
    *,
    organization: Organization,
    to: str,
    subject: str,
    body_text: str,
    kind: str,
    candidate: Candidate | None = None,
) -> OutgoingEmail:
    """Store an email and enqueue its delivery in the caller's transaction (an outbox: both
    happen or neither does)."""
    from hireslot.messaging.tasks import email_deliver

    email = OutgoingEmail.objects.create(
        organization=organization,
        candidate=candidate,
        kind=kind,
        from_name=organization.scheduling_sender_name or organization.name,
        from_address=organization.scheduling_sender_email or _default_from_address(),
        to=to,
        subject=subject,
        body_text=body_text,
    )
    email_deliver.enqueue(email_id=str(email.pk))
    return email


def _default_from_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "hireslot@localhost"


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff with full jitter: ~30 s, 1 min, 2 min … capped at one hour."""
    ceiling = min(3600.0, 30.0 * (2 ** max(0, attempt - 1)))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))


def outgoing_email_deliver(*, email_id: str) -> OutgoingEmail.Status:
    """Send one queued email. Safe to run twice or on two workers at once: the row is claimed
    first, and a sent email is never sent again.

    The SMTP conversation happens outside any transaction, so a slow mail server never holds
    a database lock (on SQLite that lock would stop every other write).
    """
    from hireslot.messaging.tasks import email_deliver

    claimable = [OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING]
    claimed = OutgoingEmail.objects.filter(pk=email_id, status__in=claimable).update(
        status=OutgoingEmail.Status.SENDING, updated_at=clock.now()
    )
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None:
        return OutgoingEmail.Status.FAILED
    if not claimed:
        return OutgoingEmail.Status(email.status)
    email.attempts += 1
    message = EmailMessage(
        subject=email.subject,
        body=email.body_text,
        from_email=formataddr((email.from_name, email.from_address)),
        to=[email.to],
    )
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPResponseException as error:
        # 4xx replies are temporary by definition (RFC 5321); 5xx are final.
        _record_failure(email, error, transient=400 <= error.smtp_code < 500)
    except smtplib.SMTPRecipientsRefused as error:
        _record_failure(email, error, transient=False)
    except TRANSIENT_ERRORS as error:
        _record_failure(email, error, transient=True)
    else:
        email.status = OutgoingEmail.Status.SENT
        email.sent_at = clock.now()
        email.last_error = ""
    with transaction.atomic():
        email.save(update_fields=["status", "attempts", "last_error", "sent_at", "updated_at"])
        if email.status == OutgoingEmail.Status.RETRYING:
            email_deliver.using(run_after=clock.now() + retry_delay(email.attempts)).enqueue(
                email_id=str(email.pk)
            )
    return OutgoingEmail.Status(email.status)


def _record_failure(email: OutgoingEmail, error: Exception, *, transient: bool) -> None:
    email.last_error = f"{type(error).__name__}: {error}"[:2000]
    if transient and email.attempts < MAX_DELIVERY_ATTEMPTS:
        email.status = OutgoingEmail.Status.RETRYING
    else:
        email.status = OutgoingEmail.Status.FAILED
