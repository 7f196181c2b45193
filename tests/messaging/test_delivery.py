"""Outgoing email: stored, delivered by the worker through real SMTP, retried when the server
says "try later", given up on when it says "never"."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from email.message import Message
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from icalendar import Calendar

from hireslot.accounts.models import Organization
from hireslot.messaging.invites import invite_ics
from hireslot.messaging.models import OutgoingEmail
from hireslot.messaging.services import (
    MAX_DELIVERY_ATTEMPTS,
    outgoing_email_deliver,
    outgoing_email_queue,
    retry_delay,
)
from tests.factories import CandidateFactory
from tests.messaging.test_invites import BOOKING
from tests.smtp import RecordingHandler, smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings: Any) -> Iterator[RecordingHandler]:
    yield from smtp_server(settings)


def queue(organization: Organization) -> OutgoingEmail:
    organization.scheduling_sender_name = "Acme Recruiting"
    organization.scheduling_sender_email = "jobs@acme.example"
    organization.save()
    return outgoing_email_queue(
        organization=organization,
        candidate=CandidateFactory(organization=organization),
        to="ada@example.com",
        subject="Pick a time",
        body_text="Hello Ada",
        kind="request",
    )


def run_worker() -> None:
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, verbosity=0)


# The worker calls close_old_connections(), which closes a connection it finds inside a
# transaction; on PostgreSQL that would be the test's own, so tests that run it commit.
worker_test = pytest.mark.django_db(transaction=True)


@worker_test
def test_the_worker_delivers_a_queued_email_once(
    organization: Organization, smtp: RecordingHandler
) -> None:
    email = queue(organization)
    assert email.status == OutgoingEmail.Status.QUEUED

    run_worker()
    outgoing_email_deliver(email_id=str(email.pk))  # a duplicate run changes nothing

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.SENT, 1)
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "ada@example.com"
    assert message["From"] == "Acme Recruiting <jobs@acme.example>"
    assert message["Subject"] == "Pick a time"
    assert message.get_payload(decode=True).decode().strip() == "Hello Ada"


def test_a_temporary_refusal_is_retried_later(
    organization: Organization, smtp: RecordingHandler
) -> None:
    smtp.reply = "451 4.3.0 Try again later"
    email = queue(organization)

    status = outgoing_email_deliver(email_id=str(email.pk))

    email.refresh_from_db()
    assert status == OutgoingEmail.Status.RETRYING
    assert "451" in email.last_error
    smtp.reply = None
    assert outgoing_email_deliver(email_id=str(email.pk)) == OutgoingEmail.Status.SENT
    assert len(smtp.messages) == 1


def test_a_permanent_refusal_fails_with_the_servers_message(
    organization: Organization, smtp: RecordingHandler
) -> None:
    smtp.reply = "554 5.7.1 Rejected"
    email = queue(organization)

    outgoing_email_deliver(email_id=str(email.pk))

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert "Rejected" in email.last_error


def test_an_unreachable_server_is_retried_then_given_up(
    organization: Organization, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    email = queue(organization)

    statuses = [
        outgoing_email_deliver(email_id=str(email.pk)) for _ in range(MAX_DELIVERY_ATTEMPTS)
    ]

    assert statuses[:-1] == [OutgoingEmail.Status.RETRYING] * (MAX_DELIVERY_ATTEMPTS - 1)
    assert statuses[-1] == OutgoingEmail.Status.FAILED


def test_retry_delays_grow_and_are_capped() -> None:
    first = [retry_delay(1).total_seconds() for _ in range(50)]
    late = [retry_delay(20).total_seconds() for _ in range(50)]

    assert all(15 <= s <= 30 for s in first)
    assert all(1800 <= s <= 3600 for s in late)


# A candidate with an accented name: the invite must survive SMTP byte for byte.
INVITE = dataclasses.replace(
    BOOKING, attendee_name="Zoë Ångström", attendee_email="zoe@example.com"
)


def queue_invite(organization: Organization, *, ics: str, html: str = "") -> OutgoingEmail:
    return outgoing_email_queue(
        organization=organization,
        to="zoe@example.com",
        subject="Your interview with Acme Robotics",
        body_text="Hello Zoë, see you on 10 March.",
        body_html=html,
        kind="invite",
        calendar_ics=ics,
    )


def parts(message: Message) -> list[str]:
    """The MIME tree as content types, depth-first, as a mail client walks it."""
    return [part.get_content_type() for part in message.walk()]


def calendar_of(part: Message) -> Calendar:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return Calendar.from_ical(payload.decode(part.get_content_charset() or "utf-8"))


@worker_test
def test_an_invite_arrives_as_a_calendar_message_the_candidate_can_accept(
    organization: Organization, smtp: RecordingHandler
) -> None:
    html = "<p>Hello Zoë, see you on <b>10 March</b>.</p>"
    email = queue_invite(organization, ics=invite_ics(INVITE), html=html)

    run_worker()

    email.refresh_from_db()
    assert (email.status, email.calendar_method) == (OutgoingEmail.Status.SENT, "REQUEST")
    (message,) = smtp.messages
    assert parts(message) == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
        "application/ics",
    ]
    _, _, text, html_part, calendar_part, attachment = message.walk()
    assert "Hello Zoë" in text.get_payload(decode=True).decode()
    assert "<b>10 March</b>" in html_part.get_payload(decode=True).decode()
    assert calendar_part.get_param("method") == "REQUEST"
    assert "method=REQUEST" in calendar_part["Content-Type"]
    assert calendar_part.get_content_charset() == "utf-8"
    assert calendar_part.get_content_disposition() is None
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    for calendar in (calendar_of(calendar_part), calendar_of(attachment)):
        (event,) = calendar.walk("VEVENT")
        assert calendar["METHOD"] == "REQUEST"
        assert event["UID"] == BOOKING.uid
        assert event.decoded("SEQUENCE") == 0
        assert event.decoded("DTSTART") == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
        assert event.decoded("DTEND") == datetime(2026, 3, 10, 14, 45, tzinfo=UTC)
        assert event["ATTENDEE"].params["CN"] == "Zoë Ångström"
        assert event["ATTENDEE"].params["RSVP"] == "TRUE"


def test_a_cancellation_without_html_is_marked_cancel_on_its_calendar_part(
    organization: Organization,
) -> None:
    cancel = dataclasses.replace(INVITE, method="CANCEL", sequence=1)
    email = queue_invite(organization, ics=invite_ics(cancel))

    assert outgoing_email_deliver(email_id=str(email.pk)) == OutgoingEmail.Status.SENT

    # Django's in-memory backend: the message built for any configured backend.
    message = mail.outbox[0].message()
    assert parts(message) == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/calendar",
        "application/ics",
    ]
    calendar_part = message.get_payload()[0].get_payload()[1]
    assert calendar_part.get_param("method") == "CANCEL"
    (event,) = calendar_of(calendar_part).walk("VEVENT")
    assert (event["STATUS"], event.decoded("SEQUENCE")) == ("CANCELLED", 1)


def test_an_html_email_without_an_invite_has_no_calendar_parts(
    organization: Organization,
) -> None:
    email = queue_invite(organization, ics="", html="<p>Pick a time</p>")

    outgoing_email_deliver(email_id=str(email.pk))

    message = mail.outbox[0].message()
    assert parts(message) == ["multipart/alternative", "text/plain", "text/html"]


def test_a_plain_email_stays_a_single_text_part(organization: Organization) -> None:
    email = queue(organization)

    outgoing_email_deliver(email_id=str(email.pk))

    assert parts(mail.outbox[0].message()) == ["text/plain"]


@pytest.mark.parametrize(
    ("ics", "method", "message"),
    [
        (invite_ics(INVITE), "CANCEL", "differs from the object's METHOD REQUEST"),
        (invite_ics(INVITE), "PUBLISH", "must be REQUEST or CANCEL"),
        ("", "REQUEST", "without a calendar object"),
        ("not a calendar", "", "does not parse"),
    ],
)
def test_an_invite_whose_method_would_mislead_the_calendar_is_refused_before_storing(
    organization: Organization, ics: str, method: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        outgoing_email_queue(
            organization=organization,
            to="zoe@example.com",
            subject="Your interview",
            body_text="Hello",
            kind="invite",
            calendar_ics=ics,
            calendar_method=method,
        )

    assert not OutgoingEmail.objects.exists()


def test_the_database_refuses_an_invite_without_a_method(organization: Organization) -> None:
    email = queue_invite(organization, ics=invite_ics(INVITE))

    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingEmail.objects.filter(pk=email.pk).update(calendar_method="")


@worker_test
def test_a_subject_rendered_with_a_line_break_is_sent_as_one_header_line(
    organization: Organization, smtp: RecordingHandler
) -> None:
    email = outgoing_email_queue(
        organization=organization,
        to="ada@example.com",
        subject="Pick a time\r\nBcc: everyone@example.com",
        body_text="Hello Ada",
        kind="request",
    )

    run_worker()

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    (message,) = smtp.messages
    assert message["Subject"] == "Pick a time Bcc: everyone@example.com"
    assert message["Bcc"] is None
