"""The webhook payloads of self-scheduling, built by the services that make the change and
recorded in their transaction (``messaging.webhooks.webhook_event_record``, the outbox).

Each event is one call; the documents are the API's (``scheduling.documents``), so a receiver
and an API client read the same shapes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hireslot.messaging.webhooks import (
    AVAILABILITY_SUBMITTED,
    INTERVIEW_CANCELLED,
    INTERVIEW_NO_SHOW,
    INTERVIEW_RESCHEDULED,
    CancelledBy,
    webhook_event_record,
    webhook_event_wanted,
)
from hireslot.scheduling.documents import (
    availability_document,
    candidate_document,
    instant_z,
    interview_document,
    interview_links,
    request_document,
)
from hireslot.scheduling.follow_up_documents import no_show_document
from hireslot.scheduling.models import CandidateAvailability, Interview, SchedulingRequest


def request_event_emit(
    *, request: SchedulingRequest, event_type: str, wanted: bool | None = None
) -> None:
    """``scheduling_request.sent`` / ``.opened`` / ``.cancelled`` / ``.expired``; ``wanted``
    when the caller already asked ``webhook_event_wanted`` (a batch asks once)."""
    if wanted is None:
        wanted = webhook_event_wanted(organization=request.organization, event_type=event_type)
    if not wanted:
        return
    webhook_event_record(
        organization=request.organization,
        event_type=event_type,
        data={"request": request_document(request)},
    )


def availability_event_emit(
    *, request: SchedulingRequest, availability: CandidateAvailability
) -> None:
    """``availability.submitted``: the request (``availability_received``) and the windows
    the candidate shared (the caller asked ``webhook_event_wanted``)."""
    webhook_event_record(
        organization=request.organization,
        event_type=AVAILABILITY_SUBMITTED,
        data={
            "request": request_document(request),
            "availability": availability_document(availability),
        },
    )


def interview_event_emit(
    *,
    interview: Interview,
    event_type: str,
    previous: tuple[datetime, datetime] | None = None,
    cancelled_by: CancelledBy | None = None,
    reason: str = "",
) -> None:
    """``interview.scheduled`` / ``.rescheduled`` (with ``previous``) / ``.cancelled`` (with
    ``cancelled_by`` and ``reason``) / ``.no_show`` (with ``no_show``)."""
    request = interview.request
    if not webhook_event_wanted(organization=request.organization, event_type=event_type):
        return
    data: dict[str, Any] = {
        "interview": interview_document(interview),
        "request": request_document(request, interview=interview),
        "candidate": candidate_document(
            request.application.candidate, time_zone=interview.candidate_time_zone
        ),
        **interview_links(request),
    }
    if event_type == INTERVIEW_RESCHEDULED and previous is not None:
        data["previous"] = {"start": instant_z(previous[0]), "end": instant_z(previous[1])}
    if event_type == INTERVIEW_CANCELLED:
        data["cancelled_by"] = cancelled_by or "recruiter"
        data["reason"] = reason
    if event_type == INTERVIEW_NO_SHOW:
        data["no_show"] = no_show_document(interview)
    webhook_event_record(organization=request.organization, event_type=event_type, data=data)
