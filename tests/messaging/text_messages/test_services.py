"""Texts go only to people who agreed and have not replied STOP; each is stored first,
delivered once by the worker, retried when the provider says later, and given up on (with its
reason) when it says never."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command

from hireslot.accounts.models import Organization
from hireslot.core import clock
from hireslot.core.leases import lease_length
from hireslot.messaging.models import OutgoingTextMessage, TextMessageConsent
from hireslot.messaging.text_messages import memory
from hireslot.messaging.text_messages.base import TextMessageError
from hireslot.messaging.text_messages.services import (
    MAX_DELIVERY_ATTEMPTS,
    TextMessageNotAllowedError,
    text_consent_record,
    text_message_deliver,
    text_message_queue,
    text_messages_lapsed_requeue,
    text_opt_in_record,
    text_opt_out_record,
)
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

ADA = "+14155550123"
STATUS = OutgoingTextMessage.Status


def queue(
    organization: Organization, body: str = "Your interview is tomorrow at 10:00."
) -> OutgoingTextMessage:
    return text_message_queue(organization=organization, to=ADA, body=body, kind="reminder")


def test_a_text_to_someone_who_agreed_is_stored_then_sent_once(
    organization: Organization, texts: list[memory.Sent]
) -> None:
    text_consent_record(organization=organization, phone="+1 (415) 555-0123", source="booking page")
    message = queue(organization)
    assert message.status == STATUS.QUEUED
    assert texts == []

    text_message_deliver(text_message_id=str(message.pk))
    text_message_deliver(text_message_id=str(message.pk))  # a duplicate run sends nothing

    message.refresh_from_db()
    assert (message.status, message.attempts) == (STATUS.SENT, 1)
    assert [(sent.to, sent.body) for sent in texts] == [
        (ADA, "Your interview is tomorrow at 10:00.")
    ]
    assert message.provider_message_id == texts[0].provider_message_id


def test_no_text_is_stored_without_consent(
    organization: Organization, texts: list[memory.Sent]
) -> None:
    with pytest.raises(TextMessageNotAllowedError, match="has not agreed"):
        queue(organization)
    assert not OutgoingTextMessage.objects.exists()


def test_consent_belongs_to_one_organization(
    organization: Organization, texts: list[memory.Sent]
) -> None:
    other = OrganizationFactory(name="Globex", slug="globex")
    text_consent_record(organization=other, phone=ADA, source="booking page")
    with pytest.raises(TextMessageNotAllowedError):
        queue(organization)


def test_texts_off_means_nothing_is_stored(organization: Organization, settings: Any) -> None:
    settings.HIRESLOT_TEXT_MESSAGE_BACKEND = ""
    TextMessageConsent.objects.create(
        organization=organization, phone=ADA, consented_at="2026-12-01T00:00Z", source="test"
    )
    with pytest.raises(TextMessageNotAllowedError, match="does not send text messages"):
        queue(organization)


@pytest.mark.parametrize(
    ("body", "words"), [("   ", "needs some text"), ("x" * 1601, "at most 1600")]
)
def test_a_body_a_provider_would_refuse_is_refused_first(
    organization: Organization, texts: list[memory.Sent], body: str, words: str
) -> None:
    text_consent_record(organization=organization, phone=ADA, source="booking page")
    with pytest.raises(TextMessageNotAllowedError, match=words):
        queue(organization, body)
    assert not OutgoingTextMessage.objects.exists()


def test_consent_needs_a_real_number(organization: Organization) -> None:
    with pytest.raises(ValidationError):
        text_consent_record(organization=organization, phone="not a number", source="booking page")
    assert not TextMessageConsent.objects.exists()


def test_stop_ends_texting_everywhere_and_fails_what_was_queued(
    organization: Organization, texts: list[memory.Sent]
) -> None:
    other = OrganizationFactory(name="Globex", slug="globex")
    for org in (organization, other):
        text_consent_record(organization=org, phone=ADA, source="booking page")
    message = queue(organization)

    text_opt_out_record(phone=ADA, keyword="STOP")
    text_message_deliver(text_message_id=str(message.pk))

    message.refresh_from_db()
    assert message.status == STATUS.FAILED
    assert "replied STOP" in message.last_error
    assert texts == []
    for org in (organization, other):
        with pytest.raises(TextMessageNotAllowedError, match="replied STOP"):
            queue(org)


def test_start_after_stop_resumes_only_what_was_agreed(
    organization: Organization, texts: list[memory.Sent]
) -> None:
    other = OrganizationFactory(name="Globex", slug="globex")
    text_consent_record(organization=organization, phone=ADA, source="booking page")
    text_opt_out_record(phone=ADA, keyword="STOP")

    text_opt_in_record(phone=ADA)

    assert queue(organization).status == STATUS.QUEUED
    with pytest.raises(TextMessageNotAllowedError):
        queue(other)  # never agreed: START does not invent a consent


def test_a_provider_that_says_later_is_tried_again_then_given_up_on(
    organization: Organization, texts: list[memory.Sent]
) -> None:
    text_consent_record(organization=organization, phone=ADA, source="booking page")
    message = queue(organization)
    memory.failures.extend(
        TextMessageError("busy", transient=True) for _ in range(MAX_DELIVERY_ATTEMPTS)
    )

    text_message_deliver(text_message_id=str(message.pk))
    message.refresh_from_db()
    assert (message.status, message.last_error) == (STATUS.RETRYING, "busy")

    for _ in range(MAX_DELIVERY_ATTEMPTS - 1):
        text_message_deliver(text_message_id=str(message.pk))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (STATUS.FAILED, MAX_DELIVERY_ATTEMPTS)
    assert texts == []


def test_a_provider_that_says_never_is_not_asked_again(
    organization: Organization, texts: list[memory.Sent]
) -> None:
    text_consent_record(organization=organization, phone=ADA, source="booking page")
    message = queue(organization)
    memory.failures.append(TextMessageError("not a mobile number", transient=False))

    text_message_deliver(text_message_id=str(message.pk))
    text_message_deliver(text_message_id=str(message.pk))

    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (
        STATUS.FAILED,
        1,
        "not a mobile number",
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_delivers_queued_texts(
    organization: Organization, texts: list[memory.Sent]
) -> None:
    text_consent_record(organization=organization, phone=ADA, source="booking page")
    message = queue(organization)

    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, verbosity=0)

    message.refresh_from_db()
    assert message.status == STATUS.SENT
    assert len(texts) == 1


def test_a_text_left_sending_by_a_dead_worker_is_sent_after_the_sweep(
    organization: Organization, texts: list[memory.Sent]
) -> None:
    """Given a worker that claimed a text and died (its lease long lapsed), the sweep queues
    it again and it is sent once."""
    text_consent_record(organization=organization, phone=ADA, source="booking page")
    message = queue(organization)
    OutgoingTextMessage.objects.filter(pk=message.pk).update(
        status=STATUS.SENDING, claimed_until=clock.now()
    )
    assert text_messages_lapsed_requeue() == 0  # its lease may still be running

    with time_machine.travel(clock.now() + 3 * lease_length(), tick=False):
        assert text_messages_lapsed_requeue() == 1
        assert text_messages_lapsed_requeue() == 0
        text_message_deliver(text_message_id=str(message.pk))

    message.refresh_from_db()
    assert message.status == STATUS.SENT
    assert len(texts) == 1
