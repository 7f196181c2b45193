"""Calendar invites: what the candidate's calendar app reads from the file we send."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component

from hireslot.messaging.invites import InviteSpec, invite_ics
from tests.itip import itip_instant, itip_read

BERLIN = ZoneInfo("Europe/Berlin")
BOOKING = InviteSpec(
    uid="0b9c6a52-3f1e-4a55-9d0e-6f3c2b1a7e11@hireslot",
    sequence=0,
    method="REQUEST",
    summary="Interview: Robotics Software Engineer at Acme Robotics",
    description=(
        "Join: https://meet.jit.si/acme-0b9c6a52\n"
        "Need another time? https://hireslot.example/s/reschedule-token"
    ),
    location="https://meet.jit.si/acme-0b9c6a52",
    start=datetime(2026, 3, 10, 15, 0, tzinfo=BERLIN),
    end=datetime(2026, 3, 10, 15, 45, tzinfo=BERLIN),
    stamp=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
    organizer_name="Riley Chen",
    organizer_email="riley@acme.example",
    attendee_name="Ada Lovelace",
    attendee_email="ada@example.com",
    url="https://hireslot.example/s/manage-token",
)


def parsed(text: str) -> tuple[Calendar, Component]:
    calendar = Calendar.from_ical(text)
    (event,) = calendar.walk("VEVENT")
    return calendar, event


def test_a_booking_invite_carries_the_interview_for_the_candidate_to_accept() -> None:
    text = invite_ics(BOOKING)

    calendar, event = parsed(text)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == BOOKING.uid
    assert event.decoded("SEQUENCE") == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event["SUMMARY"] == BOOKING.summary
    assert event["DESCRIPTION"] == BOOKING.description
    assert event["LOCATION"] == "https://meet.jit.si/acme-0b9c6a52"
    assert event["URL"] == "https://hireslot.example/s/manage-token"
    assert event["ORGANIZER"] == "mailto:riley@acme.example"
    assert event["ORGANIZER"].params["CN"] == "Riley Chen"
    assert event["ATTENDEE"] == "mailto:ada@example.com"
    # No reply is asked for: nothing would read it (decision 0027).
    assert dict(event["ATTENDEE"].params) == {
        "CN": "Ada Lovelace",
        "ROLE": "REQ-PARTICIPANT",
        "PARTSTAT": "NEEDS-ACTION",
        "RSVP": "FALSE",
    }
    second = itip_read(text, method="REQUEST")
    assert second.uid.value == BOOKING.uid
    assert second.organizer.value == "mailto:riley@acme.example"
    assert second.attendee.value == "mailto:ada@example.com"


def test_times_are_written_in_utc_whatever_zone_they_were_given_in() -> None:
    text = invite_ics(BOOKING)

    _, event = parsed(text)
    assert "DTSTART:20260310T140000Z\r\n" in text
    assert "DTEND:20260310T144500Z\r\n" in text
    assert "DTSTAMP:20260301T093000Z\r\n" in text
    assert event.decoded("DTSTART") == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=45)
    assert "VTIMEZONE" not in text


def test_the_text_uses_crlf_line_endings_and_folds_long_lines() -> None:
    long_description = "Prepare: " + "bring a laptop and a charger, " * 10

    text = invite_ics(dataclasses.replace(BOOKING, description=long_description))

    lines = text.split("\r\n")
    assert "\n" not in "".join(lines)
    assert max(len(line.encode()) for line in lines) <= 75
    assert parsed(text)[1]["DESCRIPTION"] == long_description


def test_a_reschedule_updates_the_same_event_with_a_higher_sequence() -> None:
    moved = dataclasses.replace(
        BOOKING,
        sequence=1,
        start=BOOKING.start + timedelta(days=1),
        end=BOOKING.end + timedelta(days=1),
    )

    _, event = parsed(invite_ics(moved))

    assert event["UID"] == BOOKING.uid
    assert event.decoded("SEQUENCE") == 1
    assert event.decoded("DTSTART") == datetime(2026, 3, 11, 14, 0, tzinfo=UTC)


def test_a_cancellation_removes_the_event_from_the_candidates_calendar() -> None:
    cancel = dataclasses.replace(BOOKING, method="CANCEL", sequence=2)

    calendar, event = parsed(invite_ics(cancel))

    assert calendar["METHOD"] == "CANCEL"
    assert event["STATUS"] == "CANCELLED"
    assert event["UID"] == BOOKING.uid
    assert event.decoded("SEQUENCE") == 2
    # The attendee removed is named, and a cancellation never asks for a reply.
    assert event["ATTENDEE"].params["RSVP"] == "FALSE"
    assert "PARTSTAT" not in event["ATTENDEE"].params
    second = itip_read(invite_ics(cancel), method="CANCEL")
    assert (second.uid.value, int(second.sequence.value)) == (BOOKING.uid, 2)


def test_the_download_is_a_plain_published_event_without_attendees() -> None:
    text = invite_ics(dataclasses.replace(BOOKING, method="PUBLISH"))

    calendar, event = parsed(text)
    assert calendar["METHOD"] == "PUBLISH"
    assert "ATTENDEE" not in event and "RSVP" not in text
    assert event["ORGANIZER"] == "mailto:riley@acme.example"
    second = itip_read(text, method="PUBLISH")
    assert second.uid.value == BOOKING.uid
    assert itip_instant(second, "dtstart") == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)


def test_names_with_punctuation_and_accents_come_through_intact() -> None:
    spec = dataclasses.replace(
        BOOKING,
        organizer_name='Chen, Riley "RC"',
        attendee_name="Zoë Ångström",
        summary="Interview; round 2, with Zoë",
    )

    _, event = parsed(invite_ics(spec))

    assert event["ORGANIZER"].params["CN"] == 'Chen, Riley "RC"'
    assert event["ATTENDEE"].params["CN"] == "Zoë Ångström"
    assert event["SUMMARY"] == "Interview; round 2, with Zoë"


def test_the_url_is_left_out_when_there_is_none() -> None:
    _, event = parsed(invite_ics(dataclasses.replace(BOOKING, url="")))

    assert "URL" not in event


@pytest.mark.parametrize("field", ["start", "end", "stamp"])
def test_a_naive_time_is_refused(field: str) -> None:
    naive: dict[str, Any] = {field: getattr(BOOKING, field).replace(tzinfo=None)}

    with pytest.raises(ValueError, match=f"{field} must be timezone-aware"):
        invite_ics(dataclasses.replace(BOOKING, **naive))


@pytest.mark.parametrize("minutes", [0, -30])
def test_an_interview_that_ends_before_it_starts_is_refused(minutes: int) -> None:
    spec = dataclasses.replace(BOOKING, end=BOOKING.start + timedelta(minutes=minutes))

    with pytest.raises(ValueError, match="must be after its start"):
        invite_ics(spec)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"uid": " "}, "UID must not be empty"),
        ({"sequence": -1}, "SEQUENCE must not be negative"),
        ({"method": "REPLY"}, "method must be REQUEST, CANCEL or PUBLISH"),
        ({"url": "https://x.example/\r\nATTENDEE:mailto:eve@example.com"}, "CR or LF"),
    ],
)
def test_a_spec_no_calendar_would_accept_is_refused(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        invite_ics(dataclasses.replace(BOOKING, **change))
