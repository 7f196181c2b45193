"""Availability requests on the recruiter's pages (issue 16): the template options, and the
statuses on Home and the candidate page."""

from __future__ import annotations

from datetime import UTC, datetime

from django.test import Client

from hireslot.scheduling.models import SelfScheduleTemplate
from hireslot.scheduling.services.availability import candidate_availability_submit
from tests.scheduling.conftest import Company
from tests.web.test_template_views import self_schedule_data


def logged_in(company: Company) -> Client:
    client = Client()
    client.force_login(company.recruiter)
    return client


def test_a_template_can_ask_for_availability_and_auto_schedule(company: Company) -> None:
    page = logged_in(company).get("/templates/self-schedule/new/").content.decode()
    assert "Ask for availability instead of offering times" in page

    response = logged_in(company).post(
        "/templates/self-schedule/new/",
        self_schedule_data(company, ask_availability="on", auto_schedule="on"),
    )

    assert response.status_code == 302, response.content.decode()
    saved = SelfScheduleTemplate.objects.get(name="Panel Interview")
    assert saved.ask_availability and saved.auto_schedule


def test_home_and_the_candidate_page_show_availability_statuses_with_their_actions(
    company: Company,
) -> None:
    company.template.ask_availability = True
    company.template.save()
    request = company.send().request

    html = logged_in(company).get("/").content.decode()
    assert "Availability requested" in html
    for action in ("Resend", "Copy link", "Cancel"):
        assert action in html

    candidate_availability_submit(
        request=request,
        time_zone="UTC",
        windows=[(datetime(2026, 3, 3, 14, tzinfo=UTC), datetime(2026, 3, 3, 16, tzinfo=UTC))],
    )
    home = logged_in(company).get("/").content.decode()
    detail = logged_in(company).get(f"/candidates/{company.candidate.pk}/").content.decode()

    assert "Availability received" in home
    assert "Copy link" in home
    assert "Availability received" in detail
    assert "Availability requested." in detail  # the timeline's first event
    assert "1 time in UTC" in detail
    assert "Cancel request" in detail
