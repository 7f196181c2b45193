"""Calendar invites for candidates: iCalendar (RFC 5545) objects carried by email (iMIP,
RFC 5546/6047).

A candidate's calendar recognises later messages as the same interview by UID, and applies
them in SEQUENCE order: a reschedule is a REQUEST with the same UID and a higher SEQUENCE,
a cancellation a CANCEL with the same UID and a higher SEQUENCE still.

No reply is asked for (``RSVP=FALSE``, decision 0027): the candidate chose the time
themselves and changes it through the link in the invitation, and nothing reads iMIP REPLY
messages. A CANCEL never asks for one either. A PUBLISH object is the "add to calendar"
download: the same event as plain information, with the organizer and no attendee (RFC 5546
section 3.2.1), so calendars import it without treating it as a scheduling message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from icalendar import Calendar, Event, vCalAddress

PRODID = "-//HireSlot//Interview invites//EN"

InviteMethod = Literal["REQUEST", "CANCEL", "PUBLISH"]
INVITE_METHODS: tuple[InviteMethod, ...] = ("REQUEST", "CANCEL", "PUBLISH")
_STATUS = {"REQUEST": "CONFIRMED", "CANCEL": "CANCELLED", "PUBLISH": "CONFIRMED"}


@dataclass(frozen=True)
class InviteSpec:
    uid: str  # stable per interview, e.g. "<uuid>@hireslot"
    sequence: int  # 0 on booking, +1 on every reschedule/cancel
    method: InviteMethod
    summary: str
    description: str  # includes the conference link and the reschedule link
    location: str  # conference join URL (or phone number)
    start: datetime  # aware; written in UTC (Z)
    end: datetime
    stamp: datetime  # DTSTAMP, aware
    organizer_name: str
    organizer_email: str
    attendee_name: str
    attendee_email: str
    url: str = ""  # optional URL property (manage-your-interview page)


def invite_ics(spec: InviteSpec) -> str:
    """The VCALENDAR text for one interview (CRLF line endings, lines folded at 75 octets).

    Raises ValueError for a spec no calendar would accept: naive or reversed times, an
    unknown method, a missing UID or a negative SEQUENCE.
    """
    _invite_check(spec)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", spec.method)

    event = Event()
    event.add("uid", spec.uid)
    event.add("sequence", spec.sequence)
    # RFC 5545 requires DTSTAMP in UTC; start and end in UTC too, so no VTIMEZONE is needed
    # and every client shows the same instant in its own zone.
    event.add("dtstamp", spec.stamp.astimezone(UTC))
    event.add("dtstart", spec.start.astimezone(UTC))
    event.add("dtend", spec.end.astimezone(UTC))
    event.add("summary", spec.summary)
    event.add("description", spec.description)
    event.add("location", spec.location)
    event.add("status", _STATUS[spec.method])
    event.add("organizer", vCalAddress.new(spec.organizer_email, cn=spec.organizer_name))
    if spec.method == "REQUEST":
        event.add(
            "attendee",
            vCalAddress.new(
                spec.attendee_email,
                cn=spec.attendee_name,
                role="REQ-PARTICIPANT",
                partstat="NEEDS-ACTION",
                rsvp=False,
            ),
        )
    elif spec.method == "CANCEL":
        # The attendee being removed (RFC 5546 3.2.5); a cancellation expects no answer.
        event.add(
            "attendee",
            vCalAddress.new(
                spec.attendee_email, cn=spec.attendee_name, role="REQ-PARTICIPANT", rsvp=False
            ),
        )
    if spec.url:
        event.add("url", spec.url)
    calendar.add_component(event)
    text: bytes = calendar.to_ical()
    return text.decode("utf-8")


def _invite_check(spec: InviteSpec) -> None:
    for name in ("start", "end", "stamp"):
        value: datetime = getattr(spec, name)
        # A naive time would be "floating" in iCalendar: the same wall-clock time in every
        # zone, so the candidate could turn up hours early or late.
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"Invite {name} must be timezone-aware, got {value.isoformat()}.")
    if spec.end <= spec.start:
        raise ValueError(
            f"Invite end ({spec.end.isoformat()}) must be after its start "
            f"({spec.start.isoformat()})."
        )
    if spec.method not in INVITE_METHODS:
        raise ValueError(f"Invite method must be REQUEST, CANCEL or PUBLISH, got {spec.method!r}.")
    if not spec.uid.strip():
        raise ValueError("Invite UID must not be empty.")
    if spec.sequence < 0:
        raise ValueError(f"Invite SEQUENCE must not be negative, got {spec.sequence}.")
