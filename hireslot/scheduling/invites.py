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
from django.utils.text import slugify
from django.utils.translation import gettext

from hireslot.core import clock
from hireslot.messaging.invites import InviteMethod, InviteSpec, invite_ics
from hireslot.messaging.senders import organization_sender
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
    """REQUEST or CANCEL (or the download's PUBLISH) for ``interview`` at [start, end):
    same UID for every version."""
    request = interview.request
    application = interview.application
    organization = application.organization
    candidate = application.candidate
    link = scheduling_link(request)
    join = interview.conference_url
    language = language or interview_language(interview)
    sender = organization_sender(organization)
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
            # The address the invitation is sent from, always (replies and clients' checks).
            organizer_name=sender.name,
            organizer_email=sender.address,
            attendee_name=candidate.name,
            attendee_email=candidate.email,
            url=link,
        )
    )


def interview_download_name(interview: Interview) -> str:
    """The "add to calendar" file's name: the interview and the organization, e.g.
    ``manager-interview-acme-robotics.ics``."""
    organization = interview.application.organization
    name = slugify(f"{interview.interview_template.name} {organization.name}")[:80].strip("-")
    return f"{name or 'interview'}.ics"
