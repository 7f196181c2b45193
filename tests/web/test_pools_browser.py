"""Pools in a real browser: an admin creates a pool, adds members and has a template draw from
it; a candidate books; the interview page shows who was drawn and why."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from hireslot.scheduling.models import Interview
from tests.browser import axe_violations, chromium_page
from tests.scheduling.conftest import company_build, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def async_unsafe_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API runs an event loop in this thread; the test's database calls
    # are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def page() -> Iterator[Any]:
    yield from chromium_page()


def test_an_admin_builds_a_pool_and_a_booking_says_who_was_drawn_and_why(
    page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    # On the real clock: the booker's script hides times its own clock says have passed.
    company = company_build("browserpool")
    membership_add(user=company.recruiter, organization=company.organization, role=Role.ADMIN)
    for name in ("Sam Okoro", "Lee Park"):
        first = name.split()[0].lower()
        user = person(f"{first}@browserpool.example", name, "America/New_York")
        membership_add(user=user, organization=company.organization, role=Role.INTERVIEWER)

    # Given an admin who logs in
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(company.recruiter.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    # When they create a pool and add two engineers
    page.goto(f"{live_server.url}/settings/pools/")
    page.get_by_label("Pool name").fill("Engineering interviewers")
    page.get_by_role("button", name="Create pool").click()
    expect(page.get_by_role("status")).to_contain_text("now add its members")
    for name in ("Sam Okoro", "Lee Park"):
        page.get_by_label("Person").select_option(label=name)
        page.get_by_role("button", name="Add member").click()
        expect(page.get_by_role("status")).to_contain_text(f"Added {name}")
    problems = [f"pool page: {p}" for p in axe_violations(page)]

    # And have the Manager Interview draw one of them besides the hiring manager
    page.goto(f"{live_server.url}/templates/")
    page.get_by_role("link", name="Manager Interview").first.click()
    page.get_by_label("Engineering interviewers").check()
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_role("status")).to_contain_text("Saved")

    # Then a candidate who books is given one engineer, and the interview page says why
    sent = company.send()
    token = sent.link.rsplit("/", 1)[1]
    candidate_page = page.context.new_page()
    candidate_page.goto(f"{live_server.url}/s/{token}")
    expect(candidate_page.get_by_text("one of our interviewers").first).to_be_visible()
    problems += [f"booker with a pool seat: {p}" for p in axe_violations(candidate_page)]
    candidate_page.locator("button.time").first.click()
    candidate_page.get_by_role("button", name="Confirm").click()
    expect(candidate_page.get_by_role("heading", name="You are booked")).to_be_visible()
    # After booking the candidate sees who they will meet, by name
    expect(candidate_page.get_by_text("one of our interviewers")).to_have_count(0)
    expect(candidate_page.get_by_text(re.compile("Lee Park|Sam Okoro")).first).to_be_visible()
    interview = Interview.objects.get()
    page.goto(f"{live_server.url}/interviews/{interview.pk}/")
    expect(page.get_by_text("From Engineering interviewers")).to_be_visible()
    expect(page.get_by_text("eligible: Lee Park, Sam Okoro")).to_be_visible()
    problems += [f"interview page: {p}" for p in axe_violations(page)]
    page.goto(f"{live_server.url}/settings/pools/load/")
    problems += [f"load report: {p}" for p in axe_violations(page)]
    assert problems == []
