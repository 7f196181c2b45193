"""The candidate's calendar invitation for an interview, the same wherever it is built (the
invite email, the .ics download on the candidate's page)."""

from __future__ import annotations

from datetime import datetime

from hireslot.core import clock
from hireslot.messaging.invites import InviteMethod, InviteSpec, invite_ics
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.models import Interview


def interview_invite_ics(
    interview: Interview,
    *,
    method: InviteMethod,
    sequence: int,
    start: datetime,
    end: datetime,
) -> str:
    """REQUEST or CANCEL for ``interview`` at [start, end): same UID for every version."""
    request = interview.request
    application = interview.application
    organization = application.organization
    candidate = application.candidate
    link = scheduling_link(request)
    name = interview.interview_template.name
    join = interview.conference_url
    description = "\n".join(
        part
        for part in (
            f"{name} for {application.job.title} at {organization.name}",
            f"Join: {join}" if join else "",
            interview.conference_details,
            f"Reschedule or cancel: {link}",
        )
        if part
    )
    return invite_ics(
        InviteSpec(
            uid=interview.uid,
            sequence=sequence,
            method=method,
            summary=f"{name} with {organization.name}",
            description=description,
            location=join or interview.conference_details,
            start=start,
            end=end,
            stamp=clock.now(),
            organizer_name=organization.scheduling_sender_name or organization.name,
            organizer_email=organization.scheduling_sender_email or "hireslot@localhost",
            attendee_name=candidate.name,
            attendee_email=candidate.email,
            url=link,
        )
    )
