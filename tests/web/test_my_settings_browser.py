"""My Settings in a real browser: a person finds fields by their labels, saves, corrects."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hireslot.accounts.models import AvailabilitySettings, Role
from tests.browser import chromium_page
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page() -> Iterator[Any]:
    yield from chromium_page()


def test_an_interviewer_sets_hours_sees_the_preview_and_fixes_a_mistake(
    page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    membership = MembershipFactory(organization=OrganizationFactory(), role=Role.INTERVIEWER)
    email = membership.user.email

    # Given an interviewer who logs in
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()

    # When they open Settings and set their zone and weekday hours
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="My Settings", exact=True)).to_be_visible()
    page.get_by_label("Your time zone").select_option("Asia/Kolkata")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(day).fill("10:00-13:00, 14:00-18:00")
    page.get_by_label("Minimum notice (minutes)").fill("60")
    page.get_by_role("button", name="Save availability").click()

    # Then it is saved and the preview lists bookable times
    expect(page.get_by_role("status")).to_contain_text("Your availability is saved.")
    preview = page.get_by_role("complementary")
    expect(preview).to_contain_text("shown in Asia/Kolkata")
    expect(preview.locator("time").first).to_be_visible()
    saved = AvailabilitySettings.objects.get(user=membership.user)
    assert saved.time_zone == "Asia/Kolkata"
    assert saved.weekly_hours["fri"] == [["10:00", "13:00"], ["14:00", "18:00"]]

    # When they type hours that end before they start
    page.get_by_label("Saturday").fill("18:00-09:00")
    page.get_by_role("button", name="Save availability").click()

    # Then the message is announced next to that field and nothing is saved
    saturday = page.get_by_label("Saturday")
    expect(saturday).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_hours_sat_error")).to_have_text(
        "18:00-09:00 ends before it starts. "
        "For hours past midnight, end this day at 24:00 and continue the next day."
    )
    expect(page.get_by_role("alert").first).to_contain_text("Nothing was saved")
    assert "sat" not in AvailabilitySettings.objects.get(user=membership.user).weekly_hours
