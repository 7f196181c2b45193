"""What HireSlot itself writes to candidates, in their language: the invite emails (booked,
moved, cancelled) and the HTML around a recruiter's request email.

The language is the one the candidate booked in (``Interview.candidate_language``), else the
one the recruiter set for them (``Candidate.language``), else English; times are in the
candidate's zone, written by ``core.time_text`` in that language's locale. Every sentence is
one translatable string with named placeholders, so translators can reorder it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import translation
from django.utils.translation import gettext

from hireslot.accounts.branding import brand_of
from hireslot.accounts.models import Organization
from hireslot.core.languages import formatting_locale, language_choose
from hireslot.core.time_text import when_text
from hireslot.messaging.email_layout import (
    EmailButton,
    details_html,
    email_html,
    paragraph,
    text_html,
)
from hireslot.recruiting.models import Candidate
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.loop_agenda import agenda_lines, agenda_timed, booked_agenda
from hireslot.scheduling.models import Effect, Interview, InterviewLoop, RequestEvent


@dataclass(frozen=True)
class CandidateEmail:
    subject: str
    text: str
    html: str


def interview_language(interview: Interview) -> str:
    return language_choose(
        chosen=interview.candidate_language,
        preferred=interview.application.candidate.language,
    )


def interview_when(interview: Interview, start: datetime, end: datetime, language: str) -> str:
    """The interview's time as the candidate reads it: their zone, their locale."""
    return when_text(
        start, end, zone=interview.candidate_time_zone, locale=formatting_locale(language)
    )


def _footer(organization: Organization) -> str:
    return gettext(
        "%(organization)s schedules interviews with HireSlot. Your link is personal: "
        "please do not forward this email."
    ) % {"organization": organization.name}


def request_email_html(
    *, organization: Organization, candidate: Candidate, body: str, link: str
) -> str:
    """The request email's HTML: the recruiter's text as written (escaped, addresses linked)
    and a button to the scheduling link, in the candidate's language."""
    language = language_choose(preferred=candidate.language)
    brand = brand_of(organization)
    with translation.override(language):
        return email_html(
            brand=brand,
            language=language,
            title=gettext("Schedule your interview with %(organization)s")
            % {"organization": organization.name},
            blocks=[text_html(body, brand=brand)],
            button=EmailButton(gettext("Choose your interview time"), link),
            button_note=gettext("If the button does not work, open this address:"),
            footer=_footer(organization),
        )


def _previous_start(effect: Effect) -> tuple[datetime, datetime] | None:
    """When a moved interview was before: the candidate's previous invite says."""
    earlier = [
        other.payload
        for other in Effect.objects.filter(
            interview_id=effect.interview_id, kind=Effect.Kind.CANDIDATE_INVITE
        ).exclude(pk=effect.pk)
        if int(other.payload.get("sequence", 0)) < int(effect.payload["sequence"])
    ]
    if not earlier:
        return None
    last = max(earlier, key=lambda payload: int(payload.get("sequence", 0)))
    return datetime.fromisoformat(last["start"]), datetime.fromisoformat(last["end"])


def _cancelled_by_candidate(interview: Interview) -> bool:
    event = (
        RequestEvent.objects.filter(
            request_id=interview.request_id, kind=RequestEvent.Kind.CANCELLED
        )
        .order_by("-created_at")
        .first()
    )
    return bool(event and event.by_candidate)


def interview_email(
    effect: Effect, *, start: datetime, end: datetime, loop: InterviewLoop | None = None
) -> CandidateEmail:
    """The candidate's email for a candidate-invite effect: booked, moved or cancelled;
    for a whole ``loop`` (one-event mode), named after it, with its agenda."""
    interview = effect.interview
    request = interview.request
    organization = interview.application.organization
    candidate = interview.application.candidate
    language = interview_language(interview)
    brand = brand_of(organization)
    link = scheduling_link(request)
    cancel = effect.payload["method"] == "CANCEL"
    moved = effect.action == Effect.Action.RESCHEDULE
    people = ", ".join(user.get_full_name() for user in request.interviewers.order_by("full_name"))
    if interview.loop_id is not None and loop is None:
        # One session of a loop (per-session invites): the people holding that session.
        people = ", ".join(
            interview.bookings.filter(active=True)
            .order_by("interviewer__full_name")
            .values_list("interviewer__full_name", flat=True)
        )
    with translation.override(language):
        when = interview_when(interview, start, end, language)
        values = {
            "interview": loop.name if loop is not None else interview.interview_template.name,
            "organization": organization.name,
            "when": when,
            "name": candidate.first_name,
        }
        greeting = gettext("Hi %(name)s,") % values
        notes: list[str] = []
        button: EmailButton | None = None
        if cancel:
            by_candidate = _cancelled_by_candidate(interview)
            subject = gettext("Cancelled: %(interview)s with %(organization)s") % values
            if by_candidate:
                lead = (
                    gettext("You cancelled your %(interview)s with %(organization)s on %(when)s.")
                    % values
                )
                if request.expires_at > effect.created_at:
                    notes.append(gettext("Changed your mind? You can pick a new time:"))
                    button = EmailButton(gettext("Pick a new time"), link)
            else:
                lead = (
                    gettext("%(organization)s cancelled your %(interview)s on %(when)s.") % values
                )
                if interview.cancel_reason:
                    notes.append(
                        gettext("Their message: %(reason)s") % {"reason": interview.cancel_reason}
                    )
                notes.append(gettext("If you have questions, reply to this email."))
            rows: list[tuple[str, str]] = []
        else:
            previous = _previous_start(effect) if moved else None
            if moved:
                subject = gettext("Updated: %(interview)s with %(organization)s, %(when)s") % values
                lead = (
                    gettext(
                        "Your %(interview)s with %(organization)s has moved from "
                        "%(previous)s to %(when)s."
                    )
                    % {**values, "previous": interview_when(interview, *previous, language)}
                    if previous
                    else gettext("Your %(interview)s with %(organization)s has moved to %(when)s.")
                    % values
                )
                if effect.payload.get("note"):
                    notes.append(
                        gettext("Their message: %(reason)s") % {"reason": effect.payload["note"]}
                    )
            else:
                subject = (
                    gettext("Confirmed: %(interview)s with %(organization)s, %(when)s") % values
                )
                lead = gettext("Your %(interview)s with %(organization)s is confirmed.") % values
            join = interview.conference_url
            rows = [
                (
                    gettext("What"),
                    gettext("%(interview)s for %(job)s")
                    % {**values, "job": interview.application.job.title},
                ),
                (gettext("When"), when),
                (gettext("With"), people),
                (
                    gettext("How to join"),
                    "\n".join(part for part in (join, interview.conference_details) if part),
                ),
            ]
            if loop is not None:
                agenda = agenda_timed(
                    booked_agenda(loop, show_names=request.template.loop_show_names),
                    zone=interview.candidate_time_zone,
                    locale=formatting_locale(language),
                )
                rows = [*rows[:2], (gettext("Agenda"), "\n".join(agenda_lines(agenda)))]
            notes.append(gettext("Need another time? You can reschedule or cancel here:"))
            button = EmailButton(gettext("Reschedule or cancel"), link)
        text_parts = [greeting, lead]
        if rows:
            text_parts.append("\n".join(f"{label}: {value}" for label, value in rows if value))
        text_parts += notes
        if button is not None:
            text_parts.append(button.url)
        text = "\n\n".join(text_parts) + "\n"
        blocks = [paragraph(greeting), paragraph(lead)]
        if rows:
            blocks.append(details_html(rows, brand=brand))
        blocks += [paragraph(note) for note in notes]
        html = email_html(
            brand=brand,
            language=language,
            title=subject,
            blocks=blocks,
            button=button,
            button_note=gettext("If the button does not work, open this address:"),
            footer=_footer(organization),
        )
    return CandidateEmail(subject=subject, text=text, html=html)
