"""The booker's optional consent to text reminders, in a real browser: it sits above the
calendar, passes axe at desktop and phone size, and its inputs travel with the confirm."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hireslot.messaging.models import TextMessageConsent
from hireslot.scheduling.models import Interview
from tests.browser import (
    axe_violations,
    chromium_browser,
    screenshot,
)

from .conftest import company_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEMORY = "hireslot.messaging.text_messages.memory.MemoryBackend"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_browser()


def test_a_candidate_agrees_to_text_reminders_while_booking(
    browser: Any, live_server: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.HIRESLOT_TEXT_MESSAGE_BACKEND = MEMORY
    company = company_build("texts")
    company.template.reminder_texts = True
    company.template.save()
    token = company.send().link.rsplit("/", 1)[1]

    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(locale="en-US", timezone_id="America/New_York", viewport=size)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(f"{live_server.url}/s/{token}")
        consent = page.get_by_label("Text me reminders about this interview", exact=False)
        expect(consent).to_be_visible()
        screenshot(page, f"booker-text-consent-{name}")
        assert axe_violations(page) == []
        if name == "desktop":
            consent.check()
            page.get_by_label("Mobile number, with country code").fill("+1 212 555 0142")
            page.locator("button.time").first.click()
            page.get_by_role("button", name="Confirm").click()
            expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
        context.close()

    assert TextMessageConsent.objects.get().phone == "+12125550142"
    interview = Interview.objects.get()
    assert sorted(interview.reminders.values_list("channel", flat=True)) == [
        "email",
        "email",
        "sms",
        "sms",
    ]
