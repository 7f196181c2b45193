"""The home page and the candidate page as a recruiter uses them every day: what waits for the
candidate, what is coming up, what needs a hand, in a number of queries that does not grow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hireslot.recruiting.services import application_create, candidate_create
from hireslot.scheduling.models import Effect, SchedulingRequest
from hireslot.scheduling.services import interview_book, scheduling_request_send
from tests.scheduling.conftest import Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def logged_in(company: Company) -> Client:
    client = Client()
    client.force_login(company.recruiter)
    return client


def more_candidates(company: Company, count: int) -> list[SchedulingRequest]:
    requests = []
    for index in range(count):
        candidate = candidate_create(
            organization=company.organization,
            first_name=f"Person{index}",
            email=f"person{index}@example.com",
        )
        application = application_create(
            candidate=candidate, job=company.application.job, actor=company.recruiter
        )
        requests.append(
            scheduling_request_send(
                application=application, template=company.template, sender=company.recruiter
            ).request
        )
    return requests


def test_pending_requests_show_with_their_ages_and_actions(company: Company) -> None:
    company.send()

    html = logged_in(company).get("/").content.decode()

    assert "Ada Okafor" in html
    assert "Manager Interview" in html
    assert "Pending" in html
    assert "not yet" in html  # not opened
    for action in ("Resend", "Copy link", "Cancel"):
        assert action in html


def test_mine_shows_only_what_i_sent_and_everyone_shows_all(company: Company) -> None:
    scheduling_request_send(
        application=company.application, template=company.template, sender=company.interviewer
    )
    client = logged_in(company)

    assert "Ada Okafor" not in client.get("/?who=mine").content.decode()
    assert "Ada Okafor" in client.get("/?who=everyone").content.decode()


def test_an_expired_request_stays_until_dismissed_and_can_be_resent(company: Company) -> None:
    request = company.send().request

    with time_machine.travel(request.expires_at + timedelta(hours=1), tick=False):
        client = logged_in(company)  # days later: a session from before would have ended
        html = client.get("/").content.decode()
        assert "Expired" in html
        client.post(f"/requests/{request.pk}/resend/", {"next": "/"})
        request.refresh_from_db()
        assert request.expires_at > request.updated_at
        assert "Pending" in client.get("/").content.decode()

    with time_machine.travel(request.expires_at + timedelta(hours=1), tick=False):
        client.post(f"/requests/{request.pk}/dismiss/", {"next": "/"})
        assert "Ada Okafor" not in client.get("/").content.decode()


def test_a_waiting_request_cannot_be_dismissed(company: Company) -> None:
    request = company.send().request

    response = logged_in(company).post(f"/requests/{request.pk}/dismiss/", follow=True)

    assert "Only expired, cancelled or failed requests" in response.content.decode()
    request.refresh_from_db()
    assert request.dismissed_at is None


def test_upcoming_interviews_show_their_steps(company: Company) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    client = logged_in(company)

    assert "6 steps in progress" in client.get("/").content.decode()

    Effect.objects.filter(interview=interview).update(state="done")
    Effect.objects.filter(interview=interview, kind="task").update(state="failed")
    html = client.get("/").content.decode()
    assert "1 step failed" in html
    assert "Later this week" in html
    assert "Tue 3 Mar, 10:00" in html  # New York, Riley's zone


def _interview_starts() -> list[datetime]:
    """Free hours of the New York interviewer, Tuesday to Friday (09:00-17:00 EST)."""
    return [
        datetime(2026, 3, day, hour, 0, tzinfo=UTC)
        for day in (3, 4, 5, 6)
        for hour in range(14, 22)
    ]


def test_the_home_page_queries_do_not_grow_with_the_rows(company: Company) -> None:
    client = logged_in(company)
    starts = iter(_interview_starts())

    def queries_with(rows: int) -> int:
        requests = more_candidates(company, rows)
        for request in requests[: rows // 2]:
            interview_book(request=request, start=next(starts), candidate_time_zone="UTC")
        with CaptureQueriesContext(connection) as context:
            html = client.get("/?who=everyone").content.decode()
        assert html.count("<tr>") > rows // 2
        return len(context.captured_queries)

    assert queries_with(5) == queries_with(45)


def test_the_candidate_page_queries_do_not_grow_with_the_rows(company: Company) -> None:
    from hireslot.recruiting.services import job_create

    client = logged_in(company)
    url = f"/candidates/{company.candidate.pk}/"
    starts = iter(_interview_starts())

    def queries_with(rows: int) -> int:
        for index in range(rows):
            job = job_create(
                organization=company.organization,
                title=f"Job {rows}-{index}",
                hiring_manager=company.interviewer,
            )
            application = application_create(
                candidate=company.candidate, job=job, actor=company.recruiter
            )
            request = scheduling_request_send(
                application=application, template=company.template, sender=company.recruiter
            ).request
            if index % 2:
                interview_book(request=request, start=next(starts), candidate_time_zone="UTC")
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    assert queries_with(5) == queries_with(25)


def test_copy_link_is_offered_only_while_the_link_works_and_times_read_as_people_say_them(
    company: Company,
) -> None:
    """Given one request just sent and one cancelled, Home offers Copy link and Cancel only
    for the waiting one, says "just now" rather than "0 minutes ago", and the cancelled one
    has one action: Dismiss."""
    waiting = company.send().request
    other = candidate_create(
        organization=company.organization, first_name="Bo", last_name="Lind", email="bo@x.example"
    )
    cancelled = scheduling_request_send(
        application=application_create(
            candidate=other, job=company.application.job, actor=company.recruiter
        ),
        template=company.template,
        sender=company.recruiter,
    ).request
    client = logged_in(company)
    client.post(f"/requests/{cancelled.pk}/cancel/", {"confirmed": "1", "next": "/"})

    html = client.get("/").content.decode()

    assert html.count('class="copy-link"') == 1
    assert html.count("Cancel request…") == 1
    assert f"/requests/{waiting.pk}/cancel/" in html
    assert f"/requests/{cancelled.pk}/cancel/" not in html
    assert f"/requests/{cancelled.pk}/dismiss/" in html
    assert "just now" in html
    assert "0 minutes" not in html
    assert 'aria-current="page">Mine</a>' in html


def test_a_dismissal_can_be_undone_from_home(company: Company) -> None:
    request = company.send().request
    client = logged_in(company)
    client.post(f"/requests/{request.pk}/cancel/", {"confirmed": "1"})

    dismissed = client.post(f"/requests/{request.pk}/dismiss/", {"next": "/?who=mine"})
    assert dismissed["Location"] == f"/?who=mine&dismissed={request.pk}"
    page = client.get(dismissed["Location"]).content.decode()
    assert "Dismissed Ada Okafor's Manager Interview request." in page
    assert f"/requests/{request.pk}/undismiss/" in page

    client.post(f"/requests/{request.pk}/undismiss/", {"next": "/"})
    request.refresh_from_db()
    assert request.dismissed_at is None
    assert f"/requests/{request.pk}/dismiss/" in client.get("/").content.decode()
