"""Invitations as a second iCalendar implementation reads them (vobject, besides the
icalendar library that writes them), with the RFC 5546 points every message must meet."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import vobject


def itip_read(text: str | bytes, *, method: str, content_type: str = "") -> Any:
    """The VEVENT of ``text`` after checking, with vobject, what RFC 5545/5546 require of a
    ``method`` message: one event, UID, DTSTAMP and times in UTC, SEQUENCE, the organizer, and
    per method: REQUEST has the attendee and asks no reply (decision 0027); CANCEL names the
    attendee removed, says CANCELLED and asks no reply; PUBLISH has no attendee. A
    ``content_type`` given must carry the same method (RFC 5545 section 8.1)."""
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # CRLF only
    calendar = vobject.readOne(text)
    assert calendar.version.value == "2.0"
    assert calendar.prodid.value
    assert calendar.method.value == method
    if content_type:
        params = dict(
            part.strip().split("=", 1) for part in content_type.split(";")[1:] if "=" in part
        )
        assert params.get("method") == method, content_type
    events = calendar.contents["vevent"]
    assert len(events) == 1
    (event,) = events
    assert event.uid.value.strip()
    for name in ("dtstamp", "dtstart", "dtend"):
        value = getattr(event, name).value
        assert value.utcoffset() == timedelta(0) and value.tzinfo is not None, name
    assert event.dtend.value > event.dtstart.value
    assert int(event.sequence.value) >= 0
    assert event.organizer.value.lower().startswith("mailto:")
    assert "recurrence_id" not in event.contents
    attendees = event.contents.get("attendee", [])
    if method == "PUBLISH":
        assert attendees == []
        assert event.status.value == "CONFIRMED"
    else:
        assert len(attendees) == 1
        assert attendees[0].params.get("RSVP") == ["FALSE"]
        if method == "REQUEST":
            assert event.status.value == "CONFIRMED"
        else:
            assert method == "CANCEL"
            assert event.status.value == "CANCELLED"
            assert "PARTSTAT" not in attendees[0].params
    return event


def itip_instant(event: Any, name: str) -> Any:
    return getattr(event, name).value.astimezone(UTC)
