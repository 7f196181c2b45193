"""The Content-Security-Policy in a real browser: every main page works under it and the
browser reports no violation and no console error (no inline script or style slipped in, htmx
injects nothing and evaluates nothing)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from hireslot.accounts.models import User
from hireslot.recruiting.services import application_create, candidate_create
from tests.browser import axe_violations, chromium_page
from tests.web.test_workspace_browser import PASSWORD, company_ready, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright's init scripts are not subject to the page's policy: this one records what the
# policy refused, as the page itself would see it.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " blocked " + (event.blockedURI || "inline")
    + " at " + event.sourceFile + ":" + event.lineNumber);
});
"""


class Watch:
    """Everything the browser complained about, page by page."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[str] = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: {error}"))

    def _console(self, message: Any) -> None:
        source = message.location.get("url", "")
        if source.endswith("/favicon.ico"):
            return  # the browser's own guess; HireSlot has no icon
        if message.type in ("error", "warning"):
            self.problems.append(
                f"{self.page.url}: console {message.type}: {message.text} ({source})"
            )

    def collect(self) -> None:
        violations = self.page.evaluate("() => window.__violations || []")
        self.problems += [f"{self.page.url}: {v}" for v in violations]


@pytest.fixture
def page() -> Iterator[Any]:
    yield from chromium_page()


def test_the_main_pages_run_under_the_policy_without_a_violation(
    page: Any, live_server: Any, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.HIRESLOT_BASE_URL = live_server.url
    company = company_ready("csp")
    token = company.send().link.rsplit("/", 1)[1]
    watch = Watch(page)

    # The login page, then home with a request waiting (the "Copy link" script)
    page.goto(f"{live_server.url}/accounts/login/")
    headers = page.request.get(f"{live_server.url}/accounts/login/").headers
    assert "'unsafe-inline'" not in headers["content-security-policy"]
    assert "script-src 'self'" in headers["content-security-policy"]
    log_in(page, live_server, company)
    page.goto(f"{live_server.url}/?who=everyone")
    page.locator('summary[aria-label="More actions for Ada Okafor"]').click()  # the row's ⋯
    expect(page.get_by_role("button", name=re.compile("^Copy link"))).to_be_visible()
    assert not axe_violations(page)
    watch.collect()

    # The candidate page composes through htmx in its drawer (for someone not yet sent one)
    grace = candidate_create(
        organization=company.organization, first_name="Grace", email="grace@csp.example"
    )
    application_create(candidate=grace, job=company.application.job, actor=company.recruiter)
    page.goto(f"{live_server.url}/candidates/{grace.pk}/")
    page.locator("summary", has_text="More actions").click()
    page.get_by_role("link", name="Self-schedule").click()
    preview = page.get_by_role("region", name="How Grace will read it")
    expect(preview).to_contain_text("Hi Grace,")
    with page.expect_response(re.compile(r"/self-schedule/preview/")):
        page.get_by_label("Subject").fill("Hello {{ candidate.first_name }}")
    expect(preview).to_contain_text("Hello Grace")  # the live preview, through htmx
    watch.collect()

    # The job's pipeline: "Select all" ticks the stage's boxes (a static script now)
    page.goto(f"{live_server.url}/jobs/{company.application.job_id}/")
    select_all = page.locator("input[data-select-all]").first
    if select_all.count():
        select_all.check()
        expect(page.locator("input[data-stage]").first).to_be_checked()
    watch.collect()

    # The templates list and the email editor's live preview (htmx on input)
    page.goto(f"{live_server.url}/templates/")
    expect(page.get_by_role("heading", name="Templates", level=1)).to_be_visible()
    watch.collect()
    email = company.template.email_template
    page.goto(f"{live_server.url}/templates/email/{email.pk}/")
    with page.expect_response(re.compile(r"/templates/email/preview/")):
        page.get_by_label("Subject").fill("Hello {{ candidate.first_name }} from CSP")
    expect(page.locator("#email-preview")).to_contain_text("from CSP")
    watch.collect()

    # My Settings and the organization's settings (the accent swatch is a class now)
    page.goto(f"{live_server.url}/settings/")
    expect(page.get_by_role("heading", name="My Settings", exact=True)).to_be_visible()
    watch.collect()
    page.goto(f"{live_server.url}/settings/organization/")
    watch.collect()

    # The candidate's own page in a fresh browser context: the booker (embedded times, the
    # zone file, the calendar), booking and the confirmation
    candidate = page.context.browser.new_context(timezone_id="Europe/London")
    try:
        booking = candidate.new_page()
        candidate_watch = Watch(booking)
        booking.goto(f"{live_server.url}/s/{token}")
        booking.locator("button.time").first.click()
        booking.get_by_role("button", name="Confirm").click()
        expect(booking.get_by_role("heading", name="You are booked")).to_be_visible()
        candidate_watch.collect()
    finally:
        candidate.close()

    # The admin (Django's own templates and scripts)
    User.objects.filter(pk=company.recruiter.pk).update(is_staff=True, is_superuser=True)
    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name=re.compile("Site administration"))).to_be_visible()
    watch.collect()
    page.goto(f"{live_server.url}/admin/scheduling/schedulingrequest/")
    watch.collect()
    page.goto(f"{live_server.url}/admin/accounts/organization/{company.organization.pk}/change/")
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_visible()
    watch.collect()

    assert watch.problems + candidate_watch.problems == []
    assert PASSWORD  # the recruiter logged in with the factory's password
