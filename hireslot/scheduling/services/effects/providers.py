"""Consequences that call providers (calendars, video meetings): run outside transactions."""

from __future__ import annotations

from django.conf import settings

from hireslot.accounts.models import AvailabilitySettings
from hireslot.calendars.connections import event_provider_for
from hireslot.calendars.providers import (
    CalendarOwner,
    EventSpec,
    PermanentProviderError,
)
from hireslot.scheduling.models import Effect, Interview


def _event_description(interview: Interview) -> str:
    application = interview.application
    candidate = application.candidate
    template_link = (
        f"{settings.HIRESLOT_BASE_URL}/templates/interviews/{interview.interview_template_id}/"
    )
    lines = [
        f"Candidate: {candidate.name} <{candidate.email}>",
        f"Job: {application.job.title}",
        f"Interview template: {template_link}",
    ]
    if interview.conference_url:
        lines.append(f"Join: {interview.conference_url}")
    if interview.conference_details:
        lines.append(interview.conference_details)
    lines.append(f"Reschedule or cancel: {settings.HIRESLOT_BASE_URL}/interviews/{interview.pk}/")
    return "\n".join(lines)


def calendar_sync(effect: Effect) -> str:
    """Make the interviewer's calendar match the interview as it is now (so effects that run
    late or twice still converge)."""
    interview = effect.interview
    user = effect.user
    if user is None:
        raise PermanentProviderError("The calendar effect names no interviewer.")
    zone = (
        AvailabilitySettings.objects.filter(user=user).values_list("time_zone", flat=True).first()
        or "UTC"
    )
    owner = CalendarOwner(user_id=user.pk, email=user.email, time_zone=zone)
    provider = event_provider_for(owner)
    holds = interview.bookings.filter(interviewer=user, active=True).exists()
    if interview.status == Interview.Status.SCHEDULED and holds:
        candidate = interview.application.candidate
        ref = provider.event_upsert(
            owner=owner,
            spec=EventSpec(
                uid=interview.uid,
                sequence=interview.sequence,
                title=f"{interview.interview_template.name}: {candidate.name}",
                description=_event_description(interview),
                location=interview.conference_url or interview.conference_details,
                start=interview.start,
                end=interview.end,
            ),
        )
        return f"{ref.provider}:{ref.event_id}"
    provider.event_delete(owner=owner, uid=interview.uid)
    return "removed"
