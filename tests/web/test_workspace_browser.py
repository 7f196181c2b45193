"""The recruiter's workspace in a real browser, the way a recruiter uses it: log in, send a
self-scheduling request from a candidate's page, the candidate books with the keyboard in
their own browser, the home page shows the interview; bulk-send to a whole stage and watch
the progress; reschedule an interview.

The live server is not time-travelled, so everything is built relative to the real clock:
the interviewer works every day around the clock (UTC) with no minimum notice, so there are
always free times."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.db import connection

from hireslot.core import clock
from hireslot.recruiting.services import application_create, candidate_create
from hireslot.scheduling.models import Interview, SchedulingRequest
from hireslot.scheduling.services import interview_book
from hireslot.scheduling.slots import request_slots
from tests.browser import axe_violations, chromium_page, screenshot
from tests.scheduling.conftest import Company, company_build, run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"
EVERY_DAY = {day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
ROOT = Path(django_settings.BASE_DIR)  # where manage.py is


@pytest.fixture
def page() -> Iterator[Any]:
    yield from chromium_page()


@pytest.fixture
def links_here(settings: Any, live_server: Any) -> None:
    """Links in emails and on pages point at the live server, as they point at the site."""
    settings.HIRESLOT_BASE_URL = live_server.url


def zone_mid_week(now: datetime) -> str:
    """A zone in which this week has hours left, so an interview in the next hour is on the
    home page's "this week" list whatever day the tests run (it ends on Sunday at midnight)."""
    for name in ("UTC", "America/Los_Angeles"):
        local = now.astimezone(ZoneInfo(name))
        if not (local.weekday() == 6 and local.hour >= 18):
            return name
    raise AssertionError("unreachable: Los Angeles is 7-8 hours behind UTC")


def company_ready(slug: str) -> Company:
    """company_build's world, with an interviewer who is free at any hour and a recruiter
    whose zone keeps "this week" open."""
    company = company_build(slug)
    rules = company.interviewer.availability
    rules.time_zone, rules.weekly_hours, rules.minimum_notice_minutes = "UTC", EVERY_DAY, 0
    rules.save()
    mine = company.recruiter.availability
    mine.time_zone = zone_mid_week(clock.now())
    mine.save()
    return company


def log_in(page: Any, live_server: Any, company: Company) -> None:
    from playwright.sync_api import expect

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(company.recruiter.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Welcome, Riley")).to_be_visible()


def main_menu(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def focused(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return {tag: e.tagName, type: e.type || '', value: e.value || '',"
            " text: (e.textContent || '').trim(), checked: String(!!e.checked),"
            " role: e.getAttribute('role') || '', ms: (e.dataset && e.dataset.ms) || ''}; }"
        )
    )


def tab_until(page: Any, found: Any, limit: int = 40) -> dict[str, str]:
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if found(element):
            return element
    raise AssertionError(f"Tab never reached the element; focus is on {focused(page)}")


def test_a_recruiter_sends_a_request_the_candidate_books_by_keyboard_and_home_shows_it(
    page: Any, live_server: Any, links_here: None
) -> None:
    from playwright.sync_api import expect

    company = company_ready("desk")

    # Given a recruiter who logs in and opens a candidate from Candidates
    log_in(page, live_server, company)
    main_menu(page, "Candidates")
    expect(page.get_by_role("heading", name="Candidates")).to_be_visible()
    page.get_by_role("link", name="Ada Okafor").click()
    expect(page.get_by_role("heading", name="Ada Okafor", level=1)).to_be_visible()

    # When they open More actions → Self-schedule, the drawer shows the email as Ada reads it
    page.locator("summary", has_text="More actions").click()
    page.get_by_role("link", name="Self-schedule").click()
    drawer = page.get_by_role("dialog", name="Self-schedule Ada Okafor")
    expect(drawer).to_be_visible()
    template = drawer.get_by_label("Template")
    expect(template.get_by_role("option", name="Manager Interview", selected=True)).to_be_attached()
    preview = drawer.get_by_role("region", name="How Ada will read it")
    expect(preview).to_contain_text("Pick a time for your Manager Interview with Acme desk")
    expect(preview).to_contain_text("Hi Ada,")
    expect(preview).to_contain_text("Robotics Engineer")
    expect(preview).to_contain_text("(the candidate's personal link, created when you send)")
    expect(drawer.get_by_text("Ada Okafor <ada@desk.example>")).to_be_visible()
    expect(drawer.get_by_role("alert")).to_have_count(0)
    screenshot(page, f"compose-drawer-{page.viewport_size['width']}")
    assert not axe_violations(page)

    # and as they edit, the preview follows (a merge field typed wrong is explained before
    # sending; a chip inserts a right one)
    body = drawer.get_by_label("Message")
    body.press("Control+End")
    body.press_sequentially("\nSee you soon, {{ candidate.nmae }}")
    expect(drawer.get_by_role("alert")).to_contain_text("Unknown merge field")
    body.press("Control+End")
    for _ in range(len("{{ candidate.nmae }}")):
        body.press("Backspace")
    drawer.get_by_text("Insert a merge field").click()
    drawer.get_by_role("button", name=re.compile("^Insert candidate.first_name")).click()
    expect(preview).to_contain_text("See you soon, Ada")
    expect(drawer.get_by_role("alert")).to_have_count(0)

    # and send it
    drawer.get_by_role("button", name="Send Manager Interview").click()

    # Then the candidate page says it went and shows the request as pending
    expect(page.get_by_role("status").filter(has_text="Sent Manager Interview")).to_contain_text(
        "Sent Manager Interview to ada@desk.example."
    )
    expect(page.get_by_role("status").filter(has_text="Pending:")).to_contain_text(
        "Pending: Manager Interview for Robotics Engineer"
    )
    requests = page.get_by_role("region", name="Scheduling requests")
    row = requests.get_by_role("row").filter(has_text="Manager Interview")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell", name="Pending", exact=True)).to_be_visible()
    link = row.get_by_role("code").inner_text().strip()
    assert link.startswith(f"{live_server.url}/s/")

    # and the email HireSlot sent is on the timeline, with that same link in it
    emails = page.get_by_role("region", name="Emails sent")
    emails.get_by_text("Pick a time for your Manager Interview with Acme desk").click()
    expect(emails.get_by_text(link)).to_be_visible()

    # When the candidate opens the link in their own browser (nothing shared with the recruiter)
    candidate = page.context.browser.new_context(locale="en-GB", timezone_id="Europe/London")
    candidate.set_default_timeout(15_000)
    try:
        ada = candidate.new_page()
        ada.goto(link)
        expect(
            ada.get_by_role("heading", name="Pick a time for your Manager Interview")
        ).to_be_visible()
        expect(ada.get_by_role("combobox", name="Time zone")).to_have_value(re.compile("London"))
        expect(ada.locator("button.time").first).to_be_visible()

        # and books with the keyboard alone: Tab into the calendar (the first day with times is
        # chosen), Enter, Tab to its first time, Enter, then Enter on the confirm button
        element = tab_until(ada, lambda e: e["role"] == "gridcell")
        ada.keyboard.press("Enter")
        element = tab_until(ada, lambda e: e["ms"] != "")
        ada.keyboard.press("Enter")
        button = focused(ada)
        assert button["tag"] == "BUTTON" and button["text"] == "Confirm"
        ada.keyboard.press("Enter")

        # Then the candidate sees it booked
        expect(ada.get_by_role("heading", name="You are booked")).to_be_visible()
    finally:
        candidate.close()
    chosen = {"value": datetime.fromtimestamp(int(element["ms"]) / 1000, tz=UTC).isoformat()}
    interview = Interview.objects.get()
    assert interview.start == datetime.fromisoformat(chosen["value"])

    # When the worker carries out the booking's steps (calendar, invite, task, ...)
    run_worker()

    # Then the recruiter's home page shows the interview coming up, every step done,
    # and no request waiting any more
    main_menu(page, "Home")
    upcoming = page.get_by_role("region", name="Upcoming interviews")
    interview_link = page.get_by_role("link", name=re.compile("Manager Interview with Ada Okafor"))
    expect(upcoming.get_by_role("listitem").filter(has=interview_link)).to_have_count(1)
    zone = ZoneInfo(company.recruiter.availability.time_zone)
    local = interview.start.astimezone(zone)
    expect(interview_link).to_contain_text(f"{local:%a} {local.day} {local:%b}, {local:%H:%M}")
    expect(upcoming.get_by_role("listitem").filter(has=interview_link)).to_contain_text(
        "All steps done"
    )
    home_requests = page.get_by_role("region", name=re.compile("^Scheduling requests"))
    expect(home_requests).to_contain_text("No requests waiting.")
    expect(home_requests.get_by_role("row")).to_have_count(0)

    # and the candidate page shows the request scheduled, no longer pending
    main_menu(page, "Candidates")
    page.get_by_role("link", name="Ada Okafor").click()
    row = page.get_by_role("region", name="Scheduling requests").get_by_role("row")
    expect(row.filter(has_text="Manager Interview")).to_contain_text("Scheduled")
    expect(page.get_by_role("status").filter(has_text="Pending:")).to_have_count(0)
    expect(
        page.get_by_role("region", name="Interviews", exact=True).get_by_role(
            "link", name=re.compile(f"Manager Interview, {interview.start:%b %-d, %Y %H:%M} UTC")
        )
    ).to_be_visible()


def database_url() -> str:
    """The test database this process uses, as DATABASE_URL for a worker process."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(params['NAME']).resolve()}"
    assert connection.vendor == "postgresql", connection.vendor
    user = quote(params.get("USER") or "", safe="")
    password = quote(params.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = params.get("HOST") or "127.0.0.1"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(params['NAME'], safe='')}"


@pytest.fixture
def worker_process(tmp_path: Path) -> Iterator[Any]:
    """Starts `manage.py db_worker` (what `make run` runs) on this test's database, and stops
    it before the test's database is emptied."""
    started: list[subprocess.Popen[bytes]] = []
    log = tmp_path / "worker.log"

    def start() -> subprocess.Popen[bytes]:
        env = {**os.environ, "DATABASE_URL": database_url()}
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        with log.open("ab") as output:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--queue-name",
                    "*",
                    "--interval",
                    "0.2",
                    "--no-reload",  # the autoreloader would run the worker in a child process
                    "--no-startup-delay",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=output,
            )
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if log.exists():
            print(log.read_text(errors="replace"))  # shown by pytest when the test fails


def test_a_recruiter_bulk_sends_to_a_whole_stage_and_watches_it_complete(
    page: Any, live_server: Any, worker_process: Any
) -> None:
    from playwright.sync_api import expect

    company = company_ready("bulk")
    job = company.application.job
    stage = company.application.current_stage
    # Fifty candidates in the first stage: Ada (who already has a pending request), one
    # without an email address, and 48 others.
    company.send()
    application_create(
        candidate=candidate_create(
            organization=company.organization, first_name="Kai", last_name="Noemail"
        ),
        job=job,
        actor=company.recruiter,
    )
    for number in range(1, 49):
        application_create(
            candidate=candidate_create(
                organization=company.organization,
                first_name="Applicant",
                last_name=f"{number:02d}",
                email=f"applicant{number}@bulk.example",
            ),
            job=job,
            actor=company.recruiter,
        )
    assert stage.applications.count() == 50

    # Given the recruiter on the job's pipeline
    log_in(page, live_server, company)
    main_menu(page, "Jobs")
    page.get_by_role("link", name="Robotics Engineer").click()
    applied = page.get_by_role("region", name=re.compile(f"^{stage.name}"))
    expect(applied.get_by_role("heading", name=f"{stage.name} 50")).to_be_visible()

    # When they select everyone in the stage, the bulk bar appears; they choose the template
    bar = page.get_by_role("form", name="Send to the selected candidates")
    expect(bar).to_be_hidden()
    applied.get_by_label(f"Select all in {stage.name}").check()
    picks = applied.get_by_role("checkbox", name=re.compile("^Select (?!all)"))
    expect(picks).to_have_count(50)
    for index in (0, 17, 49):
        expect(picks.nth(index)).to_be_checked()
    expect(bar).to_contain_text("50 candidates selected")
    assert not axe_violations(page)
    screenshot(page, "pipeline-bulk-bar")
    bar.get_by_label("Template to send").select_option(label="Manager Interview")
    bar.get_by_role("button", name="Send to selected").click()

    # Then the progress page shows the send queued (no worker runs yet)
    expect(page.get_by_role("heading", name="Sending Manager Interview")).to_be_visible()
    expect(page.get_by_text("To 50 candidates, started by Riley Chen")).to_be_visible()
    progress = page.get_by_role("progressbar")
    expect(progress).to_have_accessible_name("Queued: 0 of 50")

    # When a worker runs, the page follows the progress by itself until everything is done
    worker_process()
    expect(progress).to_have_accessible_name("Done: 50 of 50", timeout=60_000)
    expect(progress).to_have_attribute("value", "50")
    status = page.get_by_role("status").filter(has=progress)
    expect(status).to_contain_text("100% · 48 sent · 2 skipped · 0 failed · finished")

    # and lists each candidate: 48 sent, two skipped with the reason
    results = page.get_by_role("table", name="Results")
    expect(results.get_by_role("row")).to_have_count(51)  # with the header row
    sent = results.get_by_role("row").filter(has=page.get_by_role("cell", name="Sent", exact=True))
    expect(sent).to_have_count(48)
    expect(results.get_by_role("row", name=re.compile("Applicant 07"))).to_contain_text("Sent")
    expect(results.get_by_role("row", name=re.compile("Ada Okafor"))).to_contain_text(
        "Skipped Ada Okafor already has a pending request for the Manager Interview."
    )
    expect(results.get_by_role("row", name=re.compile("Kai Noemail"))).to_contain_text(
        "Skipped Kai Noemail has no email address."
    )
    assert SchedulingRequest.objects.filter(bulk_send__isnull=False).count() == 48


def test_a_recruiter_reschedules_an_interview_from_its_page(
    page: Any, live_server: Any, links_here: None
) -> None:
    from playwright.sync_api import expect

    company = company_ready("move")
    sent = company.send()
    now = clock.now()
    slots = request_slots(request=sent.request, start=now, end=now + timedelta(days=1), now=now)
    interview = interview_book(
        request=sent.request, start=slots[1].start_at, candidate_time_zone="Europe/London"
    )
    zone = ZoneInfo(company.recruiter.availability.time_zone)

    tomorrow = (now.astimezone(zone) + timedelta(days=1)).date()
    # Given the recruiter on the interview's page, reached from the candidate
    log_in(page, live_server, company)
    main_menu(page, "Candidates")
    page.get_by_role("link", name="Ada Okafor").click()
    page.get_by_role("region", name="Interviews", exact=True).get_by_role(
        "link", name=re.compile("^Manager Interview, ")
    ).click()
    expect(page.get_by_role("heading", name="Manager Interview with Ada Okafor")).to_be_visible()
    old = interview.start.astimezone(zone)
    when = page.get_by_role("region", name="Scheduled", exact=True)
    expect(when).to_contain_text(f"{old:%A} {old.day} {old:%B %Y}, {old:%H:%M} \u2013")

    # When they open tomorrow in the calendar picker (today's current time is marked), pick
    # 10:00 (their own time) and move the interview there
    reschedule = page.get_by_role("region", name="Reschedule")
    expect(reschedule.locator("button.time.current")).to_contain_text("Current time")
    if tomorrow.month != old.month:  # on a month's last day, tomorrow is a page ahead
        reschedule.get_by_role("button", name="Next month").click()
    reschedule.locator(f'td[data-key="{tomorrow:%Y-%m-%d}"]').click()
    reschedule.locator("button.time").filter(has_text=re.compile("^10:00")).click()
    assert not axe_violations(page)
    screenshot(page, f"reschedule-picker-{page.viewport_size['width']}")
    reschedule.get_by_role("button", name="Move the interview").click()

    # Then the page says so and shows the new time
    expect(page.get_by_role("status").filter(has_text="Moved")).to_contain_text(
        "Moved; calendars and the candidate's invite are updated."
    )
    new = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 10, tzinfo=zone)
    end = new + (interview.end - interview.start)
    expect(when).to_contain_text(
        f"{new:%A} {new.day} {new:%B %Y}, 10:00 \u2013 {end:%H:%M} ({zone.key})"
    )
    moved = Interview.objects.get(status=Interview.Status.SCHEDULED)
    assert moved.start == new
    assert Interview.objects.filter(status=Interview.Status.SCHEDULED).count() == 1
