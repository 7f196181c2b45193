"""Booking, rescheduling and cancelling interviews: safe under any concurrency.

Each takes the request's and its interviewers' locks in the one lock order
(``scheduling.locks``), so two bookings never deadlock and the second one to get the
interviewers' locks sees the first one's interview when it checks the slot again. On SQLite,
IMMEDIATE transactions serialize writers; on PostgreSQL the exclusion constraint on
interviewer bookings is the last line of defence. A loop's request or session acts on the
whole loop (``loops``, ``loop_changes``), through the same steps (``common``).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.models import User
from hireslot.core import clock
from hireslot.core.languages import language_normalize
from hireslot.core.request_input import instant_in_range
from hireslot.messaging.webhooks import SCHEDULING_REQUEST_CANCELLED, CancelledBy
from hireslot.scheduling.assignment import interview_holders, seats_people_choose
from hireslot.scheduling.errors import RequestClosedError, SlotNotOfferedError
from hireslot.scheduling.models import (
    Effect,
    Interview,
    RequestEvent,
    SchedulingRequest,
)
from hireslot.scheduling.services.booking.common import (
    calendars_busy_check,
    cutoff_check,
    interview_cancel_save,
    interview_change_announce,
    interview_move_save,
    interviewers_hold,
    meeting_attach,
    move_check,
    request_change_record,
    request_lock,
    request_open_check,
    slot_grid_check,
    slot_refuse,
    zone_check,
)
from hireslot.scheduling.services.booking.loop_changes import loop_cancel, loop_reschedule
from hireslot.scheduling.services.booking.loops import loop_book
from hireslot.scheduling.services.nudges import nudges_cancel
from hireslot.scheduling.services.reschedule_policy import candidate_reason_check
from hireslot.scheduling.slots import (
    SeatedSlot,
    loaded_flag,
    request_interviewers,
    request_seated_slots,
    request_slots,
)
from hireslot.scheduling.webhook_events import request_event_emit


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
    slot_grid_check(start=start)
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

    def rules_offer() -> bool:
        possible = request_slots(
            request=request,
            start=start,
            end=window_end,
            now=now,
            rules_only=True,
            interviewers=interviewers,
        )
        return any(slot.start_at == start for slot in possible)

    slot_refuse(start=start, now=now, rules_offer=rules_offer)


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
    calendars_busy_check(
        users=interviewers,
        start=start,
        end=start + timedelta(minutes=request.duration_minutes),
        own_uid=own_uid,
    )


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
    with transaction.atomic():
        now = now or clock.now()
        zone_check(candidate_time_zone)
        locked, interviewers = request_lock(request)
        request_open_check(request=locked, now=now)
        seated = _slot_check(locked, interviewers, start, now)
        interviewers, assignment = seats_people_choose(locked, interviewers, seated, start)
        interview = Interview(
            organization_id=locked.organization_id,
            request=locked,
            application=locked.application,
            interview_template=locked.template.interview_template,
            start=start,
            end=start + timedelta(minutes=locked.duration_minutes),
            candidate_time_zone=candidate_time_zone,
            candidate_language=language_normalize(candidate_language),
            conference_kind=locked.template.conferencing,
            assignment=assignment,
        )
        meeting_attach(
            interview=interview,
            request=locked,
            holders=interviewers,
            key=str(interview.pk),
            topic=f"{locked.template.interview_template.name}: {locked.application.candidate.name}",
        )
        interview.save()
        interviewers_hold(interview, interviewers)
        request_change_record(
            request=locked,
            kind=RequestEvent.Kind.SCHEDULED,
            actor=actor,
            by_candidate=actor is None,
            detail=f"{start:%Y-%m-%d %H:%M} UTC",
        )
        interview_change_announce(
            interview=interview,
            action=Effect.Action.BOOK,
            actor=actor,
            holders=interviewers,
            now=now,
        )
        nudges_cancel(request=locked, reason="The candidate booked.")  # issue 17
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
    candidate_reason_check(request=interview.request, by_candidate=by_candidate, reason=reason)
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
    with transaction.atomic():
        now = now or clock.now()
        if candidate_time_zone:
            zone_check(candidate_time_zone)
        locked, interviewers = request_lock(interview.request)
        live = _live_interview(interview, locked)
        move_check(booked=live, request=locked, start=start, now=now, by_candidate=by_candidate)
        seated = _slot_check(locked, interviewers, start, now, exclude=live.pk)
        before = interview_holders(live, interviewers)
        keep: list[UUID | None] = [UUID(entry["user_id"]) for entry in live.assignment]
        interviewers, assignment = seats_people_choose(
            locked, interviewers, seated, start, keep=keep, exclude=live.pk
        )
        if seated is not None:
            live.assignment = assignment
        released = [user for user in before if user not in interviewers]
        previous = (live.start, live.end)
        interview_move_save(
            interview=live,
            start=start,
            end=start + timedelta(minutes=locked.duration_minutes),
            candidate_time_zone=candidate_time_zone,
            candidate_language=candidate_language,
            holders=interviewers,
            shift=start - previous[0],
        )
        request_change_record(
            request=locked,
            kind=RequestEvent.Kind.RESCHEDULED,
            actor=actor,
            by_candidate=by_candidate,
            detail=f"{previous[0]:%Y-%m-%d %H:%M} → {start:%Y-%m-%d %H:%M} UTC",
            reason=reason.strip()[:2000],  # issue 17
        )
        interview_change_announce(
            interview=live,
            action=Effect.Action.RESCHEDULE,
            actor=actor,
            holders=interviewers,
            now=now,
            released=released,
            note="" if by_candidate else reason.strip()[:2000],
            previous=previous,
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
    candidate_reason_check(request=interview.request, by_candidate=by_candidate, reason=reason)
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
    interview_cancel_save(interview=live, reason=reason, now=now)
    availability_generation_bump(user_ids=[user.pk for user in interviewers])
    request_change_record(
        request=locked,
        kind=RequestEvent.Kind.CANCELLED,
        actor=actor,
        by_candidate=by_candidate,
        detail=reason[:2000],
    )
    interview_change_announce(
        interview=live,
        action=Effect.Action.CANCEL,
        actor=actor,
        holders=interviewers,
        now=now,
        cancelled_by=cancelled_by,
    )
    if locked.status == SchedulingRequest.Status.CANCELLED:
        request_event_emit(request=locked, event_type=SCHEDULING_REQUEST_CANCELLED)
    return live
