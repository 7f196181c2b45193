"""The "none of these times work" week grid in a real browser (Debian's Chromium), as a
candidate in Tokyo uses it for an interviewer in New York: painted with a finger and a mouse on
a phone, with the keyboard alone on a desktop, a refusal from the server shown, and axe-core's
WCAG 2.2 AA checks on every state (empty, painted, error, sent) at both sizes.

The stored windows are compared with what was painted, worked out here from the days and
half hours the test chose, in the candidate's zone."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from hireslot.scheduling.models import CandidateAvailability, SchedulingRequest
from hireslot.scheduling.services import scheduling_request_send
from tests.browser import (
    ROOT,
    axe_violations,
    chromium_browser,
)

from .conftest import Company, company_build
from .loop_company import loop_company_build
from .pool_company import pool_company_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = ROOT / ".cache" / "shots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_browser()


@pytest.fixture(autouse=True)
def async_unsafe_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def shot(page: Any, name: str, *, full: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    return path


TOKYO = ZoneInfo("Asia/Tokyo")


def ready(slug: str) -> tuple[Company, str]:
    company = company_build(slug)
    token = company.send().link.rsplit("/", 1)[1]
    return company, token


def open_page(browser: Any, size: dict[str, int], *, touch: bool = False, **options: Any) -> Any:
    context = browser.new_context(
        locale="en-GB", timezone_id="Asia/Tokyo", viewport=size, has_touch=touch, **options
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems  # type: ignore[attr-defined]
    return page


def assert_accessible(page: Any, state: str) -> None:
    problems = axe_violations(page)
    assert problems == [], f"{state}: {problems}"


def tokyo_day(offset: int) -> date:
    return (datetime.now(TOKYO) + timedelta(days=offset)).date()


def cell_label(day: date, clock: str) -> str:
    """The cell's accessible name, as a screen reader says it (en-GB)."""
    return f"{day:%a} {day.day} {day:%b}, {clock}"


def cell(page: Any, day: date, clock: str) -> Any:
    return page.locator(f'td[role=gridcell][aria-label^="{cell_label(day, clock)}"]')


def tokyo(day: date, clock: str) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), tzinfo=TOKYO)


def stored(company: Company) -> list[tuple[datetime, datetime]]:
    request = SchedulingRequest.objects.get(application=company.application)
    availability = CandidateAvailability.objects.get(request=request)
    assert availability.time_zone == "Asia/Tokyo"
    return [(w.start, w.end) for w in availability.windows.order_by("start")]


def centre(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def finger_drag(page: Any, start: Any, end: Any) -> None:
    """A real touch drag: Chromium's touch events, from which it makes pointer events."""
    session = page.context.new_cdp_session(page)
    (x0, y0), (x1, y1) = centre(start), centre(end)
    session.send(
        "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]}
    )
    for step in range(1, 9):
        x, y = x0 + (x1 - x0) * step / 8, y0 + (y1 - y0) * step / 8
        session.send(
            "Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]}
        )
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    session.detach()


def mouse_drag(page: Any, start: Any, end: Any) -> None:
    (x0, y0), (x1, y1) = centre(start), centre(end)
    page.mouse.move(x0, y0)
    page.mouse.down()
    page.mouse.move(x1, y1, steps=6)
    page.mouse.up()


def open_grid(page: Any, url: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    page.get_by_text("None of these times work?").click()
    expect(page.get_by_role("grid", name="Times you could do")).to_be_visible()


# --- A phone: a finger and a mouse ------------------------------------------------------------


def test_on_a_phone_the_candidate_paints_with_a_finger_and_a_mouse_and_sends(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    company, token = ready("phone")
    page = open_page(browser, PHONE, touch=True)
    open_grid(page, f"{live_server.url}/s/{token}")

    # Then four days show at a time, from today in Tokyo, with New York's working hours
    # shaded where they fall (the night and early morning in Tokyo)
    grid = page.get_by_role("grid", name="Times you could do")
    expect(grid.locator("thead th[abbr]")).to_have_count(4)
    expect(grid.locator("td.free").first).to_be_visible()
    expect(page.get_by_text("No times chosen yet.", exact=True)).to_be_visible()
    shot(page, "phone-1-empty")
    assert_accessible(page, "phone empty")

    # When they drag a finger down tomorrow from 09:00 to 10:30
    tomorrow, later = tokyo_day(1), tokyo_day(2)
    first, last = cell(page, tomorrow, "09:00"), cell(page, tomorrow, "10:30")
    first.scroll_into_view_if_needed()
    finger_drag(page, first, last)
    # And drag the mouse across the day after from 13:00 to 14:30
    second_first, second_last = cell(page, later, "13:00"), cell(page, later, "14:30")
    mouse_drag(page, second_first, second_last)

    # Then the painted half hours are chosen and listed in words, in Tokyo time
    expect(first).to_have_attribute("aria-selected", "true")
    expect(cell(page, tomorrow, "11:00")).to_have_attribute("aria-selected", "false")
    listed = page.locator(".ag-list li .ag-when")
    expect(listed).to_have_text(
        [
            f"{tomorrow:%a} {tomorrow.day} {tomorrow:%b}, 09:00–11:00",
            f"{later:%a} {later.day} {later:%b}, 13:00–15:00",
        ]
    )
    expect(page.locator("#ag-status")).to_contain_text("Times chosen: 2.")
    first.scroll_into_view_if_needed()
    shot(page, "phone-2-painted")
    assert_accessible(page, "phone painted")

    # When they tap a chosen half hour, it is cleared; tapping it again chooses it again
    page.touchscreen.tap(*centre(last))
    expect(last).to_have_attribute("aria-selected", "false")
    page.touchscreen.tap(*centre(last))
    expect(last).to_have_attribute("aria-selected", "true")

    # When they add a note and send
    page.get_by_label("Anything we should know? (optional)").fill("Mornings are best.")
    page.get_by_role("button", name="Send my availability").click()

    # Then they are thanked, with the times they sent
    heading = page.get_by_role("heading", name="Thank you, we have your availability")
    expect(heading).to_be_focused()
    expect(page.locator(".ag-done li")).to_have_count(2)
    shot(page, "phone-4-sent")
    assert_accessible(page, "phone sent")

    # And what is stored is exactly what was painted
    assert stored(company) == [
        (tokyo(tomorrow, "09:00"), tokyo(tomorrow, "11:00")),
        (tokyo(later, "13:00"), tokyo(later, "15:00")),
    ]
    availability = CandidateAvailability.objects.get()
    assert availability.note == "Mornings are best."
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


# --- A desktop: the keyboard alone --------------------------------------------------------------


def test_at_a_desk_the_candidate_paints_and_sends_with_the_keyboard_alone(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    company, token = ready("keys")
    page = open_page(browser, DESKTOP)
    page.goto(f"{live_server.url}/s/{token}")
    expect(page.locator("button.time").first).to_be_visible()

    def tab_to(check: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(check):
                return
        raise AssertionError(f"Tab never reached {check}")

    # Given they open "None of these times work?" from the keyboard
    tab_to("() => document.activeElement.tagName === 'SUMMARY'")
    page.keyboard.press("Enter")
    grid = page.get_by_role("grid", name="Times you could do")
    expect(grid).to_be_visible()
    expect(grid.locator("thead th[abbr]")).to_have_count(7)
    shot(page, "desktop-1-empty")
    assert_accessible(page, "desktop empty")

    # When they tab into the grid (09:00 today), move to tomorrow and choose 09:00, then
    # carry it on with Shift and the down arrow to 10:00
    tab_to("() => document.activeElement.getAttribute('role') === 'gridcell'")
    today, tomorrow, later = tokyo_day(0), tokyo_day(1), tokyo_day(3)
    expect(page.locator(":focus")).to_have_attribute(
        "aria-label", re.compile("^" + re.escape(cell_label(today, "09:00")))
    )
    page.keyboard.press("ArrowRight")
    expect(page.locator(":focus")).to_have_attribute(
        "aria-label", re.compile("^" + re.escape(cell_label(tomorrow, "09:00")))
    )
    page.keyboard.press("Space")
    page.keyboard.press("Shift+ArrowDown")
    page.keyboard.press("Shift+ArrowDown")
    expect(cell(page, tomorrow, "10:00")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#ag-status")).to_contain_text("Times chosen: 1.")

    # And type a row below the grid: day, from, to (a date input takes a key press per part)
    tab_to("() => document.activeElement.id === 'window-day-1'")
    # Chromium's date and time inputs follow its own (en-US) locale: mm dd yyyy, 12-hour
    page.keyboard.type(f"{later:%m%d%Y}")
    tab_to("() => document.activeElement.id === 'window-from-1'")
    page.keyboard.type("0600PM")
    tab_to("() => document.activeElement.id === 'window-to-1'")
    page.keyboard.type("0830PM")
    # Then the painted and the typed times are listed together
    expect(page.locator(".ag-list li .ag-when")).to_have_text(
        [
            f"{tomorrow:%a} {tomorrow.day} {tomorrow:%b}, 09:00–10:30",
            f"{later:%a} {later.day} {later:%b}, 18:00–20:30",
        ]
    )
    shot(page, "desktop-2-painted")
    assert_accessible(page, "desktop painted")

    # When they type a note and send, all from the keyboard
    tab_to("() => document.activeElement.name === 'note'")
    page.keyboard.type("Any evening works too.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    # Then they are thanked, and the stored windows are the ones chosen, in Tokyo time
    expect(page.get_by_role("heading", name="Thank you, we have your availability")).to_be_focused()
    shot(page, "desktop-4-sent")
    assert_accessible(page, "desktop sent")
    assert stored(company) == [
        (tokyo(tomorrow, "09:00"), tokyo(tomorrow, "10:30")),
        (tokyo(later, "18:00"), tokyo(later, "20:30")),
    ]
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


# --- The server says no --------------------------------------------------------------------------


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_refusal_from_the_server_is_shown_beside_the_grid(
    browser: Any, live_server: Any, size: dict[str, int]
) -> None:
    """A phone whose clock is a day slow offers yesterday's evening; the server refuses it
    (times must be in the future) and the candidate reads why."""
    from playwright.sync_api import expect

    company, token = ready(f"late{size['width']}")
    page = open_page(browser, size, touch=size is PHONE)
    slow = datetime.now(TOKYO) - timedelta(days=1)
    page.clock.set_fixed_time(slow.replace(hour=8, minute=0))
    open_grid(page, f"{live_server.url}/s/{token}")
    yesterday = slow.date()
    half_hour = cell(page, yesterday, "20:00")
    half_hour.scroll_into_view_if_needed()
    half_hour.click()
    expect(half_hour).to_have_attribute("aria-selected", "true")
    page.get_by_role("button", name="Send my availability").click()
    error = page.get_by_role("alert")
    expect(error).to_have_text("Each time must be in the future.")
    expect(error).to_be_focused()
    name = "desktop" if size is DESKTOP else "phone"
    shot(page, f"{name}-3-error")
    assert_accessible(page, f"{name} error")
    assert not CandidateAvailability.objects.filter(
        request__application=company.application
    ).exists()
    page.context.close()


def test_too_many_windows_are_refused_before_sending(browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    company, token = ready("many")
    page = open_page(browser, DESKTOP)
    open_grid(page, f"{live_server.url}/s/{token}")
    # Given 51 separate half hours: every other half hour of next week's first three days
    page.get_by_role("button", name="Next days").click()
    grid = page.get_by_role("grid", name="Times you could do")
    picks = [(day, row) for day in range(3) for row in range(0, 48, 2)][:51]
    for day, row in picks:
        grid.locator(f'td[data-day="{day}"][data-row="{row}"]').click()
    expect(page.locator(".ag-list li")).to_have_count(51)
    # When they send, the page says why not and sends nothing
    page.get_by_role("button", name="Send my availability").click()
    expect(page.get_by_role("alert")).to_have_text(
        "That is 51 separate times; please send at most 50. Join some of them together."
    )
    assert not CandidateAvailability.objects.filter(
        request__application=company.application
    ).exists()
    page.context.close()


# --- Right to left ------------------------------------------------------------------------------


def test_in_arabic_the_grid_runs_right_to_left_and_the_arrows_follow(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    _company, token = ready("rtl")
    page = open_page(browser, PHONE, touch=True)
    page.goto(f"{live_server.url}/s/{token}?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("#none-work summary").click()
    grid = page.locator("table.ag-grid")
    expect(grid).to_be_visible()
    # The first day is at the right, the next to its left
    today_head, next_head = (
        grid.locator("thead th[abbr]").nth(0),
        grid.locator("thead th[abbr]").nth(1),
    )
    assert today_head.bounding_box()["x"] > next_head.bounding_box()["x"]
    # The left arrow moves to the next day (leftwards), Space chooses it
    start = grid.locator('td[data-day="0"][data-row="40"]')
    start.focus()
    page.keyboard.press("ArrowLeft")
    expect(grid.locator('td[data-day="1"][data-row="40"]')).to_be_focused()
    page.keyboard.press("Space")
    expect(grid.locator('td[data-day="1"][data-row="40"]')).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.locator(".ag-list li")).to_have_count(1)
    shot(page, "phone-rtl-painted")
    assert_accessible(page, "arabic painted")
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


# --- An availability request, and the limits -----------------------------------------------------


def test_an_availability_request_opens_on_the_grid_with_what_was_shared_before(
    browser: Any, live_server: Any
) -> None:
    """A request that asks for availability offers no times; its grid still shades where the
    interviewer is likely free, and after sending the page reopens with those times painted."""
    from playwright.sync_api import expect

    company = company_build("ask")
    company.template.ask_availability = True
    company.template.save()
    token = company.send().link.rsplit("/", 1)[1]
    page = open_page(browser, DESKTOP)
    page.goto(f"{live_server.url}/s/{token}")
    expect(page.locator("#booker")).to_have_count(0)
    grid = page.get_by_role("grid", name="Times you could do")
    expect(grid).to_be_visible()
    expect(grid.locator("td.free").first).to_be_attached()
    # When they drag the mouse over three days at 19:00-20:00 (one window a day)
    days = [tokyo_day(1), tokyo_day(2), tokyo_day(3)]
    cell(page, days[0], "19:00").scroll_into_view_if_needed()
    mouse_drag(page, cell(page, days[0], "19:00"), cell(page, days[2], "19:30"))
    expect(page.locator(".ag-list li")).to_have_count(3)
    page.get_by_role("button", name="Send my availability").click()
    expect(page.get_by_role("heading", name="Thank you, we have your availability")).to_be_focused()
    assert stored(company) == [(tokyo(day, "19:00"), tokyo(day, "20:00")) for day in days]

    # When they come back, the grid shows those times painted
    page.reload()
    expect(cell(page, days[1], "19:30")).to_have_attribute("aria-selected", "true")
    expect(page.locator(".ag-list li")).to_have_count(3)
    page.get_by_role("grid", name="Times you could do").scroll_into_view_if_needed()
    shot(page, "desktop-ask-shared-before")
    assert_accessible(page, "availability request, shared before")
    page.context.close()


def test_a_window_longer_than_a_day_is_refused_before_sending(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    company, token = ready("long")
    page = open_page(browser, DESKTOP)
    open_grid(page, f"{live_server.url}/s/{token}")
    # Two whole days in a row, painted from the first half hour to the last
    first, second = tokyo_day(1), tokyo_day(2)
    start, end = cell(page, first, "00:00"), cell(page, second, "23:30")
    start.scroll_into_view_if_needed()
    page.mouse.move(*centre(start))
    page.mouse.down()
    page.mouse.move(*centre(cell(page, second, "12:00")), steps=4)
    end.scroll_into_view_if_needed()
    page.mouse.move(*centre(end), steps=4)
    page.mouse.up()
    expect(page.locator(".ag-list li")).to_have_count(1)
    page.get_by_role("button", name="Send my availability").click()
    expect(page.get_by_role("alert")).to_contain_text("is longer than 24 hours")
    assert not CandidateAvailability.objects.filter(
        request__application=company.application
    ).exists()
    page.context.close()


@pytest.mark.parametrize("kind", ["pool", "loop"])
def test_pool_and_loop_bookers_offer_the_grid_too(
    browser: Any, live_server: Any, kind: str
) -> None:
    """Every booker has "none of these times work": a pool's and a loop's are shaded from
    their own offer and store what was painted."""
    from playwright.sync_api import expect

    company = company_build(f"grid{kind}")
    if kind == "pool":
        pool_company_build(company, ["Ann Lee", "Bo Chen"])
        template = company.template
    else:
        template = loop_company_build(company).template
    sent = scheduling_request_send(
        application=company.application, template=template, sender=company.recruiter
    )
    page = open_page(browser, PHONE, touch=True)
    open_grid(page, f"{live_server.url}/s/{sent.link.rsplit('/', 1)[1]}")
    expect(page.locator("table.ag-grid td.free").first).to_be_attached()
    day = tokyo_day(2)
    first, last = cell(page, day, "08:00"), cell(page, day, "09:30")
    first.scroll_into_view_if_needed()
    finger_drag(page, first, last)
    page.get_by_role("button", name="Send my availability").click()
    expect(page.get_by_role("heading", name="Thank you, we have your availability")).to_be_focused()
    assert stored(company) == [(tokyo(day, "08:00"), tokyo(day, "10:00"))]
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


def test_the_grid_follows_the_zone_chosen_in_the_booker(browser: Any, live_server: Any) -> None:
    """A candidate whose laptop says Tokyo but who will be in London paints in London time."""
    from playwright.sync_api import expect

    company, token = ready("zonefollow")
    page = open_page(browser, DESKTOP)
    page.goto(f"{live_server.url}/s/{token}")
    zone_input = page.get_by_role("combobox", name="Time zone")
    zone_input.click()
    zone_input.fill("London")
    expect(page.get_by_role("option", name=re.compile("London, United Kingdom"))).to_be_visible()
    page.keyboard.press("Enter")
    page.get_by_text("None of these times work?").click()
    expect(page.locator(".ag-zone")).to_contain_text("(London)")
    london = ZoneInfo("Europe/London")
    day = (datetime.now(london) + timedelta(days=2)).date()
    start = cell(page, day, "14:00")
    start.scroll_into_view_if_needed()
    mouse_drag(page, start, cell(page, day, "15:30"))
    page.get_by_role("button", name="Send my availability").click()
    expect(page.get_by_role("heading", name="Thank you, we have your availability")).to_be_focused()
    request = SchedulingRequest.objects.get(application=company.application)
    availability = CandidateAvailability.objects.get(request=request)
    assert availability.time_zone == "Europe/London"
    assert [(w.start, w.end) for w in availability.windows.all()] == [
        (
            datetime.combine(day, time(14), tzinfo=london),
            datetime.combine(day, time(16), tzinfo=london),
        )
    ]
    page.context.close()


def test_a_time_shared_at_a_quarter_past_comes_back_as_it_was(
    browser: Any, live_server: Any
) -> None:
    """A window typed in the plain form at 09:15 is not on the grid's half hours: it comes
    back in a row, listed as it was, and sending again keeps it exactly."""
    from playwright.sync_api import expect

    from hireslot.scheduling.services.availability import candidate_availability_submit

    company, token = ready("quarter")
    day = tokyo_day(2)
    shared = (tokyo(day, "09:15"), tokyo(day, "10:45"))
    painted = (tokyo(day, "13:00"), tokyo(day, "14:00"))
    candidate_availability_submit(
        request=SchedulingRequest.objects.get(application=company.application),
        time_zone="Asia/Tokyo",
        windows=[shared, painted],
    )
    page = open_page(browser, DESKTOP)
    page.goto(f"{live_server.url}/s/{token}")
    expect(page.locator("#window-from-1")).to_have_value("09:15")
    expect(page.locator("#window-to-1")).to_have_value("10:45")
    expect(cell(page, day, "13:30")).to_have_attribute("aria-selected", "true")
    expect(page.locator(".ag-list li .ag-when")).to_have_text(
        [f"{day:%a} {day.day} {day:%b}, 09:15–10:45", f"{day:%a} {day.day} {day:%b}, 13:00–14:00"]
    )
    page.get_by_role("button", name="Update my availability").click()
    expect(page.get_by_role("heading", name="Thank you, we have your availability")).to_be_focused()
    assert stored(company) == [shared, painted]
    page.context.close()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_typed_time_shows_on_the_grid_and_is_sent_once(
    browser: Any, live_server: Any, size: dict[str, int]
) -> None:
    """The grid and the list never disagree: a row typed with the keyboard paints its half
    hours, removing it from the list clears both, and painting next to it joins the two."""
    from playwright.sync_api import expect

    company, token = ready(f"typed-{size['width']}")
    page = open_page(browser, size)
    open_grid(page, f"{live_server.url}/s/{token}")
    day = tokyo_day(3)
    listed = page.locator(".ag-list li .ag-when")

    def type_row() -> None:
        # Chromium's date and time inputs follow its own (en-US) locale: mm dd yyyy, 12-hour
        page.locator("#window-day-1").focus()
        page.keyboard.type(f"{day:%m%d%Y}")
        page.locator("#window-from-1").focus()
        page.keyboard.type("0600PM")
        page.locator("#window-to-1").focus()
        page.keyboard.type("0830PM")

    # When they type Tue 18:00-20:30 in the first row (still in the row)
    type_row()
    # Then its half hours are painted on the grid, as the list says
    for clock in ("18:00", "19:30", "20:00"):
        expect(cell(page, day, clock)).to_have_attribute("aria-selected", "true")
    for clock in ("17:30", "20:30"):
        expect(cell(page, day, clock)).to_have_attribute("aria-selected", "false")
    expect(listed).to_have_text([f"{day:%a} {day.day} {day:%b}, 18:00–20:30"])

    # When they remove it from the list, it leaves the grid and the row too
    page.get_by_role("button", name=re.compile("^Remove ")).click()
    expect(cell(page, day, "18:00")).to_have_attribute("aria-selected", "false")
    expect(page.locator("#window-from-1")).to_have_value("")
    expect(page.get_by_text("No times chosen yet.", exact=True)).to_be_visible()

    # When they type it again and leave the row
    type_row()
    # (Tab steps through the time input's parts before it leaves it)
    for _ in range(4):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id !== 'window-to-1'"):
            break
    # Then the row becomes painted cells: one time, on the grid and in the list
    expect(page.locator("#window-day-1")).to_have_value("")
    expect(cell(page, day, "20:00")).to_have_attribute("aria-selected", "true")
    expect(listed).to_have_text([f"{day:%a} {day.day} {day:%b}, 18:00–20:30"])
    cell(page, day, "19:00").evaluate("td => td.scrollIntoView({block: 'center'})")
    shot(page, f"typed-{size['width']}-1-on-grid")
    assert_accessible(page, f"{size['width']} typed")

    # When they paint the half hour just after it, the two join into one time
    cell(page, day, "20:30").click()
    expect(listed).to_have_text([f"{day:%a} {day.day} {day:%b}, 18:00–21:00"])
    shot(page, f"typed-{size['width']}-2-joined")
    assert_accessible(page, f"{size['width']} joined")

    # And sending stores exactly that one window
    page.get_by_role("button", name="Send my availability").click()
    expect(page.get_by_role("heading", name="Thank you, we have your availability")).to_be_focused()
    assert stored(company) == [(tokyo(day, "18:00"), tokyo(day, "21:00"))]
    assert page.problems == []  # type: ignore[attr-defined]
    page.context.close()


def test_with_auto_schedule_sending_shows_the_booked_interview(
    browser: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    from hireslot.core import clock
    from hireslot.scheduling.models import Interview
    from hireslot.scheduling.slots import request_slots

    company = company_build("autogrid")
    company.template.auto_schedule = True
    company.template.save()
    token = company.send().link.rsplit("/", 1)[1]
    request = SchedulingRequest.objects.get(application=company.application)
    now = clock.now()
    # An offered time in Tokyo's small hours (New York's afternoon), from tomorrow on
    slot = next(
        s.start_at
        for s in request_slots(request=request, start=now, end=now + timedelta(days=14), now=now)
        if s.start_at.astimezone(TOKYO).date() >= tokyo_day(1)
        and s.start_at.astimezone(TOKYO).hour < 5
    )
    local = slot.astimezone(TOKYO)
    page = open_page(browser, DESKTOP)
    open_grid(page, f"{live_server.url}/s/{token}")
    first = cell(page, local.date(), f"{local:%H:%M}")
    last = cell(page, local.date(), f"{local + timedelta(minutes=30):%H:%M}")
    first.scroll_into_view_if_needed()
    mouse_drag(page, first, last)
    page.get_by_role("button", name="Send my availability").click()
    expect(page.get_by_role("heading", name="You are booked")).to_be_visible()
    assert Interview.objects.get().start == slot
    page.context.close()
