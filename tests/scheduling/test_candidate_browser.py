"""The candidate's booker in a real browser (Debian's Chromium), as a candidate uses it: the
month calendar with the mouse and with the keyboard alone, the zone chooser, the clock, the
language switcher, the phone's first screen, reschedule and cancel, calendar links, and
axe-core's WCAG 2.2 AA checks on every state at desktop and phone size in two languages.

One browser for the module; each test opens its own contexts (zone, language, size)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from hireslot.core import clock
from hireslot.core.time_text import time_text, when_text
from hireslot.scheduling.models import Interview, SchedulingRequest
from hireslot.scheduling.services import interview_book, interview_cancel, interview_reschedule
from hireslot.scheduling.slots import request_slots
from tests.browser import (
    axe_violations,
    chromium_browser,
    screenshot,
)

from .conftest import Company, company_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SPACES = re.compile(r"[\s\u2009\u202f\u00a0]+")


def same_text(text: str) -> str:
    """Babel and the browser's Intl agree on words, not on which thin space goes where."""
    return SPACES.sub(" ", text).strip()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_browser()


@pytest.fixture(autouse=True)
def async_unsafe_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API runs an event loop in this thread; the test's database calls
    # are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def open_page(
    browser: Any,
    *,
    locale: str = "en-US",
    zone: str = "Europe/Berlin",
    size: dict[str, int] = DESKTOP,
) -> Any:
    context = browser.new_context(locale=locale, timezone_id=zone, viewport=size)
    context.set_default_timeout(15_000)
    return context.new_page()


def ready(slug: str) -> tuple[Company, str]:
    """A company whose interviewer (New York, weekdays 9 to 5, no notice) was just asked for
    times: the live server runs on the real clock."""
    company = company_build(slug)
    token = company.send().link.rsplit("/", 1)[1]
    return company, token


def offered(company: Company, *, days: int = 21) -> list[datetime]:
    request = SchedulingRequest.objects.get(application=company.application)
    now = clock.now()
    end = now + timedelta(days=days)
    return [slot.start_at for slot in request_slots(request=request, start=now, end=end, now=now)]


def changeable(company: Company) -> list[datetime]:
    """Offered times the candidate may still change once booked, from the second day on: the
    live server runs on the real clock and the interviewer has no notice, so today's first
    times can be inside the 2-hour change cut-off at some hours of the day."""
    later = clock.now() + timedelta(days=1)
    return [start for start in offered(company) if start >= later]


def assert_accessible(page: Any, state: str) -> None:
    problems = axe_violations(page)
    assert problems == [], f"{state}: {problems}"


def focused_text(page: Any) -> str:
    return str(page.evaluate("() => (document.activeElement.textContent || '').trim()"))


# --- Booking ----------------------------------------------------------------------------------


def test_a_candidate_books_with_the_mouse_in_the_calendar(browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    _company, token = ready("mouse")
    page = open_page(browser, locale="en-US", zone="Europe/Berlin")

    # Given the link opened in Berlin
    page.goto(f"{live_server.url}/s/{token}")
    grid = page.get_by_role("grid")
    expect(grid).to_be_visible()
    # Then the first day with times is chosen and its times are listed beside the month
    open_days = page.locator("td.open")
    expect(open_days.first).to_have_attribute("aria-selected", "true")
    times = page.locator("button.time")
    expect(times.first).to_be_visible()
    assert times.first.bounding_box()["x"] > grid.bounding_box()["x"] + 300  # beside, not below
    zone_input = page.get_by_role("combobox", name="Time zone")
    expect(zone_input).to_have_value(re.compile("Central European"))
    screenshot(page, "booker-desktop-picker")
    assert_accessible(page, "picker")

    # When they pick the second day with times and a time on it
    open_days.nth(1).click()
    expect(open_days.nth(1)).to_have_attribute("aria-selected", "true")
    expect(page.locator("#times-day")).to_contain_text("Times on")
    first_time = page.locator("button.time").first
    start = datetime.fromtimestamp(int(first_time.get_attribute("data-ms")) / 1000, tz=UTC)
    first_time.click()

    # Then the sentence says when, in their zone, with the interviewer's time beside it
    end = start + timedelta(minutes=45)
    expected = when_text(start, end, zone="Europe/Berlin", locale="en_US")
    sentence = page.locator("#confirm-when")
    expect(sentence).to_be_visible()
    assert same_text(sentence.inner_text()) == same_text(expected)
    expect(page.locator(".other-zone")).to_contain_text("for Nora")
    confirm = page.get_by_role("button", name="Confirm")
    expect(confirm).to_be_focused()
    screenshot(page, "booker-desktop-chosen")
    assert_accessible(page, "chosen time")

    # When they confirm
    confirm.click()

    # Then the confirmation has focus and says what, when, with whom and how to join
    heading = page.get_by_role("heading", name="You are booked")
    expect(heading).to_be_focused()
    expect(page.locator(".facts")).to_contain_text("Nora Alvarez")
    interview = Interview.objects.get()
    assert interview.start == start
    assert interview.candidate_time_zone == "Europe/Berlin"
    assert interview.candidate_language == "en"
    assert same_text(page.locator(".facts .when").inner_text()) == same_text(expected)
    screenshot(page, "booker-desktop-booked")
    assert_accessible(page, "booked")

    # And the calendar links carry the interview's UTC times
    google = page.get_by_role("link", name="Google Calendar").get_attribute("href")
    assert parse_qs(urlsplit(google).query)["dates"] == [
        f"{start:%Y%m%dT%H%M%S}Z/{end:%Y%m%dT%H%M%S}Z"
    ]
    outlook = parse_qs(
        urlsplit(page.get_by_role("link", name="Outlook").get_attribute("href")).query
    )
    assert urlsplit(page.get_by_role("link", name="Outlook").get_attribute("href")).netloc == (
        "outlook.live.com"
    )
    assert outlook["startdt"] == [f"{start:%Y-%m-%dT%H:%M:%S}Z"]
    assert outlook["enddt"] == [f"{end:%Y-%m-%dT%H:%M:%S}Z"]
    ics_link = page.get_by_role("link", name=re.compile(r"\.ics")).get_attribute("href")
    ics = page.request.get(f"{live_server.url}{ics_link}").text()
    assert f"DTSTART:{start:%Y%m%dT%H%M%S}Z" in ics
    assert f"DTEND:{end:%Y%m%dT%H%M%S}Z" in ics
    page.context.close()


def test_a_candidate_in_kolkata_books_with_the_keyboard_alone(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    _company, token = ready("keys")
    page = open_page(browser, locale="en-GB", zone="Asia/Kolkata")
    page.goto(f"{live_server.url}/s/{token}")
    expect(page.locator("button.time").first).to_be_visible()
    # A British reader gets a 24-hour clock, in the zone the browser detected (Chromium's ICU
    # calls it Asia/Calcutta; the page shows and books today's name)
    assert re.fullmatch(r"\d\d:\d\d", page.locator("button.time").first.inner_text())
    expect(page.get_by_role("combobox", name="Time zone")).to_have_value(re.compile("Kolkata"))

    # When they Tab into the calendar: focus lands on the chosen day
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('role')") == "gridcell":
            break
    chosen_day = page.locator("td[aria-selected=true]")
    expect(chosen_day).to_be_focused()
    # and move to the same weekday next week with the arrow keys and choose it with Enter
    page.keyboard.press("ArrowDown")
    next_week = page.locator(".cal-grid td[tabindex='0']")
    expect(next_week).to_be_focused()
    page.keyboard.press("Enter")
    expect(next_week).to_have_attribute("aria-selected", "true")
    # then Tab to the first time and press Enter: the confirm button takes focus
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('time')"):
            break
    start_ms = page.evaluate("() => document.activeElement.dataset.ms")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Confirm")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="You are booked")).to_be_focused()
    interview = Interview.objects.get()
    assert interview.start == datetime.fromtimestamp(int(start_ms) / 1000, tz=UTC)
    assert interview.candidate_time_zone == "Asia/Kolkata"
    page.context.close()


def test_focus_stays_on_the_chosen_time_when_the_rest_of_the_month_arrives_late(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    # Given a slow network: the month's further times (fetched after the page's first two
    # weeks are drawn) are held back
    _company, token = ready("latemonth")
    page = open_page(browser)
    held: list[Any] = []
    page.route(re.compile(r"/slots"), lambda route: held.append(route))
    page.goto(f"{live_server.url}/s/{token}")
    expect(page.locator("button.time").first).to_be_visible()
    expect(page.locator(".cal-grid[aria-busy=true]")).to_have_count(1)

    # When the candidate picks a time with the keyboard before they arrive
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('time')"):
            break
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name="Confirm")
    expect(confirm).to_be_focused()
    for route in held:
        route.continue_()
    page.unroute(re.compile(r"/slots"))

    # Then the calendar is drawn again with the whole month, and focus is still on Confirm
    expect(page.locator(".cal-grid[aria-busy=true]")).to_have_count(0)
    assert held, "the page never asked for the rest of the month"
    expect(confirm).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="You are booked")).to_be_focused()
    page.context.close()


def test_on_a_phone_the_first_time_and_its_confirm_button_fit_the_first_screen(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    _company, token = ready("phone")
    page = open_page(browser, locale="es-ES", zone="America/New_York", size=PHONE)
    page.goto(f"{live_server.url}/s/{token}")
    assert page.get_attribute("html", "lang") == "es"
    first_time = page.locator("button.time").first
    expect(first_time).to_be_visible()
    screenshot(page, "booker-phone-picker")
    assert_accessible(page, "picker (phone, es)")

    first_time.click()
    confirm = page.locator(".confirm button")
    expect(confirm).to_be_visible()
    assert page.evaluate("() => window.scrollY") == 0
    page.evaluate("() => window.scrollTo(0, 0)")
    for element in (page.locator("button.time").first, confirm):
        box = element.bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], box
    # Below the calendar, not beside it
    assert first_time.bounding_box()["y"] > page.get_by_role("grid").bounding_box()["y"]
    screenshot(page, "booker-phone-chosen")
    assert_accessible(page, "chosen time (phone, es)")
    page.context.close()


# --- Zone, clock, language --------------------------------------------------------------------


def test_the_zone_changes_by_typing_a_city_and_the_clock_toggles(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    company, token = ready("zones")
    first = offered(company)[0]
    page = open_page(browser, locale="en-US", zone="UTC")
    page.goto(f"{live_server.url}/s/{token}")
    expect(page.locator("button.time").first).to_be_visible()

    # When they type a city and choose it
    zone_input = page.get_by_role("combobox", name="Time zone")
    zone_input.click()
    zone_input.fill("Tokyo")
    option = page.get_by_role("option", name=re.compile("Tokyo, Japan"))
    expect(option).to_be_visible()
    expect(option).to_contain_text("Japan")
    page.keyboard.press("Enter")

    # Then times show in Tokyo at once, no button, no reload
    expect(zone_input).to_have_value(re.compile("Japan"))
    assert "tz=Asia%2FTokyo" in page.url or "tz=Asia/Tokyo" in page.url
    expected = time_text(first, zone="Asia/Tokyo", locale="en_US")
    expect(page.locator("button.time").first).to_have_text(
        re.compile(re.escape(same_text(expected)).replace("\\ ", "[\\s\u202f]"))
    )

    # An abbreviation finds its zones too
    zone_input.click()
    zone_input.fill("CET")
    expect(page.get_by_role("option", name=re.compile("Berlin, Germany"))).to_be_visible()
    page.keyboard.press("Escape")

    # The 24-hour clock at a click
    page.get_by_role("button", name="24h").click()
    expect(page.get_by_role("button", name="24h")).to_have_attribute("aria-pressed", "true")
    assert re.fullmatch(r"\d\d:\d\d", page.locator("button.time").first.inner_text())

    page.locator("button.time").first.click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    interview = Interview.objects.get()
    assert interview.candidate_time_zone == "Asia/Tokyo"
    # The confirmation keeps the clock they chose
    assert re.search(r"\d\d:\d\d", page.locator(".facts .when").inner_text())
    page.context.close()


def test_the_language_switcher_changes_and_remembers_the_language(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    _company, token = ready("lang")
    page = open_page(browser, locale="en-US", zone="Europe/Madrid")
    page.goto(f"{live_server.url}/s/{token}")
    expect(page.locator("button.time").first).to_be_visible()

    page.get_by_label("Language").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    # Dates come from the browser's Intl in the page's locale
    expect(page.locator("#cal-month")).to_have_text(
        re.compile(
            r"^(enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre)"
        )
    )
    page.goto(f"{live_server.url}/s/{token}")
    expect(page.locator("html")).to_have_attribute("lang", "es")

    # Right to left for Arabic: the page mirrors and the calendar still works
    page.get_by_label(re.compile("Language|Idioma")).select_option("ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("button.time").first).to_be_visible()
    grid_box = page.get_by_role("grid").bounding_box()
    times_box = page.locator(".booker-times").bounding_box()
    assert times_box["x"] < grid_box["x"], "in Arabic the times sit to the left of the month"
    screenshot(page, "booker-desktop-rtl")
    page.context.close()


# --- After booking ----------------------------------------------------------------------------


def test_the_candidate_reschedules_then_cancels_and_picks_a_new_time(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    company, token = ready("manage")
    starts = changeable(company)
    request = SchedulingRequest.objects.get(application=company.application)
    interview_book(request=request, start=starts[0], candidate_time_zone="Europe/Berlin")
    page = open_page(browser, locale="en-US", zone="Europe/Berlin")
    page.goto(f"{live_server.url}/s/{token}")

    # Reschedule opens the picker with the current time marked
    page.get_by_role("link", name="Reschedule").click()
    expect(page.get_by_role("heading", name="Pick a new time")).to_be_visible()
    current = page.locator("button.time.current")
    expect(current).to_contain_text("Your current time")
    expect(current).to_be_disabled()
    # A later time on the same day: still outside the change cut-off.
    page.locator("li:has(button.time.current) ~ li button.time").first.click()
    page.get_by_role("button", name="Move to this time").click()

    heading = page.get_by_role("heading", name="Your interview was moved")
    expect(heading).to_be_focused()
    moved = page.locator(".moved")
    was = when_text(
        starts[0], starts[0] + timedelta(minutes=45), zone="Europe/Berlin", locale="en_US"
    )
    assert same_text(moved.inner_text()).startswith(same_text(f"Moved from {was} to "))
    assert Interview.objects.get().start != starts[0]
    assert_accessible(page, "rescheduled")

    # Cancel asks first, with an optional reason
    page.get_by_role("link", name="Cancel interview").click()
    expect(page.get_by_role("heading", name="Cancel your interview?")).to_be_focused()
    page.get_by_label("Reason (optional)").fill("I took another offer")
    page.get_by_role("button", name="Yes, cancel my interview").click()

    expect(page.get_by_role("heading", name="You cancelled your interview")).to_be_focused()
    interview = Interview.objects.get()
    assert interview.status == Interview.Status.CANCELLED
    assert interview.cancel_reason == "I took another offer"
    assert_accessible(page, "cancelled")

    # The candidate's own cancel leaves the link open: the same page offers a new time.
    page.locator("button.time").first.click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    assert Interview.objects.filter(status=Interview.Status.SCHEDULED).count() == 1
    page.context.close()


# --- Accessibility of every state -------------------------------------------------------------


def test_every_candidate_page_state_passes_axe_at_both_sizes_in_two_languages(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    _fresh, fresh = ready("axe-fresh")
    booked_company, booked = ready("axe-booked")
    moved_company, moved = ready("axe-moved")
    cancelled_company, cancelled = ready("axe-cancelled")
    expired_company, expired = ready("axe-expired")
    now = clock.now()
    for company in (booked_company, moved_company, cancelled_company):
        request = SchedulingRequest.objects.get(application=company.application)
        times = changeable(company)
        interview = interview_book(request=request, start=times[0], candidate_time_zone="UTC")
        if company is moved_company:
            interview_reschedule(interview=interview, start=times[1], actor=None, by_candidate=True)
        if company is cancelled_company:
            interview_cancel(interview=interview, actor=None, by_candidate=True)
    SchedulingRequest.objects.filter(application=expired_company.application).update(
        expires_at=now - timedelta(hours=1)
    )
    was = f"{changeable(moved_company)[0]:%Y-%m-%dT%H:%M:%S}Z"
    states = {
        "picker": f"/s/{fresh}",
        "booked": f"/s/{booked}?done=booked",
        "rescheduled": f"/s/{moved}?done=rescheduled&was={was}",
        "reschedule picker": f"/s/{moved}?change=reschedule",
        "cancel step": f"/s/{moved}?change=cancel",
        "cancelled": f"/s/{cancelled}?done=cancelled",
        "expired": f"/s/{expired}",
        "zone page": f"/s/{fresh}/zone?q=berlin",
        "404": "/s/not-a-link",
    }
    problems: list[str] = []
    for locale in ("en-US", "es-ES"):
        for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page = open_page(browser, locale=locale, zone="Europe/Berlin", size=size)
            for state, path in states.items():
                page.goto(f"{live_server.url}{path}")
                if state == "picker":
                    expect(page.locator("button.time").first).to_be_visible()
                    problems += [f"{locale} {name} picker: {p}" for p in axe_violations(page)]
                    page.locator("button.time").first.click()
                    expect(page.locator(".confirm button")).to_be_visible()
                    state = "chosen time"
                problems += [f"{locale} {name} {state}: {p}" for p in axe_violations(page)]
            page.context.close()
    assert problems == []


def test_without_a_script_the_list_books_and_the_zone_page_works(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    _company, token = ready("nojs")
    context = browser.new_context(
        locale="en-US", timezone_id="Europe/Berlin", viewport=DESKTOP, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/s/{token}")
    expect(page.get_by_role("grid")).to_be_hidden()

    page.get_by_role("link", name="Change time zone").click()
    page.get_by_label("City, country or abbreviation").fill("berlin")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=re.compile("Central European Time — Berlin")).click()
    expect(page.get_by_text(re.compile("Times are shown in Central European Time"))).to_be_visible()

    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    assert Interview.objects.get().candidate_time_zone == "Europe/Berlin"
    context.close()


def test_an_empty_month_opens_on_the_first_month_with_times_or_says_there_are_none(
    browser: Any, live_server: Any
) -> None:
    # Given a template whose notice pushes every time past this month (in Berlin), with a
    # link that must be used within a week (times may still lie further ahead)
    company = company_build("laterbrowser")
    now = clock.now()
    next_month = (now.replace(day=1) + timedelta(days=32)).replace(day=1, hour=0, minute=0)
    template = company.template
    template.minimum_notice_minutes = int((next_month - now).total_seconds() // 60) + 3 * 24 * 60
    template.link_expiry_days, template.booking_horizon_days = 7, 90
    template.save()
    token = company.send().link.rsplit("/", 1)[1]
    first = min(offered(company, days=90))

    # When the candidate opens the link
    page = open_page(browser)
    page.goto(f"{live_server.url}/s/{token}")

    # Then the calendar opens on the month of the first time, that day chosen, its times shown
    day_text = first.astimezone(ZoneInfo("Europe/Berlin")).strftime("%B %Y")
    from playwright.sync_api import expect

    expect(page.locator("#cal-month")).to_have_text(day_text)
    expect(page.locator("button.time").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "booker-opens-on-the-first-month-with-times")

    # And when no time opens within the booking horizon, the page says so up to its last day
    # rather than "try the next month"
    other = company_build("nonebrowser")
    other.template.minimum_notice_minutes = 10 * 24 * 60
    other.template.booking_horizon_days = 9
    other.template.save()
    none_token = other.send().link.rsplit("/", 1)[1]
    page.goto(f"{live_server.url}/s/{none_token}")
    screenshot(page, "booker-with-no-times-in-the-horizon")
    last = (clock.now() + timedelta(days=9)).astimezone(ZoneInfo("Europe/Berlin"))
    expect(page.get_by_text("No times are open between now and")).to_contain_text(
        f"{last:%B} {last.day}, {last.year}"
    )
    expect(page.get_by_text("Try the next month")).to_have_count(0)
    assert axe_violations(page) == []
    page.context.close()
