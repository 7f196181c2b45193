"""The loop sessions page in a real browser, on a laptop (1366x900) and a phone (390x844): a
recruiter reorders the sessions with the keyboard alone (Move up / Move down), hears where the
session went, saves, and the loop runs in that order. The page fits the screen and passes
axe-core before and after (issue 14)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.scheduling.loop_company import loop_company_build
from tests.web.test_workspace_browser import company_ready, log_in
from tests.web.test_workspace_daily_browser import fits_and_passes_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def legends(page: Any) -> list[str]:
    """Each session row's title and the interview chosen in it, top to bottom."""
    found: list[str] = page.evaluate(
        "() => Array.from(document.querySelectorAll('fieldset[data-session]')).map(f =>"
        " f.querySelector('legend').textContent + ': ' +"
        " (f.querySelector('select[name$=\"-interview_template\"]').selectedOptions[0] || {}).text)"
    )
    return found


def test_a_recruiter_reorders_the_sessions_with_the_keyboard(
    page: Any, live_server: Any, screen: str
) -> None:
    from playwright.sync_api import expect

    # Given a loop of Intro, Technical, Systems and Wrap-up, and its recruiter logged in
    company = company_ready(f"order{screen}")
    loop = loop_company_build(company)
    log_in(page, live_server, company)
    page.goto(f"{live_server.url}/templates/self-schedule/{loop.template.pk}/sessions/")
    expect(page.get_by_role("heading", name="Sessions of Onsite")).to_be_visible()
    # Each saved session reads as one line; its fields open with Change (a blank row adds one)
    rows = page.locator("fieldset[data-session]")
    expect(rows.nth(1).locator("summary")).to_contain_text(
        "Technical, 60 minutes with one of Engineering interviewers · then a 45-minute break"
    )
    expect(rows.nth(4).locator("summary")).to_have_text("Add a session")
    expect(rows.nth(4).locator("legend")).to_have_text("New session")
    expect(page.get_by_role("button", name="Move session 4 down")).to_be_disabled()
    expect(page.get_by_label("Interview").first).to_be_hidden()
    fits_and_passes_axe(page, f"loop-sessions-{screen}")
    rows.nth(0).locator("summary").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Interview").first).to_be_visible()
    # The typed positions give way to the buttons; the first can only go down
    for position in page.get_by_label("Position").all():
        expect(position).to_be_hidden()
    expect(page.get_by_role("button", name="Move session 1 up")).to_be_disabled()
    fits_and_passes_axe(page, f"loop-sessions-open-{screen}")

    # When they move Systems (session 3) up twice with the keyboard
    page.get_by_role("button", name="Move session 3 up").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Systems is now session 2")).to_be_attached()
    # The focus stays on the same session's button, now numbered 2
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="Systems is now session 1")).to_be_attached()
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')") == (
        "Move session 1 down"
    )
    assert legends(page)[:4] == [
        "Session 1: Systems",
        "Session 2: Intro",
        "Session 3: Technical",
        "Session 4: Wrap-up",
    ]
    fits_and_passes_axe(page, f"loop-sessions-moved-{screen}")
    page.get_by_role("button", name="Save the sessions").click()

    # Then the loop is saved in that order, and the page shows it so
    expect(page.get_by_role("status").filter(has_text="Saved the sessions")).to_be_visible()
    saved = [s.interview_template.name for s in loop.template.loop_sessions.all()]
    assert saved == ["Systems", "Intro", "Technical", "Wrap-up"]
    assert legends(page)[:4] == [
        "Session 1: Systems",
        "Session 2: Intro",
        "Session 3: Technical",
        "Session 4: Wrap-up",
    ]
