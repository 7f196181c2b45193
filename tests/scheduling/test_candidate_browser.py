"""The candidate's page in a real browser in Kolkata: it detects the zone, shows times there,
and a time can be booked with the keyboard alone."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hireslot.scheduling.models import Interview
from tests.browser import CHROMIUM, CHROMIUM_FLAGS

from .conftest import company_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZONE = "Asia/Kolkata"
DETECTED = re.compile(r"[?&]tz=Asia(%2F|/)(Kolkata|Calcutta)(&|$)")
EVERY_DAY = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@pytest.fixture
def kolkata_page() -> Iterator[Any]:
    """tests/browser.py's Chromium, launched the same way, in a context set to Kolkata."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            context = browser.new_context(locale="en-GB", timezone_id=ZONE)
            context.set_default_timeout(15_000)
            try:
                yield context.new_page()
            finally:
                context.close()
                browser.close()


def focused(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return {tag: e.tagName, type: e.type || '', name: e.name || '',"
            " value: e.value || '', text: (e.textContent || '').trim(),"
            " checked: String(!!e.checked)}; }"
        )
    )


def tab_until(page: Any, found: Any, limit: int = 40) -> dict[str, str]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if found(element):
            return element
    raise AssertionError(f"Tab never reached the element; focus is on {focused(page)}")


def test_a_candidate_in_kolkata_books_with_the_keyboard_alone(
    kolkata_page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    page = kolkata_page
    # Times relative to the real clock: the live server is not time-travelled.
    company = company_build("browser")
    rules = company.interviewer.availability
    rules.time_zone, rules.weekly_hours, rules.minimum_notice_minutes = "UTC", EVERY_DAY, 0
    rules.save()
    token = company.send().link.rsplit("/", 1)[1]

    # Given a candidate whose browser is in Kolkata opening the link (which names no zone)
    page.goto(f"{live_server.url}/s/{token}")

    # Then the page detects the zone and shows times there. Chromium's ICU names India's zone
    # by its older IANA alias, Asia/Calcutta: the same rules, accepted by the server.
    expect(page).to_have_url(DETECTED)
    expect(
        page.get_by_role("heading", name="Pick a time for your Manager Interview")
    ).to_be_visible()
    zone_menu = page.get_by_label("Times are shown in")
    expect(zone_menu).to_have_value(re.compile(r"^Asia/(Kolkata|Calcutta)$"))
    detected = zone_menu.input_value()
    first = page.get_by_role("radio").first
    expect(first).to_be_visible()
    kolkata = ZoneInfo(ZONE)
    value = first.get_attribute("value")
    assert value is not None
    local = datetime.fromisoformat(value).astimezone(kolkata)
    expect(page.get_by_text(re.compile(rf"^\s*{local:%H:%M} \u2013")).first).to_be_visible()
    expect(
        page.get_by_role("group", name=re.compile(f"{local:%A} {local.day} {local:%B}"))
    ).to_be_visible()

    # When they Tab to the times, move with the arrow keys, and choose with Space
    element = tab_until(page, lambda e: e["type"] == "radio")
    assert element["value"] == value
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    chosen = focused(page)
    assert chosen["type"] == "radio" and chosen["checked"] == "true"
    assert chosen["value"] != value
    chosen_start = datetime.fromisoformat(chosen["value"])
    expect(page.get_by_role("radio", checked=True)).to_have_attribute("value", chosen["value"])

    # and Tab on to the button and press Enter
    button = tab_until(page, lambda e: e["tag"] == "BUTTON")
    assert button["text"] == "Book this time"
    page.keyboard.press("Enter")

    # Then they see the confirmation in their own time
    expect(page.get_by_role("heading", name="Booked")).to_be_visible()
    expect(page).to_have_url(DETECTED)
    start_local = chosen_start.astimezone(kolkata)
    end_local = start_local + (Interview.objects.get().end - Interview.objects.get().start)
    confirmation = page.locator("section", has=page.get_by_role("heading", name="Booked"))
    expect(confirmation).to_contain_text(
        f"{start_local:%A} {start_local.day} {start_local:%B %Y}, "
        f"{start_local:%H:%M} \u2013 {end_local:%H:%M}"
    )
    expect(confirmation).to_contain_text(f"({detected})")
    expect(page.get_by_role("link", name="Add to my calendar (.ics)")).to_be_visible()
    interview = Interview.objects.get()
    assert interview.start == chosen_start
    assert interview.candidate_time_zone == detected
