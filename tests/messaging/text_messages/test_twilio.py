"""The Twilio adapter against a local Twilio that answers only what Twilio documents: the
form it sends, the sid it keeps, and what each documented error leads to."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hireslot.accounts.models import Organization
from hireslot.core import clock
from hireslot.messaging.models import OutgoingTextMessage, TextMessageConsent
from hireslot.messaging.text_messages.services import (
    TextMessageNotAllowedError,
    text_consent_record,
    text_message_deliver,
    text_message_queue,
)
from tests.messaging.text_messages.fake_twilio import FROM_NUMBER, FakeTwilio

pytestmark = pytest.mark.django_db

ADA = "+14155550123"
STATUS = OutgoingTextMessage.Status


def send(organization: Organization, body: str = "See you at 10:00.") -> OutgoingTextMessage:
    text_consent_record(organization=organization, phone=ADA, source="booking page")
    message = text_message_queue(organization=organization, to=ADA, body=body, kind="reminder")
    text_message_deliver(text_message_id=str(message.pk))
    message.refresh_from_db()
    return message


def test_a_text_reaches_twilio_as_documented(
    organization: Organization, twilio: FakeTwilio
) -> None:
    message = send(organization, "Réunion demain à 10 h ✓")

    assert message.status == STATUS.SENT
    assert message.provider_message_id.startswith("SM")
    assert twilio.sent == [{"To": ADA, "From": FROM_NUMBER, "Body": "Réunion demain à 10 h ✓"}]


def test_a_messaging_service_sends_instead_of_a_number(
    organization: Organization, twilio: FakeTwilio, settings: Any
) -> None:
    settings.HIRESLOT_TWILIO_FROM = "MG" + "a" * 32

    assert send(organization).status == STATUS.SENT
    assert twilio.sent[0]["MessagingServiceSid"] == "MG" + "a" * 32
    assert "From" not in twilio.sent[0]


def test_a_recipient_who_replied_stop_to_twilio_is_never_texted_again(
    organization: Organization, twilio: FakeTwilio
) -> None:
    twilio.unsubscribed.add(ADA)

    message = send(organization)

    assert message.status == STATUS.FAILED
    assert "21610" in message.last_error
    consent = TextMessageConsent.objects.get(phone=ADA)
    assert consent.opted_out_at is not None
    with pytest.raises(TextMessageNotAllowedError, match="replied STOP"):
        text_message_queue(organization=organization, to=ADA, body="again?", kind="reminder")


@pytest.mark.parametrize("trouble", ["throttle", "break_next"])
def test_throttling_and_outages_are_retried(
    organization: Organization, twilio: FakeTwilio, trouble: str
) -> None:
    setattr(twilio, trouble, 1)

    message = send(organization)
    assert message.status == STATUS.RETRYING
    text_message_deliver(text_message_id=str(message.pk))

    message.refresh_from_db()
    assert (message.status, message.attempts) == (STATUS.SENT, 2)
    assert len(twilio.sent) == 1


def test_wrong_credentials_are_retried_so_fixing_them_lets_texts_go(
    organization: Organization, twilio: FakeTwilio, settings: Any
) -> None:
    settings.HIRESLOT_TWILIO_AUTH_TOKEN = "0" * 32
    message = send(organization)
    assert message.status == STATUS.RETRYING
    assert "20003" in message.last_error

    settings.HIRESLOT_TWILIO_AUTH_TOKEN = "f" * 32
    text_message_deliver(text_message_id=str(message.pk))

    message.refresh_from_db()
    assert message.status == STATUS.SENT


def test_twilio_unreachable_is_retried(
    organization: Organization, twilio: FakeTwilio, settings: Any
) -> None:
    settings.HIRESLOT_TWILIO_API_URL = "http://127.0.0.1:9/2010-04-01"

    message = send(organization)

    assert message.status == STATUS.RETRYING
    assert "could not be reached" in message.last_error


def test_a_number_twilio_cannot_text_fails_at_once_with_twilios_words(
    organization: Organization, twilio: FakeTwilio
) -> None:
    twilio.landlines.add(ADA)

    message = send(organization)
    text_message_deliver(text_message_id=str(message.pk))

    message.refresh_from_db()
    assert (message.status, message.attempts) == (STATUS.FAILED, 1)
    assert "21614" in message.last_error
    assert "not a valid mobile number" in message.last_error


def test_a_rate_limit_waits_at_least_what_retry_after_says(
    organization: Organization, twilio: FakeTwilio
) -> None:
    from django_tasks_db.models import DBTaskResult

    twilio.throttle = 1
    twilio.retry_after = "600"
    before = clock.now()

    message = send(organization)

    assert message.status == STATUS.RETRYING
    assert "20429" in message.last_error
    runs = DBTaskResult.objects.filter(args_kwargs__kwargs__text_message_id=str(message.pk))
    # django-tasks-db writes "no time given" as the year 9999.
    latest = max(run.run_after for run in runs if run.run_after.year < 9999)
    assert latest >= before + timedelta(seconds=600)
