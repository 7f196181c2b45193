"""Reminders, nudges and no-shows as the API and webhooks show them (the contract's
"Reminders, nudges, no-shows"); the interview's and request's own documents stay in
``scheduling.documents``."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Count, Q

from hireslot.core import clock
from hireslot.scheduling.documents import instant_z
from hireslot.scheduling.models import (
    Interview,
    NoShow,
    Nudge,
    Reminder,
    RequestEvent,
    SchedulingRequest,
)


def reminder_documents(interview: Interview) -> list[dict[str, Any]]:
    """``[{id, audience, channel, due_at, state, reason}]``, by moment: every reminder the
    interview has had, including those cancelled or skipped."""
    return [
        {
            "id": str(reminder.pk),
            "audience": reminder.audience,
            "channel": reminder.channel,
            "due_at": instant_z(reminder.due_at),
            "state": reminder.state,
            "reason": reminder.reason,
        }
        for reminder in Reminder.objects.filter(interview_id=interview.pk).order_by(
            "due_at", "audience", "channel", "pk"
        )
    ]


def nudge_documents(request: SchedulingRequest) -> list[dict[str, Any]]:
    """``[{id, due_at, state, reason}]``, by moment."""
    return [
        {
            "id": str(nudge.pk),
            "due_at": instant_z(nudge.due_at),
            "state": nudge.state,
            "reason": nudge.reason,
        }
        for nudge in Nudge.objects.filter(request_id=request.pk).order_by("due_at", "pk")
    ]


def no_show_document(interview: Interview) -> dict[str, Any] | None:
    """``{who, note, marked_at, follow_up_request_id}`` or null."""
    no_show = NoShow.objects.filter(interview_id=interview.pk).first()
    if no_show is None:
        return None
    return {
        "who": no_show.who,
        "note": no_show.note,
        "marked_at": instant_z(no_show.created_at),
        "follow_up_request_id": (
            str(no_show.follow_up_request_id) if no_show.follow_up_request_id else None
        ),
    }


def reschedule_documents(interview: Interview) -> list[dict[str, Any]]:
    """``[{at, by: "candidate" | "team", detail, reason}]``: every move of the request's
    interview, oldest first."""
    return [
        {
            "at": instant_z(event.created_at),
            "by": "candidate" if event.by_candidate else "team",
            "detail": event.detail,
            "reason": event.reason,
        }
        for event in RequestEvent.objects.filter(
            request_id=interview.request_id, kind=RequestEvent.Kind.RESCHEDULED
        ).order_by("created_at", "pk")
    ]


def job_interview_counts(*, job_id: UUID) -> dict[str, int]:
    """``{interviews, no_shows, candidate_no_shows}`` of a job's interviews that have started
    (the job page's report): how often people did not come."""
    started = Interview.objects.filter(
        application__job_id=job_id, status=Interview.Status.SCHEDULED, start__lte=clock.now()
    )
    counts = started.aggregate(
        interviews=Count("pk"),
        no_shows=Count("no_show"),
        candidate_no_shows=Count("no_show", filter=Q(no_show__who=NoShow.Who.CANDIDATE)),
    )
    return {name: int(value or 0) for name, value in counts.items()}
