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
)
from tests.factories import CandidateFactory
from tests.itip import itip_read
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
        target=CandidateFactory(organization=organization),
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
        assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    for part in (calendar_part, attachment):
        payload = part.get_payload(decode=True)
        itip_read(payload, method="REQUEST", content_type=calendar_part["Content-Type"])


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
    itip_read(
        calendar_part.get_payload(decode=True),
        method="CANCEL",
        content_type=calendar_part["Content-Type"],
    )


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


# --- Delivery never leaves an email stuck (issue 9, items 6 and 13) -------------------------


@pytest.mark.parametrize(
    ("from_name", "from_address"),
    [
        ("Acme\nBcc: everyone@example.com", "jobs@acme.example"),
        ("Acme Recruiting", "jobs@acme.example\r\nBcc: x@example.com"),
    ],
    ids=["name-with-a-line-break", "bad-from-address"],
)
def test_an_email_whose_header_cannot_be_built_fails_with_its_reason(
    organization: Organization, smtp: RecordingHandler, from_name: str, from_address: str
) -> None:
    """Given a sender name or address no header can carry (saved before names were checked),
    when the worker delivers, the email ends failed with the reason and nothing is sent."""
    email = queue(organization)
    OutgoingEmail.objects.filter(pk=email.pk).update(from_name=from_name, from_address=from_address)

    status = outgoing_email_deliver(email_id=str(email.pk))

    email.refresh_from_db()
    assert status == email.status == OutgoingEmail.Status.FAILED
    assert email.last_error.startswith("The message could not be built")
    assert "newline" in email.last_error.lower()
    assert (email.attempts, email.claimed_until) == (1, None)
    assert smtp.messages == []


@worker_test
def test_a_failed_email_is_shown_with_its_reason_on_the_candidates_page(
    organization: Organization, smtp: RecordingHandler, client: Any
) -> None:
    from tests.factories import MembershipFactory

    email = queue(organization)
    OutgoingEmail.objects.filter(pk=email.pk).update(from_name="Acme\nRecruiting")
    run_worker()
    member = MembershipFactory(organization=organization, role="recruiter")
    client.force_login(member.user)

    page = client.get(f"/candidates/{email.target_id}/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "Delivery failed" in text or "Failed" in text
    assert "The message could not be built" in text


def test_an_email_left_sending_by_a_dead_worker_is_sent_once_its_lease_lapses(
    organization: Organization, smtp: RecordingHandler, settings: Any
) -> None:
    """Given a worker that claimed an email and died (kill -9) before sending it,
    while its lease runs the email is not sent by anyone else; once it lapsed, it is sent
    exactly once."""
    from datetime import timedelta

    from django_tasks_db.models import DBTaskResult

    from hireslot.core import clock

    settings.HIRESLOT_WORK_LEASE_SECONDS = 60
    email = queue(organization)
    now = clock.now()
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENDING, claimed_until=now + timedelta(seconds=60)
    )

    assert outgoing_email_deliver(email_id=str(email.pk)) == OutgoingEmail.Status.SENDING
    assert smtp.messages == []
    # A run is queued for when the lease lapses, in case its holder died.
    assert DBTaskResult.objects.filter(
        task_path__endswith="email_deliver", run_after=now + timedelta(seconds=60)
    ).exists()

    OutgoingEmail.objects.filter(pk=email.pk).update(claimed_until=now - timedelta(seconds=1))
    assert outgoing_email_deliver(email_id=str(email.pk)) == OutgoingEmail.Status.SENT
    assert outgoing_email_deliver(email_id=str(email.pk)) == OutgoingEmail.Status.SENT
    assert len(smtp.messages) == 1


def test_the_sweep_queues_again_an_email_stuck_in_sending_with_no_run_coming(
    organization: Organization, smtp: RecordingHandler
) -> None:
    """Given an email stuck in sending from before leases (no claim, its task gone), the
    work sweep puts it back in line, and it is delivered once."""
    from datetime import timedelta

    from hireslot.core import clock
    from hireslot.core.leases import work_sweep

    email = queue(organization)
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENDING, updated_at=clock.now() - timedelta(hours=1)
    )

    work_sweep()

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.RETRYING
    assert "sending again" in email.last_error
    assert outgoing_email_deliver(email_id=str(email.pk)) == OutgoingEmail.Status.SENT
    assert len(smtp.messages) == 1


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
