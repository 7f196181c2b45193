"""What a reminder says: to the candidate in their zone and language with the join and
reschedule links (the invite emails' machinery, ``candidate_emails``); to an interviewer in
their own zone, in English like the rest of the team's workspace, with the interview page."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from hireslot.accounts.branding import brand_of
from hireslot.accounts.models import User
from hireslot.core.time_text import when_text
from hireslot.messaging.email_layout import EmailButton, details_html, email_html, paragraph
from hireslot.scheduling.candidate_emails import (
    CandidateEmail,
    interview_language,
    interview_when,
)
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.models import Interview, InterviewerBooking
from hireslot.scheduling.slots import availability_of

RECRUITER_LOCALE = "en_US"


def _reminded(interview: Interview) -> tuple[str, datetime, datetime, str]:
    """What the candidate is reminded of: the interview, or (its first session) the whole
    loop; its name, start, end, and the people holding it (drawn pool members included; a
    loop's only when its template names people)."""
    loop = interview.loop if interview.loop_id is not None else None
    if loop is None:
        held = interview.bookings.filter(active=True)
        names = held.order_by("interviewer__full_name").values_list(
            "interviewer__full_name", flat=True
        )
        return interview.interview_template.name, interview.start, interview.end, ", ".join(names)
    people = ""
    if interview.request.template.loop_show_names:
        names = (
            InterviewerBooking.objects.filter(interview__loop=loop, active=True)
            .order_by("interviewer__full_name")
            .values_list("interviewer__full_name", flat=True)
            .distinct()
        )
        people = ", ".join(names)
    return loop.name, loop.start, loop.end, people


def candidate_reminder_email(interview: Interview) -> CandidateEmail:
    request = interview.request
    organization = interview.application.organization
    candidate = interview.application.candidate
    language = interview_language(interview)
    brand = brand_of(organization)
    link = scheduling_link(request)
    title, start, end, people = _reminded(interview)
    with translation.override(language):
        when = interview_when(interview, start, end, language)
        values = {
            "interview": title,
            "organization": organization.name,
            "when": when,
            "name": candidate.first_name,
        }
        subject = gettext("Reminder: %(interview)s with %(organization)s, %(when)s") % values
        greeting = gettext("Hi %(name)s,") % values
        lead = (
            gettext("This is a reminder of your %(interview)s with %(organization)s on %(when)s.")
            % values
        )
        rows = [
            (gettext("When"), when),
            (gettext("With"), people),
            (
                gettext("How to join"),
                "\n".join(
                    part
                    for part in (interview.conference_url, interview.conference_details)
                    if part
                ),
            ),
        ]
        note = gettext("Need another time? You can reschedule or cancel here:")
        button = EmailButton(gettext("Reschedule or cancel"), link)
        text = (
            "\n\n".join(
                [
                    greeting,
                    lead,
                    "\n".join(f"{label}: {value}" for label, value in rows if value),
                    note,
                    link,
                ]
            )
            + "\n"
        )
        html = email_html(
            brand=brand,
            language=language,
            title=subject,
            blocks=[
                paragraph(greeting),
                paragraph(lead),
                details_html(rows, brand=brand),
                paragraph(note),
            ],
            button=button,
            button_note=gettext("If the button does not work, open this address:"),
            footer=gettext(
                "%(organization)s schedules interviews with HireSlot. Your link is personal: "
                "please do not forward this email."
            )
            % {"organization": organization.name},
        )
    return CandidateEmail(subject=subject, text=text, html=html)


def candidate_reminder_text(interview: Interview) -> str:
    """The text message: short, the time in the candidate's zone, the join link."""
    organization = interview.application.organization
    language = interview_language(interview)
    title, start, end, _ = _reminded(interview)
    with translation.override(language):
        when = interview_when(interview, start, end, language)
        body = gettext("Reminder: %(interview)s with %(organization)s, %(when)s") % {
            "interview": title,
            "organization": organization.name,
            "when": when,
        }
        if interview.conference_url:
            body += " " + gettext("Join: %(url)s") % {"url": interview.conference_url}
    return body


def interviewer_reminder_email(interview: Interview, *, zone: str) -> tuple[str, str]:
    """Subject and text for an interviewer, in their zone."""
    candidate = interview.application.candidate
    when = when_text(interview.start, interview.end, zone=zone, locale=RECRUITER_LOCALE)
    subject = f"Reminder: {interview.interview_template.name} with {candidate.name}, {when}"
    lines = [
        f"You interview {candidate.name} for {interview.application.job.title} on {when}.",
        interview.conference_url,
        f"{settings.HIRESLOT_BASE_URL}/interviews/{interview.pk}/",
    ]
    return subject, "\n\n".join(line for line in lines if line) + "\n"


def interviewer_zone(user: User) -> str:
    return availability_of(user).time_zone or "UTC"
