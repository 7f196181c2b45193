"""Self-schedule templates, scheduling requests (send, read, cancel, the candidate's slots
and booking for them) and interviews (read, reschedule, cancel, their steps)."""

from __future__ import annotations

import operator
from datetime import timedelta
from functools import reduce
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from hireslot.accounts.tenancy import scoped
from hireslot.api import shapes
from hireslot.api.auth import api_key_of, organization_of
from hireslot.api.errors import InputError
from hireslot.api.keys import api_key_actor
from hireslot.api.lookups import body_object, path_object
from hireslot.api.pagination import PageQuery, page_of
from hireslot.api.routes.common import READ_ERRORS, WRITE_ERRORS
from hireslot.api.schemas import (
    BookIn,
    CancelIn,
    Error,
    InterviewDetailOut,
    InterviewFilter,
    InterviewOut,
    InterviewPage,
    NoShowIn,
    RequestFilter,
    RescheduleIn,
    SchedulingRequestDetailOut,
    SchedulingRequestIn,
    SchedulingRequestOut,
    SchedulingRequestPage,
    SelfScheduleTemplateOut,
    SelfScheduleTemplatePage,
    SlotsOut,
    SlotsQuery,
    StepPage,
)
from hireslot.core import clock
from hireslot.core.timezones import is_known_time_zone, zone_canonical
from hireslot.recruiting.models import Application
from hireslot.scheduling.documents import (
    REQUEST_STATUSES_FOR,
    availability_document,
    instant_z,
)
from hireslot.scheduling.errors import RequestClosedError
from hireslot.scheduling.follow_up_documents import (
    no_show_document,
    nudge_documents,
    reminder_documents,
    reschedule_documents,
)
from hireslot.scheduling.models import Interview, SchedulingRequest, SelfScheduleTemplate
from hireslot.scheduling.selectors import (
    default_zone,
    effects_of,
    is_closed,
    offered_slots,
    requests_in_status,
)
from hireslot.scheduling.services import (
    interview_book,
    interview_cancel,
    interview_reschedule,
    scheduling_request_cancel,
    scheduling_request_send,
)
from hireslot.scheduling.services.no_shows import interview_no_show_mark
from hireslot.scheduling.suggestions import (
    availability_of_request,
    availability_suggestions,
    is_inside_windows,
)

router = Router()

MAX_SLOT_DAYS = 62


# --- Self-schedule templates ------------------------------------------------------------------


@router.get(
    "/self-schedule-templates",
    response={200: SelfScheduleTemplatePage, **READ_ERRORS},
    tags=["Templates"],
)
def self_schedule_template_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """What a scheduling request is sent from: the interview, its length, who interviews."""
    return page_of(
        scoped(SelfScheduleTemplate, organization_of(request)),
        page,
        shapes.self_schedule_template_items,
    )


@router.get(
    "/self-schedule-templates/{template_id}",
    response={200: SelfScheduleTemplateOut, **READ_ERRORS},
    tags=["Templates"],
)
def self_schedule_template_detail(request: HttpRequest, template_id: str) -> dict[str, Any]:
    template = path_object(request, SelfScheduleTemplate, template_id)
    return shapes.self_schedule_template_items([template])[0]


# --- Scheduling requests ----------------------------------------------------------------------


def _request(request: HttpRequest, request_id: str) -> SchedulingRequest:
    return path_object(
        request,
        SchedulingRequest.objects.select_related(
            "organization", "template", "application__candidate"
        ),
        request_id,
    )


def _request_document(scheduling_request: SchedulingRequest) -> dict[str, Any]:
    return shapes.request_items([scheduling_request])[0]


@router.get(
    "/scheduling-requests",
    response={200: SchedulingRequestPage, **READ_ERRORS},
    tags=["Scheduling requests"],
)
def scheduling_request_list(
    request: HttpRequest, page: Query[PageQuery], filters: Query[RequestFilter]
) -> dict[str, Any]:
    """Requests sent to candidates; `?status=` as answered (an unanswered link past its
    expiry is `expired`)."""
    rows = scoped(SchedulingRequest, organization_of(request))
    if filters.status is not None:
        now = clock.now()
        matching = [
            requests_in_status(rows, status, now) for status in REQUEST_STATUSES_FOR[filters.status]
        ]
        rows = reduce(operator.or_, matching)
    return page_of(rows, page, shapes.request_items)


@router.post(
    "/scheduling-requests",
    response={201: SchedulingRequestOut, **WRITE_ERRORS},
    tags=["Scheduling requests"],
)
def scheduling_request_create(request: HttpRequest, payload: SchedulingRequestIn) -> Status[Any]:
    """Send a candidate a self-scheduling link, refused for the same reasons as on the
    candidate's page (409 or 400 with the reason). `send_email: false` answers the link
    without emailing it, for a system that sends its own message."""
    application = body_object(
        request,
        Application.objects.select_related("candidate", "job__hiring_manager", "organization"),
        payload.application_id,
        field="application_id",
        noun="application",
    )
    template = body_object(
        request,
        SelfScheduleTemplate.objects.select_related("email_template", "interview_template"),
        payload.template_id,
        field="template_id",
        noun="self-schedule template",
    )
    sent = scheduling_request_send(
        application=application,
        template=template,
        sender=api_key_actor(api_key_of(request)),
        send_email=payload.send_email,
        kind=payload.kind,
    )
    return Status(201, _request_document(sent.request))


@router.get(
    "/scheduling-requests/{request_id}",
    response={200: SchedulingRequestDetailOut, **READ_ERRORS},
    tags=["Scheduling requests"],
)
def scheduling_request_detail(request: HttpRequest, request_id: str) -> dict[str, Any]:
    scheduling_request = _request(request, request_id)
    availability = availability_of_request(scheduling_request)
    now = clock.now()
    # Only a request that can still be booked has times to suggest.
    suggestions = (
        availability_suggestions(request=scheduling_request, availability=availability, now=now)
        if availability is not None
        and scheduling_request.status in SchedulingRequest.WAITING
        and not is_closed(scheduling_request, now)
        else []
    )
    return {
        **_request_document(scheduling_request),
        "nudges": nudge_documents(scheduling_request),  # issue 17
        # issue 16
        "availability": availability_document(availability),
        "suggestions": [
            {"start": instant_z(found.start), "end": instant_z(found.end)} for found in suggestions
        ],
    }


@router.post(
    "/scheduling-requests/{request_id}/cancel",
    response={200: SchedulingRequestOut, **WRITE_ERRORS},
    tags=["Scheduling requests"],
    summary="Scheduling Request Cancel",
)
def scheduling_request_cancel_route(request: HttpRequest, request_id: str) -> dict[str, Any]:
    """Withdraw the request (its link stops working); a booked interview is cancelled too."""
    cancelled = scheduling_request_cancel(
        request=_request(request, request_id),
        actor=api_key_actor(api_key_of(request)),
        cancelled_by="api",
    )
    return _request_document(cancelled)


@router.get(
    "/scheduling-requests/{request_id}/slots",
    response={200: SlotsOut, **READ_ERRORS, 409: Error},
    tags=["Scheduling requests"],
)
def scheduling_request_slots(
    request: HttpRequest, request_id: str, window: Query[SlotsQuery]
) -> dict[str, Any]:
    """Exactly the times the candidate's page offers in [`from`, `to`) (at most 62 days),
    for a system that shows its own picker."""
    scheduling_request = _request(request, request_id)
    now = clock.now()
    if is_closed(scheduling_request, now):
        raise RequestClosedError("This scheduling request is cancelled or expired.")
    start = window.from_ or now
    end = window.to or start + timedelta(days=MAX_SLOT_DAYS)
    if end <= start:
        raise InputError("to", "Must be after “from”.")
    if end - start > timedelta(days=MAX_SLOT_DAYS):
        raise InputError("to", f"Ask for at most {MAX_SLOT_DAYS} days at a time.")
    slots = offered_slots(request=scheduling_request, start=start, end=end, now=now)
    return {
        "slots": [
            {"start": instant_z(slot.start_at), "end": instant_z(slot.end_at)} for slot in slots
        ]
    }


@router.post(
    "/scheduling-requests/{request_id}/book",
    response={201: InterviewOut, **WRITE_ERRORS},
    tags=["Scheduling requests"],
)
def scheduling_request_book(request: HttpRequest, request_id: str, payload: BookIn) -> Status[Any]:
    """Book one of the offered times on the candidate's behalf, as if they had picked it:
    409 if it is no longer free, 400 if it was never offered. Once the candidate shared their
    availability, only a suggestion (an offered time inside one of their windows), in their
    zone unless `time_zone` says otherwise."""
    scheduling_request = _request(request, request_id)
    availability = availability_of_request(scheduling_request)
    if availability is not None and scheduling_request.status not in SchedulingRequest.BOOKED:
        end = payload.start + timedelta(minutes=scheduling_request.duration_minutes)
        if not is_inside_windows(availability=availability, start=payload.start, end=end):
            raise InputError(
                "start", "Not one of the suggestions: it is outside the candidate's windows."
            )
    zone = (
        payload.time_zone
        or (availability.time_zone if availability is not None else "")
        or default_zone(scheduling_request)
    )
    if not is_known_time_zone(zone):
        raise InputError("time_zone", f"“{zone[:64]}” is not a known time zone.")
    interview = interview_book(
        request=scheduling_request,
        start=payload.start,
        candidate_time_zone=zone_canonical(zone) or zone,
        candidate_language=scheduling_request.application.candidate.language,
    )
    return Status(201, shapes.interview_items([interview])[0])


# --- Interviews -------------------------------------------------------------------------------


def _interview(request: HttpRequest, interview_id: str) -> Interview:
    return path_object(request, Interview.objects.select_related("request__template"), interview_id)


def _interview_document(interview: Interview) -> dict[str, Any]:
    return shapes.interview_items([Interview.objects.get(pk=interview.pk)])[0]


@router.get("/interviews", response={200: InterviewPage, **READ_ERRORS}, tags=["Interviews"])
def interview_list(
    request: HttpRequest, page: Query[PageQuery], filters: Query[InterviewFilter]
) -> dict[str, Any]:
    """Interviews, newest first; `from` and `to` keep those starting in [from, to)."""
    rows = scoped(Interview, organization_of(request))
    if filters.from_ is not None:
        rows = rows.filter(start__gte=filters.from_)
    if filters.to is not None:
        rows = rows.filter(start__lt=filters.to)
    return page_of(rows, page, shapes.interview_items)


def _interview_detail_document(interview: Interview) -> dict[str, Any]:
    """issue 17: the interview with its reminders and no-show."""
    return {
        **shapes.interview_items([interview])[0],
        "reminders": reminder_documents(interview),
        "no_show": no_show_document(interview),
        "reschedules": reschedule_documents(interview),
    }


@router.get(
    "/interviews/{interview_id}",
    response={200: InterviewDetailOut, **READ_ERRORS},
    tags=["Interviews"],
)
def interview_detail(request: HttpRequest, interview_id: str) -> dict[str, Any]:
    return _interview_detail_document(_interview(request, interview_id))


@router.post(
    "/interviews/{interview_id}/no-show",
    response={200: InterviewDetailOut, **WRITE_ERRORS},
    tags=["Interviews"],
    summary="Interview No-Show",
)
def interview_no_show_route(
    request: HttpRequest, interview_id: str, payload: NoShowIn
) -> dict[str, Any]:
    """Mark that the candidate (or an interviewer) did not come: only once the interview has
    started (409 before). The template's follow-up runs and `interview.no_show` is sent."""
    interview = _interview(request, interview_id)
    interview_no_show_mark(
        interview=interview,
        who=payload.who,
        note=payload.note,
        actor=api_key_actor(api_key_of(request)),
    )
    return _interview_detail_document(Interview.objects.get(pk=interview.pk))


@router.get(
    "/interviews/{interview_id}/steps",
    response={200: StepPage, **READ_ERRORS},
    tags=["Interviews"],
)
def interview_steps(
    request: HttpRequest, interview_id: str, page: Query[PageQuery]
) -> dict[str, Any]:
    """The interview's steps (calendar events, video link, invite email, task, stage move,
    notifications): each one's state, attempts and last error."""
    return page_of(effects_of(_interview(request, interview_id)), page, shapes.step_items)


@router.post(
    "/interviews/{interview_id}/reschedule",
    response={200: InterviewOut, **WRITE_ERRORS},
    tags=["Interviews"],
    summary="Interview Reschedule",
)
def interview_reschedule_route(
    request: HttpRequest, interview_id: str, payload: RescheduleIn
) -> dict[str, Any]:
    """Move the interview to another offered time: 409 if it is no longer free, 400 if it
    is not an offered time. Calendars and the candidate's invite are updated."""
    moved = interview_reschedule(
        interview=_interview(request, interview_id),
        start=payload.start,
        actor=api_key_actor(api_key_of(request)),
        by_candidate=False,
        reason=payload.reason,
    )
    return _interview_document(moved)


@router.post(
    "/interviews/{interview_id}/cancel",
    response={200: InterviewOut, **WRITE_ERRORS},
    tags=["Interviews"],
    summary="Interview Cancel",
)
def interview_cancel_route(
    request: HttpRequest, interview_id: str, payload: CancelIn | None = None
) -> dict[str, Any]:
    """Cancel (the body is optional): the events are removed and the candidate is told."""
    cancelled = interview_cancel(
        interview=_interview(request, interview_id),
        actor=api_key_actor(api_key_of(request)),
        by_candidate=False,
        reason=payload.reason if payload is not None else "",
        cancelled_by="api",
    )
    return _interview_document(cancelled)
