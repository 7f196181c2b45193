"""The candidate's calendar invitation for an interview, the same wherever it is built (the
invite email, the .ics download on the candidate's page).

Its summary and description are in the candidate's language (``candidate_emails.
interview_language`` unless the caller knows better, e.g. the page's language), with the
time written in their zone and locale; UID, SEQUENCE and METHOD are what calendars match
versions by and do not depend on the language.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext

from hireslot.core import clock
from hireslot.messaging.invites import InviteMethod, InviteSpec, invite_ics
from hireslot.scheduling.candidate_emails import interview_language, interview_when
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.models import Interview


def interview_invite_ics(
    interview: Interview,
    *,
    method: InviteMethod,
    sequence: int,
    start: datetime,
    end: datetime,
    language: str = "",
) -> str:
    """REQUEST or CANCEL for ``interview`` at [start, end): same UID for every version."""
    request = interview.request
    application = interview.application
    organization = application.organization
    candidate = application.candidate
    link = scheduling_link(request)
    join = interview.conference_url
    language = language or interview_language(interview)
    with translation.override(language):
        values = {
            "interview": interview.interview_template.name,
            "organization": organization.name,
            "job": application.job.title,
            "when": interview_when(interview, start, end, language),
            "url": join,
            "link": link,
        }
        description = "\n".join(
            part
            for part in (
                gettext("%(interview)s for %(job)s at %(organization)s") % values,
                values["when"],
                gettext("Join: %(url)s") % values if join else "",
                interview.conference_details,
                gettext("Reschedule or cancel: %(link)s") % values,
            )
            if part
        )
        summary = gettext("%(interview)s with %(organization)s") % values
    return invite_ics(
        InviteSpec(
            uid=interview.uid,
            sequence=sequence,
            method=method,
            summary=summary,
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
