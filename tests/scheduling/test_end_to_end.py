"""Self-scheduling end to end on the embedded defaults, through HTTP and the real worker:
send, open, list, book, every effect carried out, the invite delivered by a real SMTP server;
then reschedule and cancel; and a failing calendar that never loses the booking."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from hireslot.calendars.models import CalendarEvent
from hireslot.calendars.providers.memory import InMemoryCalendarProvider
from hireslot.core.remote import PermanentProviderError
from hireslot.messaging.models import Notification, OutgoingEmail
from hireslot.recruiting.models import Task
from hireslot.scheduling.models import Effect, Interview, SchedulingRequest
from hireslot.scheduling.services.effects import MAX_EFFECT_ATTEMPTS
from tests.itip import itip_read
from tests.smtp import RecordingHandler, smtp_server

from .conftest import NOW, Company, run_worker

# The worker closes connections it finds inside a transaction: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)

MEMORY = "hireslot.calendars.providers.memory.InMemoryCalendarProvider"
# Tuesday 3 March 2026, 10:00 and 11:30 in New York (EST, UTC-5).
TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
TUESDAY_1130 = datetime(2026, 3, 3, 16, 30, tzinfo=UTC)


@pytest.fixture
def smtp(settings: Any) -> Iterator[RecordingHandler]:
    yield from smtp_server(settings)


def mail_to(smtp: RecordingHandler, address: str) -> list[Message]:
    return [message for message in smtp.messages if message["To"] == address]


def invites_to(smtp: RecordingHandler, address: str) -> list[Message]:
    return [
        message
        for message in mail_to(smtp, address)
        if any(part.get_content_type() == "text/calendar" for part in message.walk())
    ]


def calendar_of(message: Message) -> tuple[Message, Any, Any]:
    """The inline text/calendar part, its VCALENDAR and its one VEVENT."""
    parts = [
        part
        for part in message.walk()
        if part.get_content_type() == "text/calendar" and not part.get_filename()
    ]
    assert len(parts) == 1, [p.get_content_type() for p in message.walk()]
    calendar = Calendar.from_ical(parts[0].get_payload(decode=True))
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return parts[0], calendar, events[0]


def subject_of(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def link_path(message: Message) -> str:
    """The candidate's link as a path, found in the plain text of the email they received."""
    (plain,) = [part for part in message.walk() if part.get_content_type() == "text/plain"]
    body = plain.get_payload(decode=True).decode()
    match = re.search(r"https?://[^/\s]+(/s/[A-Za-z0-9_-]{43})\b", body)
    assert match, body
    return match.group(1)


def effect_states(interview: Interview) -> dict[tuple[str, str], set[str]]:
    states: dict[tuple[str, str], set[str]] = {}
    for kind, action, state in Effect.objects.filter(interview=interview).values_list(
        "kind", "action", "state"
    ):
        states.setdefault((kind, action), set()).add(state)
    return states


def test_send_open_book_reschedule_cancel_through_http_and_the_worker(
    company: Company, smtp: RecordingHandler
) -> None:
    candidate = company.candidate.email
    client = Client()

    # The recruiter sends; the worker delivers the request email with the candidate's link.
    request = company.send().request
    run_worker()
    [request_email] = mail_to(smtp, candidate)
    path = link_path(request_email)

    # The candidate opens the link and lists Tuesday in their own zone.
    page = client.get(f"{path}?tz=Europe/Madrid")
    assert page.status_code == 200
    request.refresh_from_db()
    assert request.status == SchedulingRequest.Status.OPENED
    listed = client.get(
        f"{path}/slots", {"from": "2026-03-03", "to": "2026-03-03", "tz": "Europe/Madrid"}
    )
    assert listed.status_code == 200
    start = "2026-03-03T15:00:00Z"
    assert start in [slot["start"] for slot in listed.json()["slots"]]

    # They book; the page confirms.
    booked = client.post(f"{path}/book", {"start": start, "tz": "Europe/Madrid"})
    assert booked.status_code == 303
    assert "You are booked" in client.get(booked["Location"]).content.decode()
    interview = Interview.objects.get()
    assert interview.start == TUESDAY_10

    # The worker carries out every consequence.
    run_worker()

    assert effect_states(interview) == {
        ("calendar_event", "book"): {"done"},
        ("candidate_invite", "book"): {"done"},
        ("task", "book"): {"done"},
        ("stage_move", "book"): {"done"},
        ("notification", "book"): {"done"},
    }
    assert Effect.objects.filter(interview=interview, kind="notification").count() == 2

    # The candidate's invite arrived through SMTP as a real iMIP message.
    [invite] = invites_to(smtp, candidate)
    assert invite.get_content_type() == "multipart/mixed"
    types = [part.get_content_type() for part in invite.walk()]
    assert "text/plain" in types and "text/html" in types
    assert any(part.get_filename() == "invite.ics" for part in invite.walk())
    part, calendar, event = calendar_of(invite)
    assert part.get_param("method") == "REQUEST"
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == interview.uid
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == TUESDAY_10
    assert event.decoded("DTEND") == TUESDAY_10 + timedelta(minutes=45)
    assert event["DTSTART"].to_ical() == b"20260303T150000Z"
    assert "DTSTAMP" in event
    assert str(event["ORGANIZER"]).lower() == "mailto:recruiting@acme.example"
    attendee = event["ATTENDEE"]
    assert str(attendee).lower() == f"mailto:{candidate}"
    assert attendee.params["RSVP"] == "FALSE"  # decision 0027
    itip_read(part.get_payload(decode=True), method="REQUEST", content_type=part["Content-Type"])
    assert interview.conference_url in str(event["LOCATION"])
    description = str(event["DESCRIPTION"])
    assert interview.conference_url in description
    assert path in description
    # 15:00Z is 4:00 PM in Madrid: the email speaks the candidate's time.
    assert "4:00" in subject_of(invite) and "Central European" in subject_of(invite)

    # The interviewer's built-in calendar has the event, with the links they need.
    event_row = CalendarEvent.objects.get(uid=interview.uid)
    assert event_row.owner == company.interviewer
    assert (event_row.start, event_row.end) == (interview.start, interview.end)
    assert f"/templates/interviews/{interview.interview_template_id}/" in event_row.description
    assert interview.conference_url.startswith("https://meet.jit.si/")
    assert interview.conference_url in event_row.description
    assert "Reschedule or cancel: " in event_row.description
    assert f"/interviews/{interview.pk}/" in event_row.description
    assert "Ada Okafor" in event_row.title

    # The task exists, the stage moved, the sender and the interviewer were told.
    task = Task.objects.get(application=company.application)
    assert task.assignee == company.recruiter
    company.application.refresh_from_db()
    assert company.application.current_stage.name == "Phone Screen"
    assert sorted(n.recipient.email for n in Notification.objects.all()) == [
        "nora@acme.example",
        "riley@acme.example",
    ]
    assert len(mail_to(smtp, "riley@acme.example")) == 1
    assert len(mail_to(smtp, "nora@acme.example")) == 1
    assert all(email.status == OutgoingEmail.Status.SENT for email in OutgoingEmail.objects.all())

    # The candidate moves the interview: same UID, higher SEQUENCE, the same event row moved.
    moved = client.post(
        f"{path}/reschedule", {"start": "2026-03-03T16:30:00Z", "tz": "Europe/Madrid"}
    )
    assert moved.status_code == 303
    run_worker()

    interview.refresh_from_db()
    assert (interview.start, interview.sequence) == (TUESDAY_1130, 1)
    invites = invites_to(smtp, candidate)
    assert len(invites) == 2
    _, calendar, event = calendar_of(invites[1])
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == interview.uid
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == TUESDAY_1130
    assert subject_of(invites[1]).startswith("Updated")
    moved_part = calendar_of(invites[1])[0]
    again = itip_read(
        moved_part.get_payload(decode=True),
        method="REQUEST",
        content_type=moved_part["Content-Type"],
    )
    assert (again.uid.value, int(again.sequence.value)) == (interview.uid, 1)
    [moved_row] = CalendarEvent.objects.filter(owner=company.interviewer)
    assert moved_row.pk == event_row.pk
    assert (moved_row.start, moved_row.sequence) == (TUESDAY_1130, 1)
    assert set(Effect.objects.filter(interview=interview).values_list("state", flat=True)) == {
        "done"
    }
    assert Notification.objects.count() == 4

    # The candidate cancels: METHOD:CANCEL, and the interviewer's event is gone.
    cancelled = client.post(f"{path}/cancel", {"reason": "Accepted another offer"})
    assert cancelled.status_code == 303
    run_worker()

    invites = invites_to(smtp, candidate)
    assert len(invites) == 3
    part, calendar, event = calendar_of(invites[2])
    assert part.get_param("method") == "CANCEL"
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == interview.uid
    assert int(event["SEQUENCE"]) == 2
    gone = itip_read(
        part.get_payload(decode=True), method="CANCEL", content_type=part["Content-Type"]
    )
    assert (gone.uid.value, int(gone.sequence.value)) == (interview.uid, 2)
    assert invites[2]["Subject"].startswith("Cancelled")
    assert not CalendarEvent.objects.filter(uid=interview.uid).exists()
    assert set(Effect.objects.values_list("state", flat=True)) == {"done"}
    # The candidate cancelled: the link stays open to pick a new time.
    assert client.get(path).status_code == 200
    assert "You cancelled your interview" in client.get(f"{path}?done=cancelled").content.decode()


def book_over_http(company: Company) -> tuple[str, Interview]:
    path = company.send().link.split("://", 1)[1].split("/", 1)[1]
    client = Client()
    response = client.post(f"/{path}/book", {"start": "2026-03-03T15:00:00Z", "tz": "UTC"})
    assert response.status_code == 303
    return f"/{path}", Interview.objects.get()


def retry_through_the_interview_page(
    company: Company, interview: Interview, effect: Effect
) -> None:
    recruiter = Client()
    recruiter.force_login(company.recruiter)
    page = recruiter.get(f"/interviews/{interview.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert effect.last_error in html
    action = f"/interviews/{interview.pk}/effects/{effect.pk}/retry/"
    assert f'action="{action}"' in html
    response = recruiter.post(action)
    assert response.status_code == 302
    effect.refresh_from_db()
    assert effect.state == Effect.State.PENDING


def booking_stands(path: str, interview: Interview) -> None:
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED
    assert interview.request.status == SchedulingRequest.Status.SCHEDULED
    page = Client().get(f"{path}?tz=UTC")
    assert page.status_code == 200
    assert "Your Manager Interview</h1>" in page.content.decode()


def test_a_calendar_outage_retries_then_fails_visibly_and_a_retry_carries_it_out(
    company: Company, settings: Any, smtp: RecordingHandler, travel: time_machine.Coordinates
) -> None:
    settings.HIRESLOT_CALENDAR_PROVIDER = MEMORY
    InMemoryCalendarProvider.fail_next(times=MAX_EFFECT_ATTEMPTS)
    path, interview = book_over_http(company)

    run_worker()

    calendar = Effect.objects.get(interview=interview, kind="calendar_event")
    assert calendar.state == Effect.State.RETRYING
    assert calendar.attempts == 1
    assert calendar.next_attempt_at is not None and calendar.next_attempt_at > NOW
    assert "did not answer" in calendar.last_error
    # Everything else went ahead; the booking stands and the candidate has their invite.
    others = Effect.objects.filter(interview=interview).exclude(pk=calendar.pk)
    assert set(others.values_list("state", flat=True)) == {"done"}
    booking_stands(path, interview)
    assert len(invites_to(smtp, company.candidate.email)) == 1

    # The worker tries again after each backoff until it gives up.
    for hour in range(1, 3 * MAX_EFFECT_ATTEMPTS):
        calendar.refresh_from_db()
        if calendar.state != Effect.State.RETRYING:
            break
        travel.move_to(NOW + timedelta(hours=hour))
        run_worker()
    calendar.refresh_from_db()
    assert calendar.state == Effect.State.FAILED
    assert calendar.attempts == MAX_EFFECT_ATTEMPTS
    assert calendar.last_error == "The calendar did not answer in time."
    assert calendar.next_attempt_at is None
    assert [c for c in InMemoryCalendarProvider.calls if c[0] == "event_upsert"] == [
        ("event_upsert", interview.uid)
    ] * MAX_EFFECT_ATTEMPTS
    assert InMemoryCalendarProvider.events_of(company.interviewer.pk) == []
    booking_stands(path, interview)

    # The recruiter presses Retry; the calendar is back.
    retry_through_the_interview_page(company, interview, calendar)
    run_worker()

    calendar.refresh_from_db()
    assert calendar.state == Effect.State.DONE
    assert calendar.last_error == ""
    [event] = InMemoryCalendarProvider.events_of(company.interviewer.pk)
    assert (event.uid, event.start) == (interview.uid, TUESDAY_10)


def test_a_permanent_calendar_error_fails_at_once_and_a_retry_carries_it_out(
    company: Company, settings: Any, smtp: RecordingHandler
) -> None:
    settings.HIRESLOT_CALENDAR_PROVIDER = MEMORY
    InMemoryCalendarProvider.fail_next(PermanentProviderError("Calendar access was revoked."))
    path, interview = book_over_http(company)

    run_worker()

    calendar = Effect.objects.get(interview=interview, kind="calendar_event")
    assert calendar.state == Effect.State.FAILED
    assert calendar.attempts == 1
    assert calendar.last_error == "Calendar access was revoked."
    booking_stands(path, interview)
    assert len(invites_to(smtp, company.candidate.email)) == 1

    retry_through_the_interview_page(company, interview, calendar)
    run_worker()

    calendar.refresh_from_db()
    assert calendar.state == Effect.State.DONE
    assert [e.uid for e in InMemoryCalendarProvider.events_of(company.interviewer.pk)] == [
        interview.uid
    ]
    assert set(Effect.objects.values_list("state", flat=True)) == {"done"}
