"""A loop in a real browser (Debian's Chromium), with the keyboard alone: pick a start time,
read the agenda before confirming, book, see the agenda with join links, reschedule; axe-core
on every state at desktop and phone size. Bounded: one candidate, one booking, one move."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hireslot.scheduling.models import InterviewLoop
from hireslot.scheduling.services import scheduling_request_send
from tests.browser import (
    axe_violations,
    chromium_browser,
    screenshot,
)

from .conftest import company_build
from .loop_company import loop_company_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SESSIONS = ["Intro", "Technical", "Systems", "Wrap-up"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_browser()


@pytest.fixture(autouse=True)
def async_unsafe_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def open_page(browser: Any, size: dict[str, int]) -> Any:
    context = browser.new_context(locale="en-US", timezone_id="America/New_York", viewport=size)
    context.set_default_timeout(15_000)
    return context.new_page()


def accessible(page: Any, state: str) -> None:
    problems = axe_violations(page)
    assert problems == [], f"{state}: {problems}"


def tab_until(page: Any, check: str, limit: int = 40) -> None:
    """Press Tab until ``check`` (a script over ``el``, the focused element) holds."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const el = document.activeElement; return {check}; }}"):
            return
    raise AssertionError(f"Tab never reached {check}")


def agenda_names(page: Any, selector: str) -> list[str]:
    return [
        name
        for text in page.locator(f"{selector} li").all_inner_texts()
        for name in SESSIONS
        if f" {name} (" in f" {text}"
    ]


def test_a_candidate_books_and_moves_a_loop_with_the_keyboard_alone(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    company = company_build("loopkeys")
    loop = loop_company_build(company)
    sent = scheduling_request_send(
        application=company.application, template=loop.template, sender=company.recruiter
    )
    link = f"{live_server.url}/s/{sent.link.rsplit('/', 1)[1]}"
    page = open_page(browser, DESKTOP)
    page.goto(link)

    # Given the day's plan before any time is picked
    expect(page.get_by_role("heading", name="Pick a time for your Onsite")).to_be_visible()
    assert agenda_names(page, "ol.agenda") == SESSIONS
    expect(page.locator("ol.agenda")).to_contain_text("then a 45-minute break")
    expect(page.locator("button.time").first).to_be_visible()
    screenshot(page, "loop-desktop-picker")
    accessible(page, "loop picker")

    # When they Tab into the calendar, go a week ahead (outside the change cut-off), choose
    # the day with Enter, Tab to its first time and press Enter
    tab_until(page, "el.getAttribute('role') === 'gridcell'")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    tab_until(page, "el.classList.contains('time')")
    start_ms = int(page.evaluate("() => document.activeElement.dataset.ms"))
    page.keyboard.press("Enter")

    # Then the agenda of that time is shown before confirming, each session in order
    confirm = page.get_by_role("button", name="Confirm")
    expect(confirm).to_be_focused()
    expect(page.locator("#confirm-agenda")).to_be_visible()
    assert agenda_names(page, "#confirm-agenda") == SESSIONS
    expect(page.locator("#confirm-agenda")).to_contain_text("with a member of Engineering")
    expect(page.locator("#confirm-agenda")).to_contain_text("with Sam Wu")
    screenshot(page, "loop-desktop-agenda")
    accessible(page, "loop agenda before confirming")
    page.keyboard.press("Enter")

    # Then they are booked: every session, and the page shows the agenda with join links
    expect(page.get_by_role("heading", name="You are booked")).to_be_focused()
    booked = InterviewLoop.objects.get()
    start = datetime.fromtimestamp(start_ms / 1000, tz=UTC)
    assert booked.start == start and booked.end == start + timedelta(minutes=195)
    assert booked.interviews.count() == 4
    assert agenda_names(page, "ol.agenda") == SESSIONS
    expect(page.get_by_role("link", name="Join Systems")).to_be_visible()
    screenshot(page, "loop-desktop-booked")
    accessible(page, "loop booked")

    # When they reschedule with the keyboard: the Reschedule link, then another time
    tab_until(page, "el.textContent.trim() === 'Reschedule'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Pick a new time")).to_be_visible()
    tab_until(page, "el.classList.contains('time') && !el.disabled")
    new_ms = int(page.evaluate("() => document.activeElement.dataset.ms"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Move to this time")).to_be_focused()
    accessible(page, "loop reschedule picker")
    page.keyboard.press("Enter")

    # Then the whole loop moved
    expect(page.get_by_role("heading", name="Your interview was moved")).to_be_focused()
    booked.refresh_from_db()
    moved = datetime.fromtimestamp(new_ms / 1000, tz=UTC)
    assert booked.start == moved and booked.sequence == 1
    sessions = list(booked.interviews.order_by("loop_position"))
    assert sessions[0].start == moved and sessions[-1].end == moved + timedelta(minutes=195)
    accessible(page, "loop moved")
    page.context.close()

    # And on a phone the booked page and the picker with an agenda pass too
    phone = open_page(browser, PHONE)
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Your Onsite")).to_be_visible()
    screenshot(phone, "loop-phone-booked")
    accessible(phone, "loop booked on a phone")
    phone.goto(f"{link}?change=reschedule")
    phone.locator("button.time:not([disabled])").first.click()
    expect(phone.locator("#confirm-agenda")).to_be_visible()
    screenshot(phone, "loop-phone-agenda")
    accessible(phone, "loop agenda on a phone")
    phone.context.close()

    # The recruiter's side: a session's page with the loop's agenda, and the sessions page
    desk = open_page(browser, DESKTOP)
    desk.goto(f"{live_server.url}/accounts/login/")
    desk.get_by_label("Email").fill(company.recruiter.email)
    desk.get_by_label("Password").fill("correct horse battery")
    desk.get_by_role("button", name="Log in").click()
    technical = booked.interviews.get(loop_position=1, status="scheduled")
    desk.goto(f"{live_server.url}/interviews/{technical.pk}/")
    expect(desk.get_by_role("heading", name="Onsite: session 2 of 4")).to_be_visible()
    screenshot(desk, "loop-recruiter-session")
    accessible(desk, "a loop session's page")
    desk.goto(f"{live_server.url}/templates/self-schedule/{loop.template.pk}/sessions/")
    expect(desk.get_by_role("heading", name=re.compile("Sessions of"))).to_be_visible()
    screenshot(desk, "loop-recruiter-sessions")
    accessible(desk, "a loop's sessions page")
    desk.context.close()
