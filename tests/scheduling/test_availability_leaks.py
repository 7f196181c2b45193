"""What shared availability lets leak: the no-fit explanation names who is busy but never
what their calendar event is called, and the candidate's side (their page, the endpoint's
answer) says nothing of why the interviewers cannot make their times."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.test import Client

from hireslot.calendars.services import calendar_event_create
from hireslot.scheduling.models import SchedulingRequest
from hireslot.scheduling.services.availability import candidate_availability_submit
from tests.web.test_availability_review import FITS, TOO_EARLY, logged_in, shared

from .conftest import Company

SECRET_TITLE = "Chemo appointment — Dr Patel"
SECRET_DESCRIPTION = "Confidential: board acquisition talks"


def test_the_no_fit_explanation_says_busy_but_not_what_the_event_is(company: Company) -> None:
    # Given Nora's private event over the candidate's only window
    start, end = FITS
    calendar_event_create(
        owner=company.interviewer,
        title=SECRET_TITLE,
        description=SECRET_DESCRIPTION,
        location="Clinic",
        start=start,
        end=end,
    )
    request = shared(company, FITS)

    # When the recruiter reads why nothing fits
    page = logged_in(company).get(f"/requests/{request.pk}/availability/").content.decode()
    candidate_page = logged_in(company).get(f"/candidates/{company.candidate.pk}/")

    # Then Nora is named as busy, and the event's title, notes and place are not shown
    assert "Nora Alvarez is busy" in page
    for text in (page, candidate_page.content.decode()):
        assert "Chemo" not in text
        assert "Dr Patel" not in text
        assert "acquisition" not in text
        assert "Clinic" not in text


def test_the_candidate_learns_nothing_of_why_their_times_do_not_fit(
    company: Company, client: Client
) -> None:
    # Given an availability request whose candidate shares a time before Nora's day
    company.template.ask_availability = True
    company.template.save()
    sent = company.send()
    token = sent.link.rsplit("/", 1)[1]
    tokyo = ZoneInfo("Asia/Tokyo")
    calendar_event_create(
        owner=company.interviewer,
        title=SECRET_TITLE,
        start=datetime(2026, 3, 4, 0, tzinfo=tokyo),
        end=datetime(2026, 3, 4, 2, tzinfo=tokyo),
    )
    start, end = TOO_EARLY

    # When they send it, and then open their link again
    answer = client.post(
        f"/s/{token}/availability",
        {
            "time_zone": "Asia/Tokyo",
            "windows": [{"start": start.isoformat(), "end": end.isoformat()}],
        },
        content_type="application/json",
    )
    page = client.get(f"/s/{token}").content.decode()

    # Then the answer and the page say only that the team will confirm: no blockers, no
    # interviewers' hours, no event
    assert answer.json() == {"status": "availability_received"}
    assert SchedulingRequest.objects.get().status == "availability_received"
    for word in ("is busy", "working hours", "Chemo", "outside", "weekly", "daily limit"):
        assert word not in page, word


def test_the_candidates_note_is_shown_as_text_not_markup(company: Company) -> None:
    # Given a candidate whose note carries a script
    request = company.send().request
    candidate_availability_submit(
        request=request,
        time_zone="Asia/Tokyo",
        windows=[FITS],
        note='<script>alert("x")</script><img src=x onerror=alert(1)>',
    )

    # When the recruiter opens the review and the candidate page
    client = logged_in(company)
    pages = [
        client.get(f"/requests/{request.pk}/availability/").content.decode(),
        client.get(f"/candidates/{company.candidate.pk}/").content.decode(),
    ]

    # Then the note is escaped wherever it is shown
    for page in pages:
        assert '<script>alert("x")' not in page
        assert "<img src=x" not in page
    assert any("&lt;script&gt;" in page for page in pages)
