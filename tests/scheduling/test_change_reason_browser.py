"""Issue 17: the candidate's reason for moving, in a real browser: the field above the picker
travels with the booker's confirm; a required one is marked and kept from being sent empty;
axe passes. (The no-script time list is tested over HTTP in test_candidate_reason.)"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hireslot.scheduling.models import RequestEvent, SchedulingRequest
from hireslot.scheduling.services import interview_book
from tests.browser import chromium_browser, screenshot

from .test_candidate_browser import PHONE, assert_accessible, changeable, open_page, ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from chromium_browser()


def booked_with_required_reason(slug: str) -> str:
    company, token = ready(slug)
    company.template.candidate_reason_required = True
    company.template.save()
    starts = changeable(company)
    request = SchedulingRequest.objects.get(application=company.application)
    interview_book(request=request, start=starts[0], candidate_time_zone="Europe/Berlin")
    return token


def test_a_required_reason_goes_with_the_bookers_move(browser: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    token = booked_with_required_reason("reason-js")
    phone = open_page(browser, size=PHONE)
    phone.goto(f"{live_server.url}/s/{token}?change=reschedule")
    expect(phone.get_by_label("Reason (required)")).to_be_visible()
    assert_accessible(phone, "reschedule step with a required reason, phone")
    screenshot(phone, "booker-reschedule-reason-phone")
    phone.context.close()
    page = open_page(browser)
    page.goto(f"{live_server.url}/s/{token}?change=reschedule")
    reason = page.get_by_label("Reason (required)")
    expect(reason).to_be_visible()
    assert_accessible(page, "reschedule step with a required reason")
    screenshot(page, "booker-reschedule-reason-desktop")

    page.locator("li:has(button.time.current) ~ li button.time").first.click()
    page.get_by_role("button", name="Move to this time").click()
    # The browser keeps an empty required field from being sent
    expect(page.get_by_role("heading", name="Pick a new time")).to_be_visible()
    assert not RequestEvent.objects.filter(kind=RequestEvent.Kind.RESCHEDULED).exists()

    reason.fill("A clash with my exam")
    page.locator("li:has(button.time.current) ~ li button.time").first.click()
    page.get_by_role("button", name="Move to this time").click()

    expect(page.get_by_role("heading", name="Your interview was moved")).to_be_visible()
    event = RequestEvent.objects.get(kind=RequestEvent.Kind.RESCHEDULED)
    assert (event.by_candidate, event.reason) == (True, "A clash with my exam")
    page.context.close()
