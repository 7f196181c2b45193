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
from icalendar import Calendar

from hireslot.core import clock
from hireslot.core.languages import formatting_locale
from hireslot.messaging.invites import InviteMethod, InviteSpec, invite_ics
from hireslot.messaging.senders import organization_sender
from hireslot.scheduling.candidate_emails import interview_language, interview_when
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.loop_agenda import agenda_lines, agenda_timed, booked_agenda
from hireslot.scheduling.models import Interview, InterviewLoop


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


def interview_download_name(interview: Interview, *, title: str = "") -> str:
    """The "add to calendar" file's name: the interview (or ``title``: a loop's name) and the
    organization, e.g. ``manager-interview-acme-robotics.ics``."""
    organization = interview.application.organization
    title = title or interview.interview_template.name
    name = slugify(f"{title} {organization.name}")[:80].strip("-")
    return f"{name or 'interview'}.ics"


def loop_invite_ics(
    interview: Interview,
    loop: InterviewLoop,
    *,
    method: InviteMethod,
    sequence: int,
    start: datetime,
    end: datetime,
    language: str = "",
) -> str:
    """The candidate's one event for the whole loop (``interview``: its first session):
    the loop's UID for every version, its agenda in the description."""
    request = interview.request
    application = interview.application
    organization = application.organization
    candidate = application.candidate
    link = scheduling_link(request)
    language = language or interview_language(interview)
    show_names = request.template.loop_show_names
    sender = organization_sender(organization)
    with translation.override(language):
        items = agenda_timed(
            booked_agenda(loop, show_names=show_names),
            zone=interview.candidate_time_zone,
            locale=formatting_locale(language),
        )
        values = {
            "interview": loop.name,
            "organization": organization.name,
            "job": application.job.title,
            "when": interview_when(interview, start, end, language),
            "link": link,
        }
        lines = [
            gettext("%(interview)s for %(job)s at %(organization)s") % values,
            values["when"],
            "",
            gettext("Agenda:"),
            *agenda_lines(items),
            "",
            gettext("Reschedule or cancel: %(link)s") % values,
        ]
        summary = gettext("%(interview)s with %(organization)s") % values
    joins = {item.join for item in items if item.join}
    return invite_ics(
        InviteSpec(
            uid=loop.uid,
            sequence=sequence,
            method=method,
            summary=summary,
            description="\n".join(lines),
            location=joins.pop() if len(joins) == 1 else "",
            start=start,
            end=end,
            stamp=clock.now(),
            organizer_name=sender.name,
            organizer_email=sender.address,
            attendee_name=candidate.name,
            attendee_email=candidate.email,
            url=link,
        )
    )


def loop_sessions_download_ics(loop: InterviewLoop) -> str:
    """The "add to calendar" file of a loop whose candidate gets one event per session: one
    PUBLISH calendar holding every live session's event (each under its own UID, as in the
    emailed invitations), so one download adds the whole day."""
    sessions = list(
        loop.interviews.filter(status=Interview.Status.SCHEDULED)
        .select_related(
            "request__template", "interview_template", "application__candidate", "application__job"
        )
        .order_by("loop_position")
    )
    calendars = [
        Calendar.from_ical(
            interview_invite_ics(
                session,
                method="PUBLISH",
                sequence=session.sequence,
                start=session.start,
                end=session.end,
            )
        )
        for session in sessions
    ]
    whole = calendars[0]
    for calendar in calendars[1:]:
        for event in calendar.walk("VEVENT"):
            whole.add_component(event)
    text: bytes = whole.to_ical()
    return text.decode("utf-8")
