"""Queueing and delivering outgoing email."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from datetime import datetime
from email import encoders
from email.mime.base import MIMEBase
from email.utils import formataddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import SafeMIMEMultipart, SafeMIMEText
from django.db import transaction
from django.db.models import Q
from icalendar import Calendar

from hireslot.accounts.models import Organization
from hireslot.core import clock
from hireslot.core.backoff import backoff_delay
from hireslot.core.leases import lease_expiry, lease_length
from hireslot.core.models import BaseModel
from hireslot.core.outage import through_outage
from hireslot.core.validators import single_line
from hireslot.core.work import work_enqueue
from hireslot.messaging.dev_email import EMAIL_ID_ATTRIBUTE
from hireslot.messaging.lapsed_sends import lapsed_sends_requeue
from hireslot.messaging.models import OutgoingEmail
from hireslot.messaging.senders import organization_sender

logger = logging.getLogger(__name__)

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
    target: BaseModel | None = None,
    body_html: str = "",
    calendar_ics: str = "",
    calendar_method: str = "",
) -> OutgoingEmail:
    """Store an email and enqueue its delivery in the caller's transaction (an outbox: both
    happen or neither does). ``target`` is whom the email is about (a candidate shows it on
    their page).

    ``calendar_ics`` (from ``invites.invite_ics``) makes the email a calendar invite; its
    ``calendar_method`` is read from the object's METHOD when not given, and must agree with
    it when given. Raises ValueError otherwise, before anything is stored.
    """

    calendar_method = _calendar_method_check(calendar_ics=calendar_ics, method=calendar_method)
    sender = organization_sender(organization)
    email = OutgoingEmail.objects.create(
        organization=organization,
        target=target,
        kind=kind,
        # Header text: a subject rendered from a template may hold a line break that no field
        # validator saw, and the email could not be built with it.
        # The same sender as every invitation's ORGANIZER (messaging.senders).
        from_name=sender.name,
        from_address=sender.address,
        to=to,
        subject=single_line(subject),
        body_text=body_text,
        body_html=body_html,
        calendar_ics=calendar_ics,
        calendar_method=calendar_method,
    )
    work_enqueue("email_deliver", email_id=str(email.pk))
    return email


def _calendar_method_check(*, calendar_ics: str, method: str) -> str:
    """The iTIP method to put on the email's text/calendar part. RFC 6047 requires it to be
    the METHOD inside the object; a mismatch would make clients apply the wrong action."""
    if not calendar_ics:
        if method:
            raise ValueError(f"Calendar method {method!r} given without a calendar object.")
        return ""
    try:
        inner = str(Calendar.from_ical(calendar_ics).get("METHOD", "")).upper()
    except ValueError as error:
        raise ValueError(f"The calendar object does not parse: {error}") from error
    method = method.upper() or inner
    if method not in OutgoingEmail.CalendarMethod.values:
        raise ValueError(f"Calendar method must be REQUEST or CANCEL, got {method!r}.")
    if inner != method:
        raise ValueError(
            f"Calendar method {method} differs from the object's METHOD {inner or '(none)'}."
        )
    return method


_failure_handlers: list[Callable[[OutgoingEmail], object]] = []


def delivery_failure_register(handler: Callable[[OutgoingEmail], object]) -> None:
    """Call ``handler(email)`` when an email ends ``failed``, so the apps that know who is
    waiting for it (the recruiter who sent a request) can tell them. Apps above messaging
    register from their ``tasks`` module; a handler's own failure never undoes the record."""
    if handler not in _failure_handlers:
        _failure_handlers.append(handler)


def _failure_tell(email: OutgoingEmail) -> None:
    for handler in _failure_handlers:
        try:
            with transaction.atomic():
                handler(email)
        except Exception:
            logger.exception("telling about failed email %s", email.pk)


def outgoing_email_deliver(*, email_id: str) -> OutgoingEmail.Status:
    """Send one queued email. Safe to run twice or on two workers at once: the row is claimed
    first (under a work lease, decision 0009), and a sent email is never sent again.

    Every way delivery can go wrong ends the row ``sent``, ``retrying`` or ``failed`` with
    its reason, never ``sending``; a worker killed mid-send leaves a claim that lapses, and
    the next run (the swept task, or the one queued for when the claim lapses) sends it.
    The SMTP conversation happens outside any transaction, so a slow mail server never holds
    a database lock (on SQLite that lock would stop every other write).
    """

    now = clock.now()
    claimed = (
        OutgoingEmail.objects.filter(pk=email_id)
        .filter(_claimable(now))
        .update(
            status=OutgoingEmail.Status.SENDING,
            claimed_until=lease_expiry(now),
            updated_at=now,
        )
    )
    email = OutgoingEmail.objects.filter(pk=email_id).first()
    if email is None:
        return OutgoingEmail.Status.FAILED
    if not claimed:
        if email.status == OutgoingEmail.Status.SENDING and email.claimed_until is not None:
            # Another worker holds it; look again when its lease lapses, in case it died.
            work_enqueue("email_deliver", run_after=email.claimed_until, email_id=str(email.pk))
        return OutgoingEmail.Status(email.status)
    email.attempts += 1
    try:
        message = _email_message(email)
        # Headers are built here, before any connection: a bad name or address is the
        # message's fault, said once, and not a reason to retry.
        message.message()
    except (ValueError, TypeError, UnicodeError) as error:
        _record_failure(email, error, transient=False, prefix="The message could not be built")
    else:
        try:
            message.send(fail_silently=False)
        except smtplib.SMTPResponseException as error:
            # 4xx replies are temporary by definition (RFC 5321); 5xx are final.
            _record_failure(email, error, transient=400 <= error.smtp_code < 500)
        except smtplib.SMTPRecipientsRefused as error:
            _record_failure(email, error, transient=False)
        except TRANSIENT_ERRORS as error:
            _record_failure(email, error, transient=True)
        except (ValueError, TypeError, UnicodeError) as error:
            _record_failure(email, error, transient=False, prefix="The message was refused")
        except Exception as error:
            # Unknown trouble is retried and, if it persists, shown as failed: never stuck.
            logger.exception("delivering email %s failed", email.pk)
            _record_failure(email, error, transient=True)
        else:
            email.status = OutgoingEmail.Status.SENT
            email.sent_at = clock.now()
            email.last_error = ""
    email.claimed_until = None

    def record() -> None:
        with transaction.atomic():
            email.save(
                update_fields=[
                    "status",
                    "attempts",
                    "last_error",
                    "sent_at",
                    "claimed_until",
                    "updated_at",
                ]
            )
            if email.status == OutgoingEmail.Status.RETRYING:
                work_enqueue(
                    "email_deliver",
                    run_after=clock.now() + backoff_delay(email.attempts),
                    email_id=str(email.pk),
                )
            elif email.status == OutgoingEmail.Status.FAILED:
                _failure_tell(email)

    # Once the server has the message, losing the record would send it twice: wait out a
    # database outage rather than give up on it.
    through_outage(record, what=f"the delivery of email {email.pk}")
    return OutgoingEmail.Status(email.status)


def _claimable(now: datetime) -> Q:
    """Waiting to be sent, or held by a worker whose lease lapsed (it died mid-send). Rows
    from before leases (sending, no claim) count as lapsed after one lease."""
    sending = Q(status=OutgoingEmail.Status.SENDING)
    return (
        Q(status__in=[OutgoingEmail.Status.QUEUED, OutgoingEmail.Status.RETRYING])
        | (sending & Q(claimed_until__lte=now))
        | (sending & Q(claimed_until__isnull=True, updated_at__lt=now - lease_length()))
    )


def outgoing_emails_lapsed_requeue() -> int:
    """The sweep's part for email (registered in ``MessagingConfig.ready``): a row still
    ``sending`` a whole lease after its claim lapsed has no run coming for it (its task was
    lost with an older version, or recorded otherwise); queue one. Returns how many."""

    now = clock.now()
    stale = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.SENDING).filter(
        Q(claimed_until__lt=now - lease_length())
        | Q(claimed_until__isnull=True, updated_at__lt=now - 2 * lease_length())
    )
    return lapsed_sends_requeue(
        stale, work_name="email_deliver", id_argument="email_id", what="email(s)"
    )


def outgoing_email_mime(*, email: OutgoingEmail) -> str:
    """The whole message as the mail server receives it (shown in the app in development)."""
    try:
        return str(_email_message(email).message().as_string())
    except (ValueError, TypeError, UnicodeError) as error:
        return f"The message could not be built: {error}"


def _email_message(email: OutgoingEmail) -> EmailMessage:
    """The message as Django's configured backend will send it (SMTP, or locmem in tests)."""
    fields: dict[str, Any] = {
        "subject": email.subject,
        "body": email.body_text,
        "from_email": formataddr((email.from_name, email.from_address)),
        "to": [email.to],
    }
    message: EmailMessage
    if not (email.body_html or email.calendar_ics):
        message = EmailMessage(**fields)
    else:
        message = _RichEmailMessage(
            **fields,
            html=email.body_html,
            calendar_ics=email.calendar_ics,
            calendar_method=email.calendar_method,
        )
    # Lets the development backend link its one-line summary to this row (never a header).
    setattr(message, EMAIL_ID_ATTRIBUTE, str(email.pk))
    return message


class _RichEmailMessage(EmailMessage):
    """An email with an HTML alternative and/or a calendar invite, shaped as iMIP clients
    (Gmail, Outlook, Apple Mail, Thunderbird) expect::

        multipart/mixed
          multipart/alternative
            text/plain
            text/html                                   (when there is HTML)
            text/calendar; charset="utf-8"; method=REQUEST
          application/ics; name="invite.ics"            (attachment, for everyone else)

    We build the parts ourselves: Django 5.2's ``attach_alternative`` has no notion of
    Content-Type parameters (a ``method`` survives only because the mimetype string is
    passed through as the MIME subtype, an accident), and iMIP clients ignore a
    text/calendar part without it (RFC 6047 section 2.4).
    """

    def __init__(
        self, *, html: str, calendar_ics: str, calendar_method: str, **fields: Any
    ) -> None:
        super().__init__(**fields)
        self.html = html
        self.calendar_ics = calendar_ics
        self.calendar_method = calendar_method

    # Django's EmailMessage.message() calls this hook with the text/plain body and adds the
    # headers to whatever it returns (EmailMultiAlternatives overrides the same hook).
    def _create_message(self, msg: SafeMIMEText) -> Any:
        encoding = self.encoding or settings.DEFAULT_CHARSET
        alternative = SafeMIMEMultipart(_subtype="alternative", encoding=encoding)
        alternative.attach(msg)
        if self.html:
            alternative.attach(SafeMIMEText(self.html, "html", encoding))
        if not self.calendar_ics:
            return alternative
        calendar = SafeMIMEText(self.calendar_ics, "calendar", encoding)
        # Unquoted, as Outlook and Gmail write it: some clients match the literal token.
        calendar.set_param("method", self.calendar_method, requote=False)
        alternative.attach(calendar)
        mixed = SafeMIMEMultipart(_subtype="mixed", encoding=encoding)
        mixed.attach(alternative)
        mixed.attach(_ics_attachment(self.calendar_ics))
        return mixed


def _ics_attachment(calendar_ics: str) -> MIMEBase:
    # application/ics rather than a second text/calendar part, which some clients would show
    # as a second invite. Base64 of the UTF-8 bytes keeps CRLFs and non-ASCII names intact.
    part = MIMEBase("application", "ics", name="invite.ics")
    part.set_payload(calendar_ics.encode("utf-8"))
    encoders.encode_base64(part)
    part.add_header("Content-Disposition", "attachment", filename="invite.ics")
    return part


def _record_failure(
    email: OutgoingEmail, error: Exception, *, transient: bool, prefix: str = ""
) -> None:
    reason = f"{type(error).__name__}: {error}"
    email.last_error = (f"{prefix} ({reason})" if prefix else reason)[:2000]
    if transient and email.attempts < MAX_DELIVERY_ATTEMPTS:
        email.status = OutgoingEmail.Status.RETRYING
    else:
        email.status = OutgoingEmail.Status.FAILED
