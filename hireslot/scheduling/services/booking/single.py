"""Booking, rescheduling and cancelling interviews: safe under any concurrency.

Each takes the request's and its interviewers' locks in the one lock order
(``scheduling.locks``), so two bookings never deadlock and the second one to get the
interviewers' locks sees the first one's interview when it checks the slot again. On SQLite,
IMMEDIATE transactions serialize writers; on PostgreSQL the exclusion constraint on
interviewer bookings is the last line of defence.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.models import User
from hireslot.calendars.connections import busy_live_conflict
from hireslot.conferencing.providers import (
    ConferencingKind,
    ConferencingNotAvailable,
    MeetingSpec,
    conferencing_provider,
)
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.languages import language_normalize
from hireslot.core.request_input import instant_in_range
from hireslot.messaging.webhooks import (
    INTERVIEW_CANCELLED,
    INTERVIEW_RESCHEDULED,
    INTERVIEW_SCHEDULED,
    SCHEDULING_REQUEST_CANCELLED,
    CancelledBy,
)
from hireslot.recruiting.services import task_close_for_interview, task_due_move
from hireslot.scheduling.assignment import interview_holders, seats_people_choose
from hireslot.scheduling.conference import LOCAL_KINDS, phone_number_for
from hireslot.scheduling.errors import (
    AlreadyBookedError,
    RequestClosedError,
    SlotNotOfferedError,
    SlotTakenError,
)
from hireslot.scheduling.models import (
    Effect,
    Interview,
    RequestEvent,
    SchedulingRequest,
)
from hireslot.scheduling.selectors import interview_task_ids
from hireslot.scheduling.services.booking.common import (
    cutoff_check,
    interviewers_hold,
    request_lock,
    zone_check,
)
from hireslot.scheduling.services.booking.loops import loop_book, loop_cancel, loop_reschedule
from hireslot.scheduling.services.effects import effects_write
from hireslot.scheduling.services.nudges import nudges_cancel
from hireslot.scheduling.services.reminders import reminders_cancel, reminders_plan
from hireslot.scheduling.services.reschedule_policy import reschedule_policy_check
from hireslot.scheduling.slots import (
    SeatedSlot,
    availability_of,
    loaded_flag,
    request_interviewers,
    request_seated_slots,
    request_slots,
)
from hireslot.scheduling.webhook_events import interview_event_emit, request_event_emit


def _slot_check(
    request: SchedulingRequest,
    interviewers: list[User],
    start: datetime,
    now: datetime,
    exclude: UUID | None = None,
) -> SeatedSlot | None:
    """Offered and still free, else say which: never offered (400) or taken meanwhile (409).

    Slot starts lie on a wall-clock grid that does not depend on the range asked for (the
    template's interval divides an hour), so the one-minute window around ``start`` answers
    exactly what a full listing would.
    """
    if start.second or start.microsecond:
        raise SlotNotOfferedError(gettext("That time is not one of the offered times."))
    window_end = start + timedelta(minutes=1)
    if request.template.pool_seats_count:
        seated = request_seated_slots(
            request=request,
            start=start,
            end=window_end,
            now=now,
            exclude_interview_id=exclude,
            interviewers=interviewers,
        )
        for found in seated.slots:
            if found.slot.start_at == start:
                return found
    else:
        free = request_slots(
            request=request,
            start=start,
            end=window_end,
            now=now,
            exclude_interview_id=exclude,
            interviewers=interviewers,
        )
        if any(slot.start_at == start for slot in free):
            return None
    if start < now:
        raise SlotNotOfferedError(gettext("That time has already passed; please choose another."))
    possible = request_slots(
        request=request,
        start=start,
        end=window_end,
        now=now,
        rules_only=True,
        interviewers=interviewers,
    )
    if any(slot.start_at == start for slot in possible):
        raise SlotTakenError(gettext("Sorry, that time was just taken or is no longer available."))
    raise SlotNotOfferedError(gettext("That time is not one of the offered times."))


def _meeting_spec(
    interview: Interview, request: SchedulingRequest, interviewers: list[User]
) -> MeetingSpec:
    phone_number = (
        phone_number_for(template_number=request.template.phone_number, interviewers=interviewers)
        if interview.conference_kind == ConferencingKind.PHONE
        else ""
    )
    return MeetingSpec(
        key=str(interview.pk),
        topic=f"{request.template.interview_template.name}: {request.application.candidate.name}",
        start=interview.start,
        duration_minutes=request.duration_minutes,
        host_email=interviewers[0].email if interviewers else "",
        phone_number=phone_number,
    )


def _live_check(request: SchedulingRequest, start: datetime, *, own_uid: str = "") -> None:
    """The chosen window, asked of the interviewers' connected calendars just before
    booking (outside the transaction: a slow provider never holds the locks). People
    without a connected calendar have nothing to ask."""
    if not instant_in_range(start):  # never offered, and the window would overflow
        raise SlotNotOfferedError(gettext("That time is not one of the offered times."))
    people = request_interviewers(request)
    if request.template.pool_seats_count:
        # Pool members are checked against the busy cache only: one busy member must not
        # refuse a time another member is free for.
        fixed = set(request.interviewers.values_list("pk", flat=True))
        people = [user for user in people if user.pk in fixed]
    interviewers = [user for user in people if loaded_flag(user, "has_calendar")]
    if not interviewers:
        return
    buffers = {
        user.pk: (
            availability_of(user).buffer_before_minutes,
            availability_of(user).buffer_after_minutes,
        )
        for user in interviewers
    }
    busy = busy_live_conflict(
        users=interviewers,
        start=start,
        end=start + timedelta(minutes=request.duration_minutes),
        buffers=buffers,
        own_uid=own_uid,
    )
    if busy is not None:
        raise SlotTakenError(gettext("Sorry, that time was just taken or is no longer available."))


def interview_book(
    *,
    request: SchedulingRequest,
    start: datetime,
    candidate_time_zone: str,
    candidate_language: str = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> Interview:
    """Book ``start`` for the request's candidate, with every consequence written as an effect.

    The interviewers' connected calendars are asked about just that window first; then the
    booking itself runs locked in one transaction. A loop template's request books the whole
    loop (``loop_book``) and answers its first session.
    """
    if request.template.loop_sessions_count:
        return loop_book(
            request=request,
            start=start,
            candidate_time_zone=candidate_time_zone,
            candidate_language=candidate_language,
            actor=actor,
            now=now,
        )
    _live_check(request, start)
    return _interview_book(
        request=request,
        start=start,
        candidate_time_zone=candidate_time_zone,
        candidate_language=candidate_language,
        actor=actor,
        now=now,
    )


@transaction.atomic
def _interview_book(
    *,
    request: SchedulingRequest,
    start: datetime,
    candidate_time_zone: str,
    candidate_language: str,
    actor: User | None = None,
    now: datetime | None = None,
) -> Interview:
    now = now or clock.now()
    zone_check(candidate_time_zone)
    locked, interviewers = request_lock(request)
    if locked.status in SchedulingRequest.BOOKED:
        raise AlreadyBookedError(
            gettext("This interview is already booked; you can reschedule it.")
        )
    if locked.status not in SchedulingRequest.WAITING or locked.expires_at <= now:
        raise RequestClosedError(gettext("This scheduling link is no longer available."))
    seated = _slot_check(locked, interviewers, start, now)
    interviewers, assignment = seats_people_choose(locked, interviewers, seated, start)
    kind = locked.template.conferencing
    interview = Interview(
        organization_id=locked.organization_id,
        request=locked,
        application=locked.application,
        interview_template=locked.template.interview_template,
        start=start,
        end=start + timedelta(minutes=locked.duration_minutes),
        candidate_time_zone=candidate_time_zone,
        candidate_language=language_normalize(candidate_language),
        conference_kind=kind,
        assignment=assignment,
    )
    if kind in LOCAL_KINDS:
        # No network: the link exists before the booking commits, so every effect has it.
        try:
            provider = conferencing_provider(kind)
        except ConferencingNotAvailable as error:
            raise HireSlotError(str(error)) from error
        meeting = provider.meeting_create(spec=_meeting_spec(interview, locked, interviewers))
        interview.conference_url = meeting.join_url
        interview.conference_id = meeting.meeting_id
        interview.conference_details = meeting.details
    # Zoom, Meet and Teams links are made by the effects (see scheduling.conference).
    interview.save()
    interviewers_hold(interview, interviewers)
    locked.status = SchedulingRequest.Status.SCHEDULED
    locked.save(update_fields=["status", "updated_at"])
    RequestEvent.objects.create(
        organization_id=locked.organization_id,
        request=locked,
        kind=RequestEvent.Kind.SCHEDULED,
        actor=actor,
        by_candidate=actor is None,
        detail=f"{start:%Y-%m-%d %H:%M} UTC",
    )
    effects_write(
        interview=interview, action=Effect.Action.BOOK, actor=actor, interviewers=interviewers
    )
    reminders_plan(interview=interview, interviewers=interviewers, now=now)  # issue 17
    nudges_cancel(request=locked, reason="The candidate booked.")  # issue 17
    interview_event_emit(interview=interview, event_type=INTERVIEW_SCHEDULED)
    return interview


def _live_interview(interview: Interview, locked: SchedulingRequest) -> Interview:
    fresh = Interview.objects.get(pk=interview.pk)
    if fresh.status != Interview.Status.SCHEDULED:
        raise RequestClosedError(gettext("This interview was cancelled."))
    fresh.request = locked
    return fresh


def interview_reschedule(
    *,
    interview: Interview,
    start: datetime,
    actor: User | None,
    by_candidate: bool,
    candidate_time_zone: str | None = None,
    candidate_language: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> Interview:
    """Move the interview: the same events are updated (same UID, higher SEQUENCE).
    ``reason``: why, as the person said it (on the timeline and in the API)."""
    if interview.loop_id is not None:
        return loop_reschedule(
            interview=interview,
            start=start,
            actor=actor,
            by_candidate=by_candidate,
            candidate_time_zone=candidate_time_zone,
            candidate_language=candidate_language,
            reason=reason,
            now=now,
        )
    _live_check(interview.request, start, own_uid=interview.uid)
    return _interview_reschedule(
        interview=interview,
        start=start,
        actor=actor,
        by_candidate=by_candidate,
        candidate_time_zone=candidate_time_zone,
        candidate_language=candidate_language,
        reason=reason,
        now=now,
    )


@transaction.atomic
def _interview_reschedule(
    *,
    interview: Interview,
    start: datetime,
    actor: User | None,
    by_candidate: bool,
    candidate_time_zone: str | None,
    candidate_language: str,
    now: datetime | None,
    reason: str = "",
) -> Interview:
    now = now or clock.now()
    if candidate_time_zone:
        zone_check(candidate_time_zone)
    locked, interviewers = request_lock(interview.request)
    live = _live_interview(interview, locked)
    cutoff_check(live, locked, now, by_candidate)
    reschedule_policy_check(request=locked, by_candidate=by_candidate)  # issue 17
    if start == live.start:
        raise SlotNotOfferedError(gettext("That is the interview's current time; choose another."))
    seated = _slot_check(locked, interviewers, start, now, exclude=live.pk)
    before = interview_holders(live, interviewers)
    keep: list[UUID | None] = [UUID(entry["user_id"]) for entry in live.assignment]
    interviewers, assignment = seats_people_choose(
        locked, interviewers, seated, start, keep=keep, exclude=live.pk
    )
    if seated is not None:
        live.assignment = assignment
    released = [user for user in before if user not in interviewers]
    previous = live.start
    previous_end = live.end
    live.start, live.end = start, start + timedelta(minutes=locked.duration_minutes)
    live.sequence += 1
    if candidate_time_zone:
        live.candidate_time_zone = candidate_time_zone
    if language_normalize(candidate_language):
        live.candidate_language = language_normalize(candidate_language)
    live.save(
        update_fields=[
            "start",
            "end",
            "sequence",
            "candidate_time_zone",
            "candidate_language",
            "assignment",
            "updated_at",
        ]
    )
    live.bookings.filter(active=True).update(active=False)
    interviewers_hold(live, interviewers)
    task_due_move(task_ids=interview_task_ids(live), by=start - previous)
    locked.status = SchedulingRequest.Status.RESCHEDULED
    locked.save(update_fields=["status", "updated_at"])
    RequestEvent.objects.create(
        organization_id=locked.organization_id,
        request=locked,
        kind=RequestEvent.Kind.RESCHEDULED,
        actor=actor,
        by_candidate=by_candidate,
        detail=f"{previous:%Y-%m-%d %H:%M} → {start:%Y-%m-%d %H:%M} UTC",
        reason=reason.strip()[:2000],  # issue 17
    )
    effects_write(
        interview=live,
        action=Effect.Action.RESCHEDULE,
        actor=actor,
        interviewers=interviewers,
        released=released,
        note="" if by_candidate else reason.strip()[:2000],
    )
    reminders_plan(interview=live, interviewers=interviewers, now=now)  # issue 17: move them
    interview_event_emit(
        interview=live, event_type=INTERVIEW_RESCHEDULED, previous=(previous, previous_end)
    )
    return live


@transaction.atomic
def interview_cancel(
    *,
    interview: Interview,
    actor: User | None,
    by_candidate: bool,
    reason: str = "",
    cancelled_by: CancelledBy | None = None,
    now: datetime | None = None,
) -> Interview:
    """Cancel: events removed, the candidate gets METHOD:CANCEL. A company cancel closes the
    request; a candidate's own cancel leaves their link open until it expires, so they can
    pick a new time (the timeline and the page say who cancelled).

    ``cancelled_by`` is who acted, as webhooks tell it: "api" for an API key; by default
    "candidate" or "recruiter" from ``by_candidate``."""
    if interview.loop_id is not None:
        return loop_cancel(
            interview=interview,
            actor=actor,
            by_candidate=by_candidate,
            reason=reason,
            cancelled_by=cancelled_by,
            now=now,
        )
    now = now or clock.now()
    cancelled_by = cancelled_by or ("candidate" if by_candidate else "recruiter")
    locked, interviewers = request_lock(interview.request)
    live = _live_interview(interview, locked)
    cutoff_check(live, locked, now, by_candidate)
    interviewers = interview_holders(live, interviewers)
    live.status = Interview.Status.CANCELLED
    live.cancelled_at = now
    live.cancel_reason = reason[:2000]
    live.sequence += 1
    live.save(update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"])
    live.bookings.filter(active=True).update(active=False)
    availability_generation_bump(user_ids=[user.pk for user in interviewers])
    task_close_for_interview(task_ids=interview_task_ids(live), now=now)
    locked.status = locked.reopened_status() if by_candidate else SchedulingRequest.Status.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    RequestEvent.objects.create(
        organization_id=locked.organization_id,
        request=locked,
        kind=RequestEvent.Kind.CANCELLED,
        actor=actor,
        by_candidate=by_candidate,
        detail=reason[:2000],
    )
    effects_write(
        interview=live, action=Effect.Action.CANCEL, actor=actor, interviewers=interviewers
    )
    reminders_cancel(interview=live, reason="The interview was cancelled.")  # issue 17
    interview_event_emit(
        interview=live,
        event_type=INTERVIEW_CANCELLED,
        cancelled_by=cancelled_by,
        reason=live.cancel_reason,
    )
    if locked.status == SchedulingRequest.Status.CANCELLED:
        request_event_emit(request=locked, event_type=SCHEDULING_REQUEST_CANCELLED)
    return live
