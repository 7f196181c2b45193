"""A loop, end to end through HTTP and the worker: send the "Onsite" loop, open the link,
list loop times, book one, reschedule it, cancel it (decision 0025)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from icalendar import Calendar

from hireslot.calendars.models import CalendarEvent
from hireslot.core.tokens import link_token_derive
from hireslot.messaging.models import OutgoingEmail
from hireslot.recruiting.models import Task
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewerBooking,
    InterviewLoop,
    LoopCalendar,
    SchedulingRequest,
)
from tests.smtp import RecordingHandler, smtp_server

from .conftest import Company, run_worker
from .loop_company import TUESDAY_10, LoopCompany, agenda_at, loop_company_build

pytestmark = pytest.mark.django_db(transaction=True)

START = "2026-03-03T15:00:00Z"


@pytest.fixture
def smtp(settings: Any) -> Iterator[RecordingHandler]:
    yield from smtp_server(settings)


def send(loop: LoopCompany) -> tuple[SchedulingRequest, str]:
    from hireslot.scheduling.services import scheduling_request_send

    request = scheduling_request_send(
        application=loop.company.application, template=loop.template, sender=loop.company.recruiter
    ).request
    return request, f"/s/{link_token_derive(request.token_nonce)}"


def invite_events(address: str) -> list[tuple[str, Any]]:
    """Every calendar invite emailed to ``address``: (method, its one VEVENT), in order."""
    found = []
    for email in OutgoingEmail.objects.filter(to=address).order_by("created_at"):
        if not email.calendar_ics:
            continue
        calendar = Calendar.from_ical(email.calendar_ics)
        [event] = calendar.walk("VEVENT")
        found.append((str(calendar["METHOD"]), event))
    return found


def sessions_of(loop: InterviewLoop) -> list[Interview]:
    return list(loop.interviews.order_by("loop_position"))


def holders(interview: Interview) -> set[str]:
    return set(
        InterviewerBooking.objects.filter(interview=interview, active=True).values_list(
            "interviewer__full_name", flat=True
        )
    )


def test_a_loop_is_listed_booked_moved_and_cancelled_whole(company: Company) -> None:
    loop_company = loop_company_build(company)
    request, path = send(loop_company)
    client = Client()

    # The candidate opens the link and lists Tuesday: each time carries its agenda.
    assert client.get(path).status_code == 200
    listed = client.get(
        f"{path}/slots", {"from": "2026-03-03", "to": "2026-03-03", "tz": "America/New_York"}
    ).json()
    assert listed["timezone"] == "America/New_York"
    [ten] = [slot for slot in listed["slots"] if slot["start"] == START]
    assert ten["end"] == "2026-03-03T18:15:00Z"
    assert [(s["name"], s["start"], s["end"]) for s in ten["sessions"]] == [
        (name, start.strftime("%Y-%m-%dT%H:%M:%SZ"), end.strftime("%Y-%m-%dT%H:%M:%SZ"))
        for name, start, end in agenda_at(TUESDAY_10)
    ]
    # Fixed people are named; the pool seat is not, before anyone is drawn.
    assert ten["sessions"][0]["with"] == ["Nora Alvarez"]
    assert ten["sessions"][1]["with"] == ["a member of Engineering interviewers"]
    # The last start (every 30 minutes) leaves room for the whole loop before 17:00.
    assert listed["slots"][-1]["start"] == "2026-03-03T18:30:00Z"  # ends 16:45 local

    # They book 10:00: every session exists with the right people and times.
    booked = client.post(f"{path}/book", {"start": START, "tz": "America/New_York"})
    assert booked.status_code == 303
    loop = InterviewLoop.objects.get()
    assert (loop.start, loop.end, loop.name) == (
        TUESDAY_10,
        TUESDAY_10 + timedelta(minutes=195),
        "Onsite",
    )
    sessions = sessions_of(loop)
    assert [(s.interview_template.name, s.start, s.end) for s in sessions] == agenda_at(TUESDAY_10)
    assert holders(sessions[0]) == holders(sessions[3]) == {"Nora Alvarez"}
    assert holders(sessions[1]) <= {"Ann Lee", "Bo Chen"} and len(holders(sessions[1])) == 1
    assert sessions[1].assignment[0]["pool"] == "Engineering interviewers"
    assert holders(sessions[2]) == {"Sam Wu"}
    # One link for the whole loop (Jitsi, made in the booking).
    assert len({s.conference_url for s in sessions}) == 1 and sessions[0].conference_url
    request.refresh_from_db()
    assert request.status == SchedulingRequest.Status.SCHEDULED

    run_worker()

    # Every interviewer has their own calendar event per session they hold.
    for session in sessions:
        [row] = CalendarEvent.objects.filter(uid=session.uid)
        assert (row.start, row.end) == (session.start, session.end)
        assert row.owner.full_name in holders(session)
    assert not Effect.objects.exclude(state="done").exists()
    # The candidate gets one invite for the whole loop, whose times parse back exactly.
    [(method, event)] = invite_events(company.candidate.email)
    assert method == "REQUEST"
    assert str(event["UID"]) == loop.uid and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == TUESDAY_10
    assert event.decoded("DTEND") == TUESDAY_10 + timedelta(minutes=195)
    description = str(event["DESCRIPTION"])
    for name in ("Intro", "Technical", "Systems", "Wrap-up"):
        assert name in description
    assert "with Sam Wu" in description and "10:00" in description
    # A task per session (the template has a task template); the stage moved once.
    assert sorted(Task.objects.values_list("title", flat=True)) == [
        f"Prepare for Ada Okafor's {name}" for name in ("Intro", "Systems", "Technical", "Wrap-up")
    ]
    assert Effect.objects.filter(kind="stage_move").count() == 1
    # The request email named the loop as a whole
    [request_email] = OutgoingEmail.objects.filter(to=company.candidate.email, calendar_ics="")
    assert "Onsite" in request_email.subject + request_email.body_text

    # The candidate moves the loop by an hour: everything moves, the invite keeps its UID.
    moved = client.post(
        f"{path}/reschedule", {"start": "2026-03-03T16:00:00Z", "tz": "America/New_York"}
    )
    assert moved.status_code == 303
    loop.refresh_from_db()
    later = TUESDAY_10 + timedelta(hours=1)
    assert (loop.start, loop.sequence) == (later, 1)
    sessions = sessions_of(loop)
    assert [(s.interview_template.name, s.start, s.end) for s in sessions] == agenda_at(later)
    assert all(s.sequence == 1 for s in sessions)
    run_worker()
    for session in sessions:
        [row] = CalendarEvent.objects.filter(uid=session.uid)
        assert (row.start, row.end) == (session.start, session.end)
    [_, (method, event)] = invite_events(company.candidate.email)
    assert method == "REQUEST" and str(event["UID"]) == loop.uid
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART") == later

    # And cancels: every session, every event, one CANCEL for the invite.
    cancelled = client.post(f"{path}/cancel", {"tz": "America/New_York"})
    assert cancelled.status_code == 303
    loop.refresh_from_db()
    assert loop.status == InterviewLoop.Status.CANCELLED
    assert {s.status for s in sessions_of(loop)} == {Interview.Status.CANCELLED}
    assert not InterviewerBooking.objects.filter(active=True).exists()
    run_worker()
    assert not CalendarEvent.objects.filter(uid__in=[s.uid for s in sessions]).exists()
    [*_, (method, event)] = invite_events(company.candidate.email)
    assert method == "CANCEL" and str(event["UID"]) == loop.uid and int(event["SEQUENCE"]) == 2


def test_per_session_mode_sends_one_invite_per_session(company: Company) -> None:
    loop_company = loop_company_build(company, calendar=LoopCalendar.PER_SESSION)
    _, path = send(loop_company)

    Client().post(f"{path}/book", {"start": START, "tz": "America/New_York"})
    run_worker()

    sessions = sessions_of(InterviewLoop.objects.get())
    invites = invite_events(company.candidate.email)
    assert sorted(str(event["UID"]) for _, event in invites) == sorted(s.uid for s in sessions)
    times = sorted((event.decoded("DTSTART"), event.decoded("DTEND")) for _, event in invites)
    assert times == [(start, end) for _, start, end in agenda_at(TUESDAY_10)]
    # Each session's email names that session and only its own people
    systems = OutgoingEmail.objects.get(to=company.candidate.email, subject__contains="Systems")
    assert "With: Sam Wu\n" in systems.body_text
    # One download adds the whole day: every session's event under its own UID
    download = Client().get(f"{path}/invite.ics")
    assert download["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    calendar = Calendar.from_ical(download.content)
    assert calendar["METHOD"] == "PUBLISH"
    events = calendar.walk("VEVENT")
    assert sorted(str(event["UID"]) for event in events) == sorted(s.uid for s in sessions)
    assert sorted((e.decoded("DTSTART"), e.decoded("DTEND")) for e in events) == times


def test_the_candidate_is_reminded_once_of_the_whole_loop_each_interviewer_of_their_session(
    company: Company,
) -> None:
    """Given the default reminders (24 h and 1 h) with interviewers reminded too, a booked loop
    reminds the candidate twice, before its first session and under its own name, and each
    session's people before their own session."""
    from hireslot.scheduling.models import Reminder
    from hireslot.scheduling.reminder_emails import candidate_reminder_email

    loop_company = loop_company_build(company)
    loop_company.template.remind_interviewers = True
    loop_company.template.save()
    _, path = send(loop_company)

    Client().post(f"{path}/book", {"start": START, "tz": "America/New_York"})

    loop = InterviewLoop.objects.get()
    first, *later = sessions_of(loop)
    candidate = Reminder.objects.filter(audience="candidate")
    assert sorted(r.due_at for r in candidate) == [
        loop.start - timedelta(hours=24),
        loop.start - timedelta(hours=1),
    ]
    assert {r.interview_id for r in candidate} == {first.pk}
    for session in later:
        due = {r.due_at for r in Reminder.objects.filter(interview=session, audience="interviewer")}
        assert due == {session.start - timedelta(hours=24), session.start - timedelta(hours=1)}
    email = candidate_reminder_email(first)
    assert email.subject.startswith(f"Reminder: {loop.name} with ")
