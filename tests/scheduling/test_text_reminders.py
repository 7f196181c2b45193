"""Text reminders: offered on the booker only where texts are on and the template texts;
the candidate's consent given there plans them; a STOP before the moment stops them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
import time_machine
from django.test import Client

from hireslot.core.tokens import link_token_derive
from hireslot.messaging.models import TextMessageConsent
from hireslot.messaging.text_messages import memory
from hireslot.messaging.text_messages.services import text_opt_out_record
from hireslot.scheduling.models import Interview, SchedulingRequest

from .conftest import Company, run_worker

pytestmark = pytest.mark.django_db(transaction=True)

MEMORY = "hireslot.messaging.text_messages.memory.MemoryBackend"
TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


@pytest.fixture
def texts(settings: Any) -> Iterator[list[memory.Sent]]:
    settings.HIRESLOT_TEXT_MESSAGE_BACKEND = MEMORY
    memory.reset()
    yield memory.outbox
    memory.reset()


def link(request: SchedulingRequest) -> str:
    return f"/s/{link_token_derive(request.token_nonce)}"


def test_the_booker_offers_text_reminders_only_when_the_template_texts(
    company: Company, texts: list[memory.Sent]
) -> None:
    request = company.send().request
    assert "Reminders by text message" not in Client().get(link(request)).content.decode()

    company.template.reminder_texts = True
    company.template.save()
    fresh = SchedulingRequest.objects.get(pk=request.pk)
    assert "Reminders by text message" in Client().get(f"{link(fresh)}?tz=UTC").content.decode()


def test_consent_on_the_booker_plans_and_sends_text_reminders(
    company: Company, texts: list[memory.Sent]
) -> None:
    company.template.reminder_texts = True
    company.template.reminder_offsets_minutes = [60]
    company.template.save()
    request = company.send().request

    response = Client().post(
        f"{link(request)}/book",
        {
            "start": "2026-03-03T15:00:00Z",
            "tz": "America/New_York",
            "text_reminders": "1",
            "phone": "+1 (212) 555-0142",
        },
    )

    assert response.status_code == 303
    consent = TextMessageConsent.objects.get()
    assert (consent.phone, consent.source) == ("+12125550142", "booker")
    interview = Interview.objects.get()
    assert sorted(interview.reminders.values_list("channel", flat=True)) == ["email", "sms"]
    with time_machine.travel(TUESDAY_10 - timedelta(hours=1), tick=False):
        run_worker()
    [text] = texts
    assert text.to == "+12125550142"
    assert "Manager Interview" in text.body and "10:00" in text.body


def test_a_number_that_is_not_one_is_refused_and_nothing_is_booked(
    company: Company, texts: list[memory.Sent]
) -> None:
    company.template.reminder_texts = True
    company.template.save()
    request = company.send().request

    response = Client().post(
        f"{link(request)}/book",
        {"start": "2026-03-03T15:00:00Z", "tz": "UTC", "text_reminders": "1", "phone": "12"},
    )

    assert response.status_code == 400
    assert "mobile number" in response.content.decode()
    assert not Interview.objects.exists()
    assert not TextMessageConsent.objects.exists()


def test_a_stop_before_the_moment_skips_the_text_reminder(
    company: Company, texts: list[memory.Sent]
) -> None:
    company.template.reminder_texts = True
    company.template.reminder_offsets_minutes = [60]
    company.template.save()
    request = company.send().request
    Client().post(
        f"{link(request)}/book",
        {
            "start": "2026-03-03T15:00:00Z",
            "tz": "UTC",
            "text_reminders": "1",
            "phone": "+12125550142",
        },
    )

    text_opt_out_record(phone="+12125550142", keyword="STOP")
    with time_machine.travel(TUESDAY_10 - timedelta(hours=1), tick=False):
        run_worker()

    assert texts == []
    sms = Interview.objects.get().reminders.get(channel="sms")
    assert sms.state == "skipped" and "STOP" in sms.reason


class _FormFields(HTMLParser):
    """The names a browser without scripts sends with the form ``form_id``: the fields
    inside it and those naming it in their ``form`` attribute."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id, self.inside, self.action, self.names = form_id, False, "", set[str]()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and found.get("id") == self.form_id:
            self.inside, self.action = True, found.get("action") or ""
        elif tag in ("input", "textarea", "select") and found.get("name"):
            owner = found.get("form")
            if owner == self.form_id or (self.inside and owner is None):
                self.names.add(str(found["name"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def test_without_a_script_the_time_list_carries_the_text_consent(
    company: Company, texts: list[memory.Sent]
) -> None:
    company.template.reminder_texts = True
    company.template.save()
    request = company.send().request
    html = Client().get(f"{link(request)}?tz=UTC").content.decode()

    fields = _FormFields("slot-form")
    fields.feed(html)

    assert fields.action.endswith("/book")
    assert {"start", "tz", "text_reminders", "phone"} <= fields.names
