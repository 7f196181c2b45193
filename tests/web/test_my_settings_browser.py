"""My Settings in a real browser, on a laptop and a phone: a person switches days on, picks
hours with time pickers, adds an interval, types durations with units, saves, then makes a
mistake and is taken to the error summary, which links to the field."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hireslot.accounts.models import AvailabilitySettings, Role
from tests.browser import axe_violations, chromium_page, screenshot
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[(1366, 900), (390, 844)], ids=["laptop", "phone"])
def page(request: pytest.FixtureRequest) -> Iterator[Any]:
    for page in chromium_page():
        width, height = request.param
        page.set_viewport_size({"width": width, "height": height})
        yield page


def test_an_interviewer_sets_hours_sees_the_preview_and_fixes_a_mistake(
    page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    size = page.viewport_size["width"]
    membership = MembershipFactory(organization=OrganizationFactory(), role=Role.INTERVIEWER)

    # Given an interviewer who logs in and opens My Settings
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(membership.user.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome")).to_be_visible()
    page.goto(f"{live_server.url}/settings/")
    expect(page.get_by_role("heading", name="My Settings", exact=True)).to_be_visible()

    # When they set their zone, switch the weekdays on with split hours, and a day of notice
    page.get_by_label("Your time zone").select_option("Asia/Kolkata")
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday"):
        page.get_by_label(day, exact=True).check()
        page.get_by_label(f"{day} from").first.fill("10:00")
        page.get_by_label(f"{day} until").first.fill("13:00")
        page.get_by_role("button", name=f"Add an interval on {day}").click()
        page.get_by_label(f"{day} from").nth(1).fill("14:00")
        page.get_by_label(f"{day} until").nth(1).fill("18:00")
    page.get_by_label("Minimum notice", exact=True).fill("1")
    page.get_by_label("Unit for minimum notice").select_option("days")
    screenshot(page, f"my-settings-rows-{size}")
    assert not axe_violations(page)
    page.get_by_role("button", name="Save availability").click()

    # Then it is saved and the preview lists bookable times
    expect(page.get_by_role("status")).to_contain_text("Your availability is saved.")
    preview = page.get_by_role("complementary")
    expect(preview).to_contain_text("shown in Asia/Kolkata")
    saved = AvailabilitySettings.objects.get(user=membership.user)
    assert saved.time_zone == "Asia/Kolkata"
    assert saved.weekly_hours["fri"] == [["10:00", "13:00"], ["14:00", "18:00"]]
    assert "sat" not in saved.weekly_hours
    assert saved.minimum_notice_minutes == 1440
    expect(page.get_by_label("Unit for minimum notice")).to_have_value("days")

    # When they give Saturday hours that end before they start and an impossible horizon
    page.get_by_label("Saturday", exact=True).check()
    page.get_by_label("Saturday from").fill("18:00")
    page.get_by_label("Saturday until").fill("09:00")
    page.get_by_label("How far ahead candidates may book (days)").fill("0")
    page.get_by_role("button", name="Save availability").click()

    # Then the error summary at the top has focus and links to each field
    summary = page.get_by_role("alert").filter(has_text="Nothing was saved")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("2 problems to fix")
    screenshot(page, f"my-settings-errors-{size}")
    assert not axe_violations(page)
    summary.get_by_role("link", name="How far ahead").click()
    expect(page.get_by_label("How far ahead candidates may book (days)")).to_be_focused()
    expect(page.locator("#id_hours_sat_error")).to_contain_text("ends before it starts")
    assert "sat" not in AvailabilitySettings.objects.get(user=membership.user).weekly_hours
