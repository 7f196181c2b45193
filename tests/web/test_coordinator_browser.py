"""Coordinator scheduling and shared availability in a real browser, on a laptop (1366x900)
and a phone (390x844): the recruiter schedules Ada directly from her page with the calendar
picker; a second candidate's shared availability is booked from Home with one confirmed
click; a third's, which nothing fits, says why. Every page fits the screen and passes
axe-core (issue 16).

The live server is not time-travelled: the interviewer is free at any hour (company_ready)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from hireslot.core import clock
from hireslot.recruiting.services import application_create, candidate_create
from hireslot.scheduling.models import Interview, SchedulingRequest
from hireslot.scheduling.services import scheduling_request_send
from hireslot.scheduling.services.availability import candidate_availability_submit
from tests.scheduling.conftest import Company
from tests.web.test_workspace_browser import company_ready, log_in
from tests.web.test_workspace_daily_browser import fits_and_passes_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def candidate_sharing(company: Company, first: str, hours_from_now: tuple[int, int]) -> None:
    """Another candidate for the job, sent the template, who shared one window."""
    candidate = candidate_create(
        organization=company.organization,
        first_name=first,
        last_name="Tanaka",
        email=f"{first.lower()}@{company.organization.slug}.example",
    )
    application = application_create(
        candidate=candidate, job=company.application.job, actor=company.recruiter
    )
    request = scheduling_request_send(
        application=application, template=company.template, sender=company.recruiter
    ).request
    # On the hour, so the window holds the same half-hourly starts whatever minute it runs.
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    start, end = hours_from_now
    candidate_availability_submit(
        request=request,
        time_zone="Asia/Tokyo",
        windows=[(now + timedelta(hours=start), now + timedelta(hours=end))],
    )


def test_a_recruiter_schedules_directly_and_books_shared_availability(
    page: Any, live_server: Any, screen: str
) -> None:
    from playwright.sync_api import expect

    company = company_ready(f"coord{screen}")
    candidate_sharing(company, "Yui", (3, 6))
    # Past the interviewer's booking horizon: nothing can fit.
    candidate_sharing(company, "Ren", (24 * 80, 24 * 80 + 2))
    log_in(page, live_server, company)

    # Given Ada's page, when the recruiter opens More actions → Schedule directly
    page.goto(f"{live_server.url}/candidates/{company.candidate.pk}/")
    page.locator("summary", has_text="More actions").click()
    page.get_by_role("link", name="Schedule directly").click()
    expect(
        page.get_by_role("heading", name="Schedule Ada Okafor for Robotics Engineer")
    ).to_be_visible()
    times = page.get_by_role("region", name="Times the candidate would be offered")

    # and picks a time in the calendar picker (the first: late in the UTC evening the open
    # day has only one)
    times.locator("button.time").first.click()
    fits_and_passes_axe(page, f"coordinator-picker-{screen}")
    times.get_by_role("button", name="Schedule this time").click()

    # Then the interview is booked, no link sent, and its page says so
    expect(
        page.get_by_role("status").filter(has_text="Scheduled Manager Interview")
    ).to_contain_text("Scheduled Manager Interview for Ada Okafor")
    ada = SchedulingRequest.objects.get(application=company.application)
    assert ada.status == "scheduled" and ada.email_id is None
    assert Interview.objects.filter(request=ada, status="scheduled").count() == 1

    # Given Yui shared her availability, her page shows the times that fit, earliest first
    yui = SchedulingRequest.objects.get(application__candidate__first_name="Yui")
    page.goto(f"{live_server.url}/candidates/{yui.application.candidate_id}/")
    review = page.get_by_role("region", name="Availability received: Manager Interview")
    expect(review).to_contain_text("Times that fit everyone")
    expect(review.get_by_role("button", name="Book")).to_have_count(5)  # the first five
    review.scroll_into_view_if_needed()
    fits_and_passes_axe(page, f"candidate-availability-{screen}")

    # and Home offers the earliest one
    page.goto(f"{live_server.url}/")
    shared = page.get_by_role("region", name="Availability received")
    expect(shared).to_contain_text("Yui Tanaka")
    expect(shared).to_contain_text("No time fits their windows.")  # Ren's
    fits_and_passes_axe(page, f"home-availability-{screen}")

    # When the recruiter clicks Book, confirms in the dialog, it is booked
    shared.get_by_role("button", name="Book").first.click()
    dialog = page.get_by_role("dialog", name="Are you sure?")
    expect(dialog).to_contain_text("Book Manager Interview for Yui Tanaka")
    fits_and_passes_axe(page, f"home-book-confirm-{screen}")
    dialog.get_by_role("button", name="Book it").click()
    expect(page.get_by_role("status").filter(has_text="Booked")).to_contain_text(
        "Booked Manager Interview for Yui Tanaka"
    )
    yui.refresh_from_db()
    assert yui.status == "scheduled"

    # And Ren's review says why nothing fits
    ren = SchedulingRequest.objects.get(application__candidate__first_name="Ren")
    page.goto(f"{live_server.url}/requests/{ren.pk}/availability/")
    expect(page.get_by_text("No time fits everyone inside the candidate")).to_be_visible()
    expect(
        page.get_by_text("It is after the last day the interviewers can be booked.")
    ).to_be_visible()
    fits_and_passes_axe(page, f"availability-no-fit-{screen}")
