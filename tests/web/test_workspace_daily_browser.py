"""The recruiter's daily surfaces in a real browser, on a laptop (1366x900) and a phone
(390x844): compose with a live preview and send from the drawer, the pipeline's bulk bar,
complete a task by its checkbox, reschedule with the calendar picker, cancel an interview
through its confirmation, and every main page fits the screen and passes axe-core (WCAG 2.2
AA).

One journey per screen size keeps the browser time bounded. The live server is not
time-travelled: the interviewer is free at any hour (see company_ready)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from hireslot.core import clock
from hireslot.recruiting.models import Task
from hireslot.scheduling.models import Interview
from hireslot.scheduling.services import effect_run, interview_book
from hireslot.scheduling.slots import request_slots
from tests.browser import axe_violations, screenshot
from tests.web.test_workspace_browser import company_ready, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def links_here(settings: Any, live_server: Any) -> None:
    settings.HIRESLOT_BASE_URL = live_server.url


def fits_and_passes_axe(page: Any, name: str) -> None:
    """Nothing wider than the screen, and no WCAG 2.2 AA violation."""
    page.wait_for_load_state("load")  # the deferred scripts (tables as cards) have run
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    screenshot(page, name)
    wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('main *')).filter(e =>"
        " e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)"
        ".slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + (e.id || ''))"
    )
    assert overflow <= 0, f"{name}: {overflow}px wider than the screen: {wide}"
    assert not axe_violations(page), name


def open_main(page: Any, name: str) -> None:
    toggle = page.get_by_role("button", name="Menu")
    if toggle.is_visible():  # phones: the navigation is behind the menu button
        toggle.click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def test_a_recruiters_day_on_a_laptop_and_on_a_phone(
    page: Any, live_server: Any, links_here: None, screen: str
) -> None:
    from playwright.sync_api import expect

    company = company_ready(f"day{screen}")
    log_in(page, live_server, company)
    fits_and_passes_axe(page, f"home-{screen}")

    # Given the candidate page, when the recruiter opens More actions → Self-schedule
    open_main(page, "Candidates")
    fits_and_passes_axe(page, f"candidates-{screen}")
    page.get_by_role("link", name="Ada Okafor").click()
    page.locator("summary", has_text="More actions").click()
    page.get_by_role("link", name="Self-schedule").click()
    drawer = page.get_by_role("dialog", name="Self-schedule Ada Okafor")
    preview = drawer.get_by_role("region", name="How Ada will read it")
    expect(preview).to_contain_text("Hi Ada,")

    # and edits the subject, the preview follows as they type
    subject = drawer.get_by_label("Subject")
    subject.fill("")
    with page.expect_response(re.compile(r"/self-schedule/preview/")):
        subject.press_sequentially("Your interview, {{ candidate.first_name }}")
    expect(preview).to_contain_text("Subject: Your interview, Ada")
    fits_and_passes_axe(page, f"compose-{screen}")

    # and sends it
    drawer.get_by_role("button", name="Send Manager Interview").click()
    expect(page.get_by_role("status").filter(has_text="Sent Manager Interview")).to_be_visible()
    fits_and_passes_axe(page, f"candidate-{screen}")

    # When they tick Ada on the job's pipeline, the bulk bar appears with the count
    page.goto(f"{live_server.url}/jobs/{company.application.job_id}/")
    bar = page.get_by_role("form", name="Send to the selected candidates")
    expect(bar).to_be_hidden()
    expect(page.get_by_text("Request pending")).to_be_visible()  # Ada's card chip
    page.get_by_label("Select Ada Okafor").check()
    expect(bar).to_contain_text("1 candidate selected")
    fits_and_passes_axe(page, f"pipeline-bar-{screen}")
    bar.get_by_role("button", name="Clear").click()
    expect(bar).to_be_hidden()

    # Given Ada booked and the booking's task was made
    request = company.application.scheduling_requests.get()
    assert request.email.subject == "Your interview, Ada"
    now = clock.now()
    slots = request_slots(request=request, start=now, end=now + timedelta(days=2), now=now)
    interview = interview_book(request=request, start=slots[2].start_at, candidate_time_zone="UTC")
    for effect in interview.effects.filter(kind="task"):
        effect_run(effect_id=str(effect.pk))
    task = Task.objects.get(application=company.application)

    # When the recruiter ticks the task on Home, it is done (and can be unticked)
    open_main(page, "Home")
    box = page.get_by_role("checkbox", name=task.title)
    box.check()
    expect(page.get_by_role("status").filter(has_text="Done. Untick to undo.")).to_be_visible()
    task.refresh_from_db()
    assert task.done
    fits_and_passes_axe(page, f"home-task-done-{screen}")

    # When they move the interview with the calendar picker (its current time is marked)
    page.goto(f"{live_server.url}/interviews/{interview.pk}/")
    fits_and_passes_axe(page, f"interview-{screen}")
    reschedule = page.get_by_role("region", name="Reschedule")
    expect(reschedule.locator("button.time.current")).to_contain_text("Current time")
    reschedule.locator("button.time:not(.current)").last.click()
    fits_and_passes_axe(page, f"reschedule-picker-{screen}")
    reschedule.get_by_role("button", name="Move the interview").click()
    expect(page.get_by_role("status").filter(has_text="Moved")).to_be_visible()
    interview.refresh_from_db()
    assert interview.start != slots[2].start_at and interview.sequence == 1

    # When they cancel the interview from its page, a dialog says what will happen first
    page.get_by_label("Reason (the candidate sees it)").fill("The role is filled")
    page.get_by_role("button", name="Cancel the interview…").click()
    dialog = page.get_by_role("dialog", name="Are you sure?")
    expect(dialog).to_contain_text(re.compile(r"Cancel Ada Okafor's Manager Interview on \w{3} "))
    expect(dialog).to_contain_text("Ada will be emailed the cancellation")
    fits_and_passes_axe(page, f"cancel-confirm-{screen}")
    dialog.get_by_role("button", name="Keep it").click()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED
    page.get_by_role("button", name="Cancel the interview…").click()
    dialog.get_by_role("button", name="Cancel the interview").click()
    expect(page.get_by_role("status").filter(has_text="Cancelled")).to_be_visible()
    interview.refresh_from_db()
    assert interview.status == Interview.Status.CANCELLED
    expect(page.get_by_text("Join", exact=True)).to_have_count(0)

    # Every other main page fits the screen too
    for name, path in (
        ("tasks", "/tasks/?who=everyone"),
        ("jobs", "/jobs/"),
        ("job", f"/jobs/{company.application.job_id}/"),
        ("templates", "/templates/"),
        ("settings", "/settings/"),
        ("organization", "/settings/organization/"),
        ("notifications", "/notifications/"),
        ("email", f"/emails/{request.email.pk}/"),
        ("self-schedule-template", f"/templates/self-schedule/{company.template.pk}/"),
        ("email-template", f"/templates/email/{company.template.email_template_id}/"),
        ("candidate-edit", f"/candidates/{company.candidate.pk}/edit/"),
        ("coordinator", f"/applications/{company.application.pk}/schedule/"),
        ("availability-defaults", "/settings/organization/availability/"),
        ("pools", "/settings/pools/"),
        ("pool-load", "/settings/pools/load/"),
        ("connections", "/settings/connections/"),
        ("integrations", "/settings/integrations/"),
        ("webhooks", "/settings/webhooks/"),
        ("api-keys", "/settings/api-keys/"),
    ):
        page.goto(f"{live_server.url}{path}")
        fits_and_passes_axe(page, f"{name}-{screen}")
