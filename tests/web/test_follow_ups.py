"""Reminders, nudges and no-shows on the recruiter's pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.test import Client

from hireslot.scheduling.models import Interview, NoShow, Nudge
from hireslot.scheduling.services import interview_book
from tests.scheduling.conftest import Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def logged_in(company: Company, user: object = None) -> Client:
    client = Client()
    client.force_login(user or company.recruiter)  # type: ignore[arg-type]
    return client


def book(company: Company) -> Interview:
    request = company.send().request
    return interview_book(request=request, start=TUESDAY_10, candidate_time_zone="Europe/Paris")


def test_the_interview_page_shows_its_reminders_and_no_show_only_after_the_start(
    company: Company,
) -> None:
    interview = book(company)
    client = logged_in(company)
    page = f"/interviews/{interview.pk}/"

    html = client.get(page).content.decode()
    assert "Reminders" in html and html.count("Planned") == 2
    assert "Mark as a no-show" not in html

    with time_machine.travel(TUESDAY_10 + timedelta(minutes=5), tick=False):
        # The interviewer who was there marks it
        interviewer = logged_in(company, company.interviewer)
        assert "Mark as a no-show" in interviewer.get(page).content.decode()
        response = interviewer.post(
            f"{page}no-show/", {"who": "candidate", "note": "Waited 15 minutes"}, follow=True
        )

    html = response.content.decode()
    assert "Marked as a no-show" in html
    assert "The candidate did not come" in html and "Waited 15 minutes" in html
    assert NoShow.objects.get().marked_by == company.interviewer

    # And the job page counts it
    with time_machine.travel(TUESDAY_10 + timedelta(hours=1), tick=False):
        job_page = logged_in(company).get(f"/jobs/{company.application.job_id}/")
    assert "1 interview held · no-shows: 1 (1 by candidates)" in job_page.content.decode()


def test_a_recruiter_cancels_a_planned_nudge_from_the_timeline(company: Company) -> None:
    company.send()
    client = logged_in(company)
    page = f"/candidates/{company.candidate.pk}/"
    html = client.get(page).content.decode()
    assert "Nudge after 1 day" in html and "Nudge after 3 days" in html
    first = Nudge.objects.order_by("due_at").first()
    assert first is not None

    response = client.post(f"/nudges/{first.pk}/cancel/", follow=True)

    assert response.redirect_chain == [(page, 302)]
    assert "Nudge cancelled." in response.content.decode()
    first.refresh_from_db()
    assert first.state == "cancelled"
