"""Replies to the installation's number, as Twilio posts them and signs them (the signature
here is made by Twilio's own library): STOP ends texting, START resumes it, anything else
changes nothing, and a request Twilio did not sign changes nothing either."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from twilio.request_validator import RequestValidator

from hireslot.accounts.models import Organization
from hireslot.messaging.models import TextMessageConsent
from hireslot.messaging.text_messages.services import text_consent_record
from tests.messaging.text_messages.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

pytestmark = pytest.mark.django_db

ADA = "+14155550123"
PATH = "/hooks/text-messages/inbound"


def post(
    client: Client, body: str, *, token: str = AUTH_TOKEN, account: str = ACCOUNT_SID, **extra: str
) -> Any:
    from django.conf import settings

    form = {
        "MessageSid": "SM" + "1" * 32,
        "AccountSid": account,
        "From": ADA,
        "To": "+15005550006",
        "Body": body,
        "NumMedia": "0",
        **extra,
    }
    signature = RequestValidator(token).compute_signature(settings.HIRESLOT_BASE_URL + PATH, form)
    return client.post(PATH, form, headers={"X-Twilio-Signature": signature})


def opted_out(organization: Organization) -> bool:
    return (
        TextMessageConsent.objects.get(organization=organization, phone=ADA).opted_out_at
        is not None
    )


@pytest.mark.parametrize("body", ["STOP", " stop ", "Unsubscribe", "QUIT", "stopall"])
def test_stop_words_end_texting(
    client: Client, organization: Organization, twilio: FakeTwilio, body: str
) -> None:
    text_consent_record(organization=organization, phone=ADA, source="booking page")

    response = post(client, body)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert b"<Response></Response>" in response.content
    assert opted_out(organization)


def test_start_resumes_texting(
    client: Client, organization: Organization, twilio: FakeTwilio
) -> None:
    text_consent_record(organization=organization, phone=ADA, source="booking page")
    post(client, "STOP")

    post(client, "start")

    assert not opted_out(organization)


def test_a_sentence_with_stop_in_it_is_not_an_opt_out(
    client: Client, organization: Organization, twilio: FakeTwilio
) -> None:
    text_consent_record(organization=organization, phone=ADA, source="booking page")

    assert post(client, "Stop by at 3?").status_code == 200

    assert not opted_out(organization)


@pytest.mark.parametrize(
    "forgery",
    [{"token": "0" * 32}, {"account": "AC" + "9" * 32}],
    ids=["wrong signature", "another account"],
)
def test_a_request_twilio_did_not_sign_changes_nothing(
    client: Client, organization: Organization, twilio: FakeTwilio, forgery: dict[str, str]
) -> None:
    text_consent_record(organization=organization, phone=ADA, source="booking page")

    response = post(client, "STOP", **forgery)

    assert response.status_code == 403
    assert not opted_out(organization)


def test_a_parameter_changed_after_signing_is_refused(
    client: Client, organization: Organization, twilio: FakeTwilio
) -> None:
    from django.conf import settings

    text_consent_record(organization=organization, phone=ADA, source="booking page")
    form = {"AccountSid": ACCOUNT_SID, "From": "+14155559999", "Body": "STOP", "MessageSid": "SM1"}
    signature = RequestValidator(AUTH_TOKEN).compute_signature(
        settings.HIRESLOT_BASE_URL + PATH, form
    )

    response = client.post(PATH, {**form, "From": ADA}, headers={"X-Twilio-Signature": signature})

    assert response.status_code == 403
    assert not opted_out(organization)


def test_with_texts_off_the_hook_is_not_there(client: Client, settings: Any) -> None:
    settings.HIRESLOT_TEXT_MESSAGE_BACKEND = ""
    assert client.post(PATH, {"Body": "STOP"}).status_code == 404


def test_only_post_is_answered(client: Client, twilio: FakeTwilio) -> None:
    assert client.get(PATH).status_code == 405
