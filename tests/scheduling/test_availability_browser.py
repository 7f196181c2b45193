"""The plain availability form in a real browser (issue 16): typed with the keyboard alone on
a phone and on a desktop, it sends the times; axe-core finds nothing on the form, the page
that confirms it, and the "None of these times work?" disclosure of an offer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest

from hireslot.scheduling.models import AvailabilityWindow, SchedulingRequest
from tests.browser import (
    axe_violations,
    chromium_browser,
    screenshot,
)

from .conftest import company_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_browser()


def tab_to(page: Any, element_id: str) -> None:
    """Press Tab until ``element_id`` has the focus (a date or time input takes several
    presses: Chromium tabs through its day, month and year parts)."""
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_a_candidate_types_their_availability_with_the_keyboard(
    browser: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    company = company_build("avail")
    company.template.ask_availability = True
    company.template.save()
    company.candidate.time_zone = "Asia/Tokyo"
    company.candidate.save()
    token = company.send().link.rsplit("/", 1)[1]
    day = (date.today() + timedelta(days=3)).isoformat()

    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(locale="en-US", timezone_id="Asia/Tokyo", viewport=size)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(f"{live_server.url}/s/{token}")
        expect(page.get_by_role("heading", name="When could you do your Manager Interview?"))
        screenshot(page, f"availability-form-{name}")
        assert axe_violations(page) == []
        # Keyboard only: focus the first day, then type and Tab from field to field.
        page.get_by_label("Day 1", exact=True).focus()
        page.keyboard.type(day.replace("-", "")[4:] + day[:4])  # mm dd yyyy, as en-US types
        tab_to(page, "window-from-1")
        page.keyboard.type("0900AM")
        tab_to(page, "window-to-1")
        page.keyboard.type("1130AM")
        tab_to(page, "availability-note")
        page.keyboard.press("Control+A")  # the second visit shows the note sent before
        page.keyboard.type(f"Typed on a {name}")
        tab_to(page, "availability-send")
        page.keyboard.press("Enter")
        expect(
            page.get_by_role("heading", name="Thank you, we have your availability")
        ).to_be_visible()
        screenshot(page, f"availability-received-{name}")
        assert axe_violations(page) == []
        context.close()

    request = SchedulingRequest.objects.get()
    assert request.status == "availability_received"
    [window] = AvailabilityWindow.objects.all()
    local = window.start.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Tokyo"))
    assert (local.date().isoformat(), f"{local:%H:%M}") == (day, "09:00")
    assert window.end - window.start == timedelta(hours=2, minutes=30)
    assert request.availability.note == "Typed on a desktop"


def test_none_of_these_times_work_opens_the_same_form(
    browser: Any, live_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.sync_api import expect

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    company = company_build("offer")
    token = company.send().link.rsplit("/", 1)[1]

    for name, size in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(locale="en-US", timezone_id="America/New_York", viewport=size)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.goto(f"{live_server.url}/s/{token}")
        page.get_by_text("None of these times work?").click()
        expect(page.get_by_label("Day 1", exact=True)).to_be_visible()
        page.get_by_label("Day 1", exact=True).scroll_into_view_if_needed()
        screenshot(page, f"availability-none-work-{name}")
        assert axe_violations(page) == []
        context.close()
