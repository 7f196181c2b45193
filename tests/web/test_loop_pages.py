"""Recruiters see a booked loop as one thing: its agenda with each session's steps on every
session's page, one expandable item on Home and on the candidate's page; they swap a pool
seat from the session's page (decision 0025)."""

from __future__ import annotations

import re

import time_machine
from django.test import Client
from django.urls import reverse

from hireslot.scheduling.models import InterviewerBooking, InterviewLoop
from hireslot.scheduling.services import interview_book, scheduling_request_send
from tests.scheduling.conftest import Company
from tests.scheduling.loop_company import TUESDAY_10, loop_company_build


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def booked_loop(company: Company) -> InterviewLoop:
    loop = loop_company_build(company, engineers=("Ann Lee", "Bo Chen", "Cy Park"))
    request = scheduling_request_send(
        application=company.application, template=loop.template, sender=company.recruiter
    ).request
    interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")
    return InterviewLoop.objects.get()


def test_a_session_page_shows_the_loop_agenda_and_swaps_a_pool_seat(
    company: Company, client: Client
) -> None:
    loop = booked_loop(company)
    technical = loop.interviews.get(loop_position=1)
    drawn = technical.assignment[0]["name"]
    client.force_login(company.recruiter)

    page = client.get(reverse("web:interview-detail", args=[technical.pk])).content.decode()

    text = text_of(page)
    assert "Onsite: session 2 of 4" in text
    for name in ("Intro", "Technical", "Systems", "Wrap-up"):
        assert name in text
    assert "Nora Alvarez" in text and "Sam Wu" in text and drawn in text
    assert "Swap interviewer" in page
    # The session's own interviewers are those holding it, not everyone in the loop
    listed = re.search(r"<dt>Interviewers</dt><dd>(.*?)</dd>", page).group(1)
    assert listed == drawn

    other = next(name for name in ("Ann Lee", "Bo Chen", "Cy Park") if name != drawn)
    user_id = re.search(rf'<option value="([^"]+)">{other}</option>', page).group(1)
    swapped = client.post(reverse("web:interview-swap", args=[technical.pk]), {"user": user_id})

    assert swapped.status_code == 302
    holder = InterviewerBooking.objects.get(interview=technical, active=True).interviewer
    assert holder.full_name == other
    bad = client.post(reverse("web:interview-swap", args=[technical.pk]), {"user": "nobody"})
    assert bad.status_code == 302
    assert InterviewerBooking.objects.get(interview=technical, active=True).interviewer == holder


def test_home_and_the_candidate_page_show_the_loop_as_one_item(
    company: Company, client: Client, travel: time_machine.Coordinates
) -> None:
    loop = booked_loop(company)
    client.force_login(company.recruiter)

    home = client.get(reverse("web:home")).content.decode()
    candidate = client.get(
        reverse("web:candidate-detail", args=[company.candidate.pk])
    ).content.decode()

    for page in (home, candidate):
        # one summary for the loop, its sessions inside it
        assert text_of(page).count("(4 sessions)") == 1
        folded = re.search(r"<li class=\"loop-row\">(.*?)</li>\s*</ol>", page, re.S)
        assert folded is not None and "Onsite" in folded.group(1)
        for session in loop.interviews.all():
            link = reverse("web:interview-detail", args=[session.pk])
            assert page.count(link) == 1 and link in folded.group(1)


def test_the_template_pages_show_a_loop_and_its_sessions(company: Company, client: Client) -> None:
    loop = loop_company_build(company)
    client.force_login(company.recruiter)

    listing = text_of(client.get(reverse("web:template-list")).content.decode())
    form = client.get(reverse("web:self-schedule-template-edit", args=[loop.template.pk]))

    assert "A loop of 4 sessions" in listing
    text = text_of(form.content.decode())
    assert "Intro , 30 minutes with the job's hiring manager" in text
    assert "Technical , 60 minutes with one of Engineering interviewers" in text
    assert "then a 45-minute break" in text
    assert 'name="interviewers"' not in form.content.decode()


def _formset(rows: list[dict[str, object]], **loop: object) -> dict[str, object]:
    data: dict[str, object] = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "10",
        "loop_calendar": "per_session",
        "loop_conference": "shared",
        **loop,
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"form-{index}-{key}"] = value
    return data


def test_a_recruiter_turns_a_template_into_a_loop_on_its_sessions_page(
    company: Company, client: Client
) -> None:
    from hireslot.recruiting.models import InterviewTemplate
    from hireslot.scheduling.services import pool_create, pool_member_add

    pool = pool_create(organization=company.organization, name="Backend")
    pool_member_add(pool=pool, user=company.recruiter)
    intro = InterviewTemplate.objects.create(
        organization=company.organization, name="Intro", duration_minutes=30
    )
    deep = InterviewTemplate.objects.create(
        organization=company.organization, name="Deep dive", duration_minutes=60
    )
    template = company.template
    client.force_login(company.recruiter)
    url = reverse("web:self-schedule-template-sessions", args=[template.pk])
    assert (
        "Make this template a loop"
        in client.get(
            reverse("web:self-schedule-template-edit", args=[template.pk])
        ).content.decode()
    )
    assert client.get(url).status_code == 200

    # A session with nobody in it is refused with the reason, nothing saved
    refused = client.post(
        url, _formset([{"interview_template": intro.pk, "gap_after_minutes": "0"}])
    )
    assert refused.status_code == 400
    assert "has nobody in it" in refused.content.decode()
    template.refresh_from_db()
    assert template.loop_sessions_count == 0

    saved = client.post(
        url,
        _formset(
            [
                {
                    "interview_template": intro.pk,
                    "include_hiring_manager": "on",
                    "gap_after_minutes": "15",
                },
                {"interview_template": deep.pk, "pools": pool.pk, "gap_after_minutes": "0"},
                {"interview_template": "", "gap_after_minutes": "0"},
            ]
        ),
    )

    assert saved.status_code == 302
    template.refresh_from_db()
    assert template.loop_sessions_count == 2 and template.loop_calendar == "per_session"
    first, second = template.loop_sessions.all()
    assert (first.interview_template, first.include_hiring_manager, first.gap_after_minutes) == (
        intro,
        True,
        15,
    )
    assert [seat.pool for seat in second.pool_seats.all()] == [pool]
    page = text_of(client.get(url).content.decode())
    assert "Session 1" in page and "Session 2" in page


def test_the_sessions_page_saves_the_sessions_in_their_positions(
    company: Company, client: Client
) -> None:
    # Given a loop of four sessions: Intro, Technical, Systems, Wrap-up
    loop = loop_company_build(company)
    client.force_login(company.recruiter)
    url = reverse("web:self-schedule-template-sessions", args=[loop.template.pk])
    page = client.get(url).content.decode()
    assert page.count('name="form-0-ORDER" value="1"') == 1
    assert 'name="form-3-ORDER" value="4"' in page and 'name="form-4-ORDER"' in page
    sessions = list(loop.template.loop_sessions.all())
    rows = [
        {
            "interview_template": session.interview_template_id,
            "include_hiring_manager": "on" if session.include_hiring_manager else "",
            "interviewers": [user.pk for user in session.interviewers.all()],
            "pools": [seat.pool_id for seat in session.pool_seats.all()],
            "gap_after_minutes": str(session.gap_after_minutes),
            "ORDER": str(position),
        }
        for position, session in enumerate(sessions, start=1)
    ]

    # When the recruiter moves Systems first, removes the Wrap-up and leaves the blank row
    rows[2]["ORDER"], rows[0]["ORDER"], rows[1]["ORDER"] = "1", "2", "3"
    rows[3]["DELETE"] = "on"
    rows.append({"interview_template": "", "gap_after_minutes": "0", "ORDER": ""})
    data = _formset(rows)
    data["form-INITIAL_FORMS"] = "4"
    saved = client.post(url, data)

    # Then the loop runs Systems, Intro, Technical, keeping each session's own settings
    assert saved.status_code == 302
    kept = list(loop.template.loop_sessions.all())
    assert [s.interview_template.name for s in kept] == ["Systems", "Intro", "Technical"]
    assert [s.gap_after_minutes for s in kept] == [0, 0, 45]
    assert [user.pk for user in kept[0].interviewers.all()] == [loop.sam.pk]
    assert [seat.pool for seat in kept[2].pool_seats.all()] == [loop.pool]
    loop.template.refresh_from_db()
    assert loop.template.loop_sessions_count == 3
    assert "Session 3" in text_of(client.get(url).content.decode())
