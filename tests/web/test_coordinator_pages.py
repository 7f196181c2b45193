"""Coordinator scheduling from the candidate page: choose a template, see the candidate's
times in the recruiter's zone, pick one and book it; bad input says why (issue 16)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.test import Client

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from hireslot.scheduling.models import Interview, RequestEvent, SchedulingRequest
from hireslot.scheduling.services import interview_book
from tests.scheduling.conftest import Company, person
from tests.scheduling.loop_company import loop_company_build

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def logged_in(company: Company) -> Client:
    client = Client()
    client.force_login(company.recruiter)
    return client


def test_the_candidate_page_offers_scheduling_directly(company: Company) -> None:
    page = logged_in(company).get(f"/candidates/{company.candidate.pk}/").content.decode()
    assert f'href="/applications/{company.application.pk}/schedule/"' in page
    assert "Schedule directly" in page


def test_a_recruiter_picks_a_time_and_the_interview_is_booked_without_a_link(
    company: Company,
) -> None:
    client = logged_in(company)
    url = f"/applications/{company.application.pk}/schedule/"

    page = client.get(url).content.decode()
    # The times in the recruiter's zone (New York): Tuesday 10:00 is offered.
    assert "Times the candidate would be offered" in page
    assert 'value="2026-03-03T15:00:00Z"' in page and "10:00 – 10:45" in page
    assert "{#" not in page and "comment" not in page, "the partials' notes stay notes"
    assert not SchedulingRequest.objects.exists(), "looking writes nothing"

    response = client.post(
        f"{url}book/",
        {
            "template": str(company.template.pk),
            "start": "2026-03-03T15:00:00Z",
            "candidate_time_zone": "Asia/Tokyo",
        },
        follow=True,
    )

    interview = Interview.objects.get()
    assert response.redirect_chain == [(f"/interviews/{interview.pk}/", 302)]
    html = response.content.decode()
    assert "Scheduled Manager Interview for Ada Okafor" in html
    assert interview.candidate_time_zone == "Asia/Tokyo"
    timeline = client.get(f"/candidates/{company.candidate.pk}/").content.decode()
    assert "Scheduled directly by Riley Chen; no link was sent." in timeline
    assert RequestEvent.objects.get(kind="scheduled").actor == company.recruiter


def test_a_taken_time_is_a_409_on_the_same_page_and_nothing_is_written(
    company: Company,
) -> None:
    interview_book(request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC")
    client = logged_in(company)

    response = client.post(
        f"/applications/{company.application.pk}/schedule/book/",
        {"template": str(company.template.pk), "start": "2026-03-03T15:00:00Z"},
    )

    assert response.status_code == 409
    assert "was just taken" in response.content.decode()
    assert "Times the candidate would be offered" in response.content.decode()
    assert SchedulingRequest.objects.count() == 1


def test_bad_input_is_a_400_that_says_why(company: Company) -> None:
    client = logged_in(company)
    url = f"/applications/{company.application.pk}/schedule/book/"
    template = str(company.template.pk)

    no_time = client.post(url, {"template": template})
    bad_time = client.post(url, {"template": template, "start": "tomorrow"})
    off_grid = client.post(url, {"template": template, "start": "2026-03-03T15:07:00Z"})
    no_template = client.post(url, {"start": "2026-03-03T15:00:00Z"})
    bad_zone = client.post(
        url, {"template": template, "start": "2026-03-03T15:00:00Z", "candidate_time_zone": "Mars"}
    )

    assert [r.status_code for r in (no_time, bad_time, off_grid, no_template, bad_zone)] == [
        400
    ] * 5
    assert "Choose a time" in no_time.content.decode()
    assert "not one of the offered times" in off_grid.content.decode()
    assert "Choose a self-schedule template" in no_template.content.decode()
    assert "Mars is not a known time zone" in bad_zone.content.decode()
    assert not SchedulingRequest.objects.exists()


def test_a_loop_shows_its_times_and_the_picker_reads_more_of_them(company: Company) -> None:
    loop = loop_company_build(company)
    client = logged_in(company)
    url = f"/applications/{company.application.pk}/schedule/"

    page = client.get(url, {"template": str(loop.template.pk)}).content.decode()
    slots = f"{url}{loop.template.pk}/slots/"
    assert f'"slotsUrl": "{slots}"' in page
    more = client.get(slots, {"tz": "UTC", "from": "2026-03-04", "to": "2026-03-04"}).json()
    bad = client.get(slots, {"tz": "Mars/Base"})
    unknown = client.get(f"{url}{company.template.pk}0/slots/", {"tz": "UTC"})

    assert "Onsite (loop of 4 sessions)" in page and 'id="booker-data"' in page
    assert {"start": "2026-03-04T15:00:00Z", "end": "2026-03-04T18:15:00Z"} in more["slots"]
    assert bad.status_code == 400 and unknown.status_code == 404
    assert not SchedulingRequest.objects.exists()


def test_why_no_time_can_be_offered_is_shown(company: Company) -> None:
    idle = person("idle@acme.example", "Ida Idle", "America/New_York", weekly_hours={})
    membership_add(user=idle, organization=company.organization, role=Role.INTERVIEWER)
    company.template.interviewers.set([idle])

    page = logged_in(company).get(f"/applications/{company.application.pk}/schedule/")

    assert "Ida Idle has no working hours" in page.content.decode()


def test_an_interviewer_cannot_schedule_for_the_candidate(company: Company) -> None:
    client = Client()
    client.force_login(company.interviewer)
    url = f"/applications/{company.application.pk}/schedule/"
    assert client.get(url).status_code == 403
    assert client.post(f"{url}book/", {"start": "2026-03-03T15:00:00Z"}).status_code == 403
    assert not SchedulingRequest.objects.exists()
