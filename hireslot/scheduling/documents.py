"""Requests, interviews and candidates as documents for machines: the one representation the
REST API answers with and webhook payloads carry (contract: ``shared/contracts/api.md``).

Plain dicts of JSON values: ids are strings, instants are UTC with ``Z``. The statuses people
see on our pages are richer than what an integrator needs; ``REQUEST_STATUS_OF`` is the one
place that maps ours to the contract's.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hireslot.core import clock
from hireslot.recruiting.models import Candidate
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.models import CandidateAvailability, Interview, SchedulingRequest
from hireslot.scheduling.selectors import effects_of

Status = SchedulingRequest.Status

# Our request status (as ``status_at`` gives it) -> the contract's. A rescheduled request is
# still booked (its interview says when); "failed" means the email could not be delivered.
REQUEST_STATUS_OF: dict[str, str] = {
    Status.PENDING: "pending",
    Status.OPENED: "opened",
    Status.AVAILABILITY_REQUESTED: "availability_requested",
    Status.AVAILABILITY_RECEIVED: "availability_received",
    Status.SCHEDULED: "scheduled",
    Status.RESCHEDULED: "scheduled",
    Status.CANCELLED: "cancelled",
    Status.EXPIRED: "expired",
    Status.FAILED: "failed",
}
# Every status a request document can carry, for the API's schema and ``?status=`` filter.
REQUEST_STATUSES: tuple[str, ...] = tuple(dict.fromkeys(REQUEST_STATUS_OF.values()))
# Contract status -> ours, for filtering (``?status=scheduled`` finds rescheduled ones too).
REQUEST_STATUSES_FOR: dict[str, tuple[str, ...]] = {
    public: tuple(ours for ours, mapped in REQUEST_STATUS_OF.items() if mapped == public)
    for public in REQUEST_STATUSES
}
INTERVIEW_STATUSES: tuple[str, ...] = tuple(Interview.Status.values)


def instant_z(moment: datetime | None) -> str | None:
    """An instant as ISO 8601 in UTC with ``Z`` (seconds; microseconds only when present)."""
    if moment is None:
        return None
    utc = moment.astimezone(UTC)
    text = utc.strftime("%Y-%m-%dT%H:%M:%S")
    if utc.microsecond:
        text += f".{utc.microsecond:06d}"
    return text + "Z"


def request_status(request: SchedulingRequest, now: datetime | None = None) -> str:
    """The request's status in the contract's words."""
    return REQUEST_STATUS_OF[request.status_at(now or clock.now())]


class _NotLookedUp:
    """Marks an interview the caller did not look up (``None`` means: it has none)."""


NOT_LOOKED_UP = _NotLookedUp()


def request_document(
    request: SchedulingRequest,
    *,
    interview: Interview | _NotLookedUp | None = NOT_LOOKED_UP,
    now: datetime | None = None,
) -> dict[str, Any]:
    """``{id, kind, status, link, expires_at, application_id, template_id, interview_id,
    loop}``;
    ``interview_id`` is the request's scheduled interview (a loop's: its first session),
    else its latest one (cancelled), else null; ``loop`` is null for a single interview's
    template, else ``{sessions, id, status, start, end, interview_ids}`` (all but
    ``sessions`` null until booked). Pass ``interview`` (``None`` when there is none) when the
    caller knows it, to spare the queries: a page of requests must not cost one query per
    request."""
    if isinstance(interview, _NotLookedUp):
        interview = (
            request.interviews.filter(status=Interview.Status.SCHEDULED, loop_position=0).first()
            or request.interviews.filter(loop_position=0).order_by("-updated_at").first()
        )
    return {
        "id": str(request.pk),
        "kind": request.kind,
        "status": request_status(request, now),
        "link": scheduling_link(request),
        "expires_at": instant_z(request.expires_at),
        "application_id": str(request.application_id),
        "template_id": str(request.template_id),
        "interview_id": str(interview.pk) if interview is not None else None,
        "loop": _request_loop(request, interview),
    }


def availability_document(availability: CandidateAvailability | None) -> dict[str, Any] | None:
    """``{time_zone, windows: [{start, end}], note, submitted_at}`` the candidate shared (issue
    16), or None when they have not."""
    if availability is None:
        return None
    return {
        "time_zone": availability.time_zone,
        "windows": [
            {"start": instant_z(window.start), "end": instant_z(window.end)}
            for window in sorted(availability.windows.all(), key=lambda w: w.start)
        ],
        "note": availability.note,
        "submitted_at": instant_z(availability.submitted_at),
    }


def _request_loop(request: SchedulingRequest, lead: Interview | None) -> dict[str, Any] | None:
    if not request.template.loop_sessions_count:
        return None
    loop = lead.loop if lead is not None and lead.loop_id is not None else None
    if loop is None:
        return {
            "sessions": request.template.loop_sessions_count,
            "id": None,
            "status": None,
            "start": None,
            "end": None,
            "interview_ids": [],
        }
    ids = loop.interviews.filter(status=lead.status if lead else Interview.Status.SCHEDULED)
    return {
        "sessions": request.template.loop_sessions_count,
        "id": str(loop.pk),
        "status": loop.status,
        "start": instant_z(loop.start),
        "end": instant_z(loop.end),
        "interview_ids": [
            str(pk) for pk in ids.order_by("loop_position").values_list("pk", flat=True)
        ],
    }


def interview_interviewers(interview: Interview) -> list[dict[str, str]]:
    """The people holding (or, once cancelled, who last held) the interview's time."""
    bookings = interview.bookings.filter(start=interview.start, end=interview.end)
    if interview.status == Interview.Status.SCHEDULED:
        bookings = bookings.filter(active=True)
    people: dict[str, dict[str, str]] = {}
    for booking in bookings.select_related("interviewer").order_by("created_at"):
        user = booking.interviewer
        people.setdefault(
            str(user.pk),
            {"id": str(user.pk), "name": user.get_full_name() or user.email, "email": user.email},
        )
    return list(people.values())


def interview_document(interview: Interview) -> dict[str, Any]:
    """``{id, request_id, start, end, status, interviewers, assignment, conference_url,
    steps, loop_id, loop_position}``; ``assignment`` says who was drawn from each pool seat
    and why (``{pool_id, pool, user_id, name, reason}``; empty for a fixed panel); the steps
    are the effects ledger, oldest first; a loop's session names its loop and its place in
    it (0 first), a single interview has both null."""
    return {
        "id": str(interview.pk),
        "request_id": str(interview.request_id),
        "start": instant_z(interview.start),
        "end": instant_z(interview.end),
        "status": interview.status,
        "interviewers": interview_interviewers(interview),
        "assignment": list(interview.assignment),
        "conference_url": interview.conference_url,
        "steps": [
            {
                "kind": effect.kind,
                "action": effect.action,
                "state": effect.state,
                "attempts": effect.attempts,
                "last_error": effect.last_error,
            }
            for effect in effects_of(interview)
        ],
        "loop_id": str(interview.loop_id) if interview.loop_id is not None else None,
        "loop_position": interview.loop_position if interview.loop_id is not None else None,
    }


def candidate_document(candidate: Candidate, *, time_zone: str = "") -> dict[str, str]:
    """``{id, name, email, time_zone}``: the zone the candidate booked in when given (the
    interview's), else the one on their record (may be empty)."""
    return {
        "id": str(candidate.pk),
        "name": candidate.name,
        "email": candidate.email,
        "time_zone": time_zone or candidate.time_zone,
    }


def interview_links(request: SchedulingRequest) -> dict[str, str]:
    """Where the candidate reschedules or cancels: their own page, opened on that change
    (the page's buttons link the same; the change itself is a POST from there)."""
    link = scheduling_link(request)
    return {"reschedule_url": f"{link}?change=reschedule", "cancel_url": f"{link}?change=cancel"}
