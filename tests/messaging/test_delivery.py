"""Outgoing email: stored, delivered by the worker through real SMTP, retried when the server
says "try later", given up on when it says "never"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command

from hireslot.accounts.models import Organization
from hireslot.messaging.models import OutgoingEmail
from hireslot.messaging.services import (
    MAX_DELIVERY_ATTEMPTS,
    outgoing_email_deliver,
    outgoing_email_queue,
    retry_delay,
)
from tests.factories import CandidateFactory
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
