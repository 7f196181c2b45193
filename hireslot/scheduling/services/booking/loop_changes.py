"""Moving and cancelling a whole interview loop: every live session, under the same locks and
checks as booking it (``loops``), each session changed as a single interview is."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.models import User
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.messaging.webhooks import (
    INTERVIEW_CANCELLED,
    INTERVIEW_RESCHEDULED,
    SCHEDULING_REQUEST_CANCELLED,
    CancelledBy,
    webhook_event_wanted,
)
from hireslot.scheduling.loops import loop_steps
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewLoop,
    RequestEvent,
    SchedulingRequest,
)
from hireslot.scheduling.services.booking.common import (
    cutoff_check,
    interview_cancel_save,
    interview_change_announce,
    interview_move_save,
    move_check,
    request_change_record,
    request_lock,
    zone_check,
)
from hireslot.scheduling.services.booking.loop_sessions import (
    loop_everyone,
    loop_live_check,
    loop_live_sessions,
    loop_seats_draw,
    loop_slot_check,
    session_asked,
    sessions_holders,
)
from hireslot.scheduling.webhook_events import request_event_emit


def loop_reschedule(
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
    """Move the whole loop of ``interview`` to ``start``: every session's events are updated
    (same UIDs, higher SEQUENCE), and the candidate's one invite keeps its UID. Answers
    ``interview`` moved."""
    uids = [
        f"{pk}@hireslot"
        for pk in Interview.objects.filter(
            loop_id=interview.loop_id, status=Interview.Status.SCHEDULED
        )
        .order_by("loop_position")
        .values_list("pk", flat=True)
    ]
    loop_live_check(request=interview.request, start=start, own_uids=uids)
    with transaction.atomic():
        now = now or clock.now()
        if candidate_time_zone:
            zone_check(candidate_time_zone)
        locked, people = request_lock(interview.request)
        loop, sessions = loop_live_sessions(interview=interview, locked=locked)
        move_check(booked=loop, request=locked, start=start, now=now, by_candidate=by_candidate)
        steps = loop_steps(locked)
        if len(steps) != len(sessions):
            raise HireSlotError(
                gettext(
                    "This loop's sessions changed since it was booked; cancel it and book again."
                )
            )
        choice = loop_slot_check(
            request=locked,
            people=people,
            steps=steps,
            start=start,
            now=now,
            exclude_loop_id=loop.pk,
        )
        before = sessions_holders(sessions=sessions, people=people)
        keep = [UUID(entry["user_id"]) for session in sessions for entry in session.assignment]
        holders, records = loop_seats_draw(choice=choice, people=people, start=start, keep=keep)
        previous = loop.start
        loop.start, loop.end = choice.start, choice.end
        loop.sequence += 1
        if candidate_time_zone:
            loop.candidate_time_zone = candidate_time_zone
        loop.save(update_fields=["start", "end", "sequence", "candidate_time_zone", "updated_at"])
        moves = []
        for live, session, held, record, held_before in zip(
            sessions, choice.sessions, holders, records, before, strict=True
        ):
            moves.append((live, (live.start, live.end), [u for u in held_before if u not in held]))
            live.assignment = record
            interview_move_save(
                interview=live,
                start=session.start,
                end=session.end,
                candidate_time_zone=candidate_time_zone,
                candidate_language=candidate_language,
                holders=held,
                shift=start - previous,
            )
        request_change_record(
            request=locked,
            kind=RequestEvent.Kind.RESCHEDULED,
            actor=actor,
            by_candidate=by_candidate,
            detail=f"{loop.name}: {previous:%Y-%m-%d %H:%M} → {start:%Y-%m-%d %H:%M} UTC",
            reason=reason.strip()[:2000],  # issue 17
        )
        everyone = loop_everyone(holders)
        wanted = webhook_event_wanted(
            organization=locked.organization, event_type=INTERVIEW_RESCHEDULED
        )
        for (live, was, released), held in zip(moves, holders, strict=True):
            interview_change_announce(
                interview=live,
                action=Effect.Action.RESCHEDULE,
                actor=actor,
                holders=held,
                now=now,
                released=released,
                loop_people=everyone,
                note="" if by_candidate else reason.strip()[:2000],
                previous=was,
                wanted=wanted,
            )
        return session_asked(sessions=sessions, interview=interview)


@transaction.atomic
def loop_cancel(
    *,
    interview: Interview,
    actor: User | None,
    by_candidate: bool,
    reason: str = "",
    cancelled_by: CancelledBy | None = None,
    now: datetime | None = None,
) -> Interview:
    """Cancel every session of the loop of ``interview`` (as ``interview_cancel`` does one)."""
    now = now or clock.now()
    cancelled_by = cancelled_by or ("candidate" if by_candidate else "recruiter")
    locked, people = request_lock(interview.request)
    loop, sessions = loop_live_sessions(interview=interview, locked=locked)
    cutoff_check(loop, locked, now, by_candidate)
    holders = sessions_holders(sessions=sessions, people=people)
    loop.status = InterviewLoop.Status.CANCELLED
    loop.cancelled_at = now
    loop.sequence += 1
    loop.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    for live in sessions:
        interview_cancel_save(interview=live, reason=reason, now=now)
    everyone = loop_everyone(holders)
    availability_generation_bump(user_ids=[user.pk for user in everyone])
    request_change_record(
        request=locked,
        kind=RequestEvent.Kind.CANCELLED,
        actor=actor,
        by_candidate=by_candidate,
        detail=reason[:2000],
    )
    wanted = webhook_event_wanted(organization=locked.organization, event_type=INTERVIEW_CANCELLED)
    for live, held in zip(sessions, holders, strict=True):
        interview_change_announce(
            interview=live,
            action=Effect.Action.CANCEL,
            actor=actor,
            holders=held,
            now=now,
            loop_people=everyone,
            cancelled_by=cancelled_by,
            wanted=wanted,
        )
    if locked.status == SchedulingRequest.Status.CANCELLED:
        request_event_emit(request=locked, event_type=SCHEDULING_REQUEST_CANCELLED)
    return session_asked(sessions=sessions, interview=interview)
