"""Booking, moving and cancelling a whole interview loop: every session or none.

The request and everyone the loop may involve (every session's people and pool members) are
locked in the one lock order (``scheduling.locks``) before any session is checked; the whole
loop is then checked again against fresh busy data (the booking's own reads, under the
locks), after the fixed people's connected calendars were asked about each session's window
(outside the transaction, as for a single interview). Every session becomes its own
``Interview`` with its own bookings and effects, grouped under one ``InterviewLoop``; any
refusal raised on the way rolls the whole transaction back, so no half-booked loop remains.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    webhook_event_wanted,
)
from hireslot.recruiting.services import task_close_for_interview, task_due_move
from hireslot.scheduling.assignment import seats_assign
from hireslot.scheduling.conference import LOCAL_KINDS, phone_number_for
from hireslot.scheduling.errors import (
    AlreadyBookedError,
    RequestClosedError,
    SlotNotOfferedError,
    SlotTakenError,
)
from hireslot.scheduling.loops import (
    LoopChoice,
    LoopStep,
    loop_request_people,
    loop_steps,
    request_loop_slots,
)
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewerBooking,
    InterviewLoop,
    LoopConference,
    RequestEvent,
    SchedulingRequest,
)
from hireslot.scheduling.selectors import interview_task_ids
from hireslot.scheduling.services.booking.common import (
    TAKEN,
    cutoff_check,
    interviewers_hold,
    request_lock,
    zone_check,
)
from hireslot.scheduling.services.effects import effects_write
from hireslot.scheduling.services.nudges import nudges_cancel
from hireslot.scheduling.services.reminders import reminders_cancel, reminders_plan
from hireslot.scheduling.services.reschedule_policy import reschedule_policy_check
from hireslot.scheduling.slots import availability_of, loaded_flag
from hireslot.scheduling.webhook_events import interview_event_emit, request_event_emit


def _session_windows(steps: Sequence[LoopStep], start: datetime) -> list[tuple[datetime, datetime]]:
    windows = []
    at = start
    for step in steps:
        end = at + timedelta(minutes=step.minutes)
        windows.append((at, end))
        at = end + timedelta(minutes=step.gap_after)
    return windows


def _live_check(
    request: SchedulingRequest, start: datetime, *, own_uids: Sequence[str] = ()
) -> None:
    """Each session's window asked of its fixed people's connected calendars (outside the
    transaction: a slow provider never holds the locks). Pool members are checked against
    the busy cache only, as for single interviews with pool seats."""
    if not instant_in_range(start):
        raise SlotNotOfferedError(gettext("That time is not one of the offered times."))
    steps = loop_steps(request)
    fixed = {pk for step in steps for pk in step.fixed_ids}
    people = {
        user.pk: user
        for user in loop_request_people(request)
        if user.pk in fixed and loaded_flag(user, "has_calendar")
    }
    if not people:
        return
    for index, (step, (begin, end)) in enumerate(
        zip(steps, _session_windows(steps, start), strict=True)
    ):
        users = [people[pk] for pk in step.fixed_ids if pk in people]
        if not users:
            continue
        buffers = {
            user.pk: (
                availability_of(user).buffer_before_minutes,
                availability_of(user).buffer_after_minutes,
            )
            for user in users
        }
        busy = busy_live_conflict(
            users=users,
            start=begin,
            end=end,
            buffers=buffers,
            own_uid=own_uids[index] if index < len(own_uids) else "",
        )
        if busy is not None:
            raise SlotTakenError(gettext(TAKEN))


def _loop_check(
    request: SchedulingRequest,
    people: list[User],
    steps: list[LoopStep],
    start: datetime,
    now: datetime,
    exclude_loop_id: UUID | None = None,
) -> LoopChoice:
    """The loop at ``start``, offered and still free for every session; else say which:
    never offered (400) or taken meanwhile (409). Loop starts lie on the same wall-clock grid
    as single slots, so the one-minute window around ``start`` answers exactly."""
    if start.second or start.microsecond:
        raise SlotNotOfferedError(gettext("That time is not one of the offered times."))
    window_end = start + timedelta(minutes=1)
    for choice in request_loop_slots(
        request=request,
        start=start,
        end=window_end,
        now=now,
        exclude_loop_id=exclude_loop_id,
        interviewers=people,
        steps=steps,
    ):
        if choice.start == start:
            return choice
    if start < now:
        raise SlotNotOfferedError(gettext("That time has already passed; please choose another."))
    possible = request_loop_slots(
        request=request,
        start=start,
        end=window_end,
        now=now,
        rules_only=True,
        interviewers=people,
        steps=steps,
    )
    if any(choice.start == start for choice in possible):
        raise SlotTakenError(gettext(TAKEN))
    raise SlotNotOfferedError(gettext("That time is not one of the offered times."))


def _draw(
    choice: LoopChoice,
    people: list[User],
    start: datetime,
    keep: Sequence[UUID | None] = (),
) -> tuple[list[list[User]], list[list[dict[str, str]]]]:
    """Per session, who holds it (its fixed people, then one different person per seat
    across the whole loop, ``assignment.seats_assign``) and the record of who was drawn."""
    by_id = {user.pk: user for user in people}
    choices = seats_assign(
        seats=choice.steps_seats(), free=choice.seat_free(), people=by_id, start=start, keep=keep
    )
    holders: list[list[User]] = []
    records: list[list[dict[str, str]]] = []
    offset = 0
    for session in choice.sessions:
        drawn = choices[offset : offset + len(session.step.seats)]
        offset += len(session.step.seats)
        holders.append([by_id[pk] for pk in session.step.fixed_ids] + [c.user for c in drawn])
        records.append([c.as_record() for c in drawn])
    return holders, records


def _meeting_for(
    interview: Interview,
    request: SchedulingRequest,
    holders: list[User],
    *,
    key: str,
    topic: str,
) -> None:
    """A Jitsi or phone link made now (no network); other kinds are made by the effects."""
    kind = interview.conference_kind
    if kind not in LOCAL_KINDS:
        return
    try:
        provider = conferencing_provider(kind)
    except ConferencingNotAvailable as error:
        raise HireSlotError(str(error)) from error
    phone = (
        phone_number_for(template_number=request.template.phone_number, interviewers=holders)
        if kind == ConferencingKind.PHONE
        else ""
    )
    meeting = provider.meeting_create(
        spec=MeetingSpec(
            key=key,
            topic=topic,
            start=interview.start,
            duration_minutes=int((interview.end - interview.start).total_seconds() // 60),
            host_email=holders[0].email if holders else "",
            phone_number=phone,
        )
    )
    interview.conference_url = meeting.join_url
    interview.conference_id = meeting.meeting_id
    interview.conference_details = meeting.details


def loop_book(
    *,
    request: SchedulingRequest,
    start: datetime,
    candidate_time_zone: str,
    candidate_language: str = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> Interview:
    """Book the whole loop starting at ``start``: every session, or none. Answers the first
    session (the request's live interview); ``interview.loop`` is the loop."""
    _live_check(request, start)
    return _loop_book(
        request=request,
        start=start,
        candidate_time_zone=candidate_time_zone,
        candidate_language=candidate_language,
        actor=actor,
        now=now,
    )


@transaction.atomic
def _loop_book(
    *,
    request: SchedulingRequest,
    start: datetime,
    candidate_time_zone: str,
    candidate_language: str,
    actor: User | None,
    now: datetime | None,
) -> Interview:
    now = now or clock.now()
    zone_check(candidate_time_zone)
    locked, people = request_lock(request)
    if locked.status in SchedulingRequest.BOOKED:
        raise AlreadyBookedError(
            gettext("This interview is already booked; you can reschedule it.")
        )
    if locked.status not in SchedulingRequest.WAITING or locked.expires_at <= now:
        raise RequestClosedError(gettext("This scheduling link is no longer available."))
    steps = loop_steps(locked)
    choice = _loop_check(locked, people, steps, start, now)
    holders, records = _draw(choice, people, start)
    template = locked.template
    loop = InterviewLoop.objects.create(
        organization_id=locked.organization_id,
        request=locked,
        application=locked.application,
        name=template.name,
        start=choice.start,
        end=choice.end,
        calendar_mode=template.loop_calendar,
        candidate_time_zone=candidate_time_zone,
    )
    candidate = locked.application.candidate.name
    shared = template.loop_conference == LoopConference.SHARED
    interviews: list[Interview] = []
    for session, held, record in zip(choice.sessions, holders, records, strict=True):
        interview = Interview(
            organization_id=locked.organization_id,
            request=locked,
            application=locked.application,
            interview_template=session.step.interview_template,
            start=session.start,
            end=session.end,
            candidate_time_zone=candidate_time_zone,
            candidate_language=language_normalize(candidate_language),
            conference_kind=session.step.conferencing,
            assignment=record,
            loop=loop,
            loop_position=session.step.position,
        )
        first = interviews[0] if interviews else None
        if shared and first is not None and first.conference_kind == interview.conference_kind:
            # One link for the whole loop: the first session's, when it needs no network.
            interview.conference_url = first.conference_url
            interview.conference_id = first.conference_id
            interview.conference_details = first.conference_details
        else:
            _meeting_for(
                interview,
                locked,
                held,
                key=str(loop.pk) if shared else str(interview.pk),
                topic=f"{loop.name if shared else session.step.name}: {candidate}",
            )
        interview.save(force_insert=True)
        interviewers_hold(interview, held)
        interviews.append(interview)
    locked.status = SchedulingRequest.Status.SCHEDULED
    locked.save(update_fields=["status", "updated_at"])
    RequestEvent.objects.create(
        organization_id=locked.organization_id,
        request=locked,
        kind=RequestEvent.Kind.SCHEDULED,
        actor=actor,
        by_candidate=actor is None,
        detail=f"{loop.name}: {start:%Y-%m-%d %H:%M} UTC, {len(interviews)} sessions",
    )
    everyone = _everyone(holders)
    wanted = webhook_event_wanted(organization=locked.organization, event_type=INTERVIEW_SCHEDULED)
    for interview, held in zip(interviews, holders, strict=True):
        effects_write(
            interview=interview,
            action=Effect.Action.BOOK,
            actor=actor,
            interviewers=held,
            loop_people=everyone,
        )
        reminders_plan(interview=interview, interviewers=held, now=now)  # issue 17
        interview_event_emit(interview=interview, event_type=INTERVIEW_SCHEDULED, wanted=wanted)
    nudges_cancel(request=locked, reason="The candidate booked.")  # issue 17
    return interviews[0]


def _everyone(holders: list[list[User]]) -> list[User]:
    people = {user.pk: user for held in holders for user in held}
    return sorted(people.values(), key=lambda user: str(user.pk))


def _loop_of(
    interview: Interview, locked: SchedulingRequest
) -> tuple[InterviewLoop, list[Interview]]:
    """The live loop of ``interview`` and its live sessions in order, read under the locks."""
    loop = InterviewLoop.objects.filter(interviews=interview).first()
    if loop is None or loop.status != InterviewLoop.Status.SCHEDULED:
        raise RequestClosedError(gettext("This interview was cancelled."))
    sessions = list(
        loop.interviews.filter(status=Interview.Status.SCHEDULED).order_by("loop_position")
    )
    for session in sessions:
        session.request = locked
        session.loop = loop
    return loop, sessions


def _holders_of(sessions: list[Interview], people: list[User]) -> list[list[User]]:
    by_id = {user.pk: user for user in people}
    held: dict[UUID, list[UUID]] = {}
    for interview_id, user_id in InterviewerBooking.objects.filter(
        interview__in=sessions, active=True
    ).values_list("interview_id", "interviewer_id"):
        held.setdefault(interview_id, []).append(user_id)
    return [
        sorted((by_id[pk] for pk in held.get(s.pk, []) if pk in by_id), key=lambda u: str(u.pk))
        for s in sessions
    ]


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
    _live_check(interview.request, start, own_uids=uids)
    return _loop_reschedule(
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
def _loop_reschedule(
    *,
    interview: Interview,
    start: datetime,
    actor: User | None,
    by_candidate: bool,
    candidate_time_zone: str | None,
    candidate_language: str,
    reason: str,
    now: datetime | None,
) -> Interview:
    now = now or clock.now()
    if candidate_time_zone:
        zone_check(candidate_time_zone)
    locked, people = request_lock(interview.request)
    loop, sessions = _loop_of(interview, locked)
    cutoff_check(loop, locked, now, by_candidate)
    reschedule_policy_check(request=locked, by_candidate=by_candidate)  # issue 17
    if start == loop.start:
        raise SlotNotOfferedError(gettext("That is the interview's current time; choose another."))
    steps = loop_steps(locked)
    if len(steps) != len(sessions):
        raise HireSlotError(
            gettext("This loop's sessions changed since it was booked; cancel it and book again.")
        )
    choice = _loop_check(locked, people, steps, start, now, exclude_loop_id=loop.pk)
    before = _holders_of(sessions, people)
    keep = [UUID(entry["user_id"]) for session in sessions for entry in session.assignment]
    holders, records = _draw(choice, people, start, keep)
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
        live.start, live.end = session.start, session.end
        live.sequence += 1
        live.assignment = record
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
        interviewers_hold(live, held)
        task_due_move(task_ids=interview_task_ids(live), by=start - previous)
    locked.status = SchedulingRequest.Status.RESCHEDULED
    locked.save(update_fields=["status", "updated_at"])
    RequestEvent.objects.create(
        organization_id=locked.organization_id,
        request=locked,
        kind=RequestEvent.Kind.RESCHEDULED,
        actor=actor,
        by_candidate=by_candidate,
        detail=f"{loop.name}: {previous:%Y-%m-%d %H:%M} → {start:%Y-%m-%d %H:%M} UTC",
        reason=reason.strip()[:2000],  # issue 17
    )
    everyone = _everyone(holders)
    wanted = webhook_event_wanted(
        organization=locked.organization, event_type=INTERVIEW_RESCHEDULED
    )
    for (live, was, released), held in zip(moves, holders, strict=True):
        effects_write(
            interview=live,
            action=Effect.Action.RESCHEDULE,
            actor=actor,
            interviewers=held,
            released=released,
            loop_people=everyone,
            note="" if by_candidate else reason.strip()[:2000],
        )
        reminders_plan(interview=live, interviewers=held, now=now)  # issue 17: move them
        interview_event_emit(
            interview=live, event_type=INTERVIEW_RESCHEDULED, previous=was, wanted=wanted
        )
    return _asked(sessions, interview)


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
    loop, sessions = _loop_of(interview, locked)
    cutoff_check(loop, locked, now, by_candidate)
    holders = _holders_of(sessions, people)
    loop.status = InterviewLoop.Status.CANCELLED
    loop.cancelled_at = now
    loop.sequence += 1
    loop.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    for live in sessions:
        live.status = Interview.Status.CANCELLED
        live.cancelled_at = now
        live.cancel_reason = reason[:2000]
        live.sequence += 1
        live.save(
            update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"]
        )
        live.bookings.filter(active=True).update(active=False)
        task_close_for_interview(task_ids=interview_task_ids(live), now=now)
        reminders_cancel(interview=live, reason="The interview was cancelled.")  # issue 17
    everyone = _everyone(holders)
    availability_generation_bump(user_ids=[user.pk for user in everyone])
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
    wanted = webhook_event_wanted(organization=locked.organization, event_type=INTERVIEW_CANCELLED)
    for live, held in zip(sessions, holders, strict=True):
        effects_write(
            interview=live,
            action=Effect.Action.CANCEL,
            actor=actor,
            interviewers=held,
            loop_people=everyone,
        )
        interview_event_emit(
            interview=live,
            event_type=INTERVIEW_CANCELLED,
            cancelled_by=cancelled_by,
            reason=live.cancel_reason,
            wanted=wanted,
        )
    if locked.status == SchedulingRequest.Status.CANCELLED:
        request_event_emit(request=locked, event_type=SCHEDULING_REQUEST_CANCELLED)
    return _asked(sessions, interview)


def _asked(sessions: list[Interview], interview: Interview) -> Interview:
    """The session the caller acted through, as it is now."""
    return next((s for s in sessions if s.pk == interview.pk), sessions[0])


@transaction.atomic
def loop_session_swap(
    *, interview: Interview, user: User, actor: User | None, now: datetime | None = None
) -> Interview:
    """A recruiter gives one session's pool seat to ``user``, another active member of that
    seat's pool who is free then (as the engine sees them: hours, busy time, caps) and holds
    no other session of the loop. The session's events move from the person drawn before to
    ``user``; the loop's times do not change."""
    now = now or clock.now()
    locked, people = request_lock(interview.request)
    loop, sessions = _loop_of(interview, locked)
    live = next((s for s in sessions if s.pk == interview.pk), None)
    if live is None:
        raise RequestClosedError(gettext("This interview was cancelled."))
    cutoff_check(live, locked, now, by_candidate=False)
    steps = loop_steps(locked)
    step = steps[live.loop_position] if live.loop_position < len(steps) else None
    entry_index = next(
        (
            index
            for index, entry in enumerate(live.assignment)
            if step is not None
            and index < len(step.seats)
            and user.pk in step.seats[index].member_ids
        ),
        None,
    )
    if step is None or entry_index is None:
        raise HireSlotError(f"{user.get_full_name()} is not in a pool this session draws from.")
    holders = _holders_of(sessions, people)
    if any(user in held for held in holders):
        raise HireSlotError(f"{user.get_full_name()} already interviews in this loop.")
    loaded = {person.pk: person for person in people}
    if user.pk not in loaded:
        raise HireSlotError(f"{user.get_full_name()} is not in a pool this session draws from.")
    free = request_loop_slots(
        request=locked,
        start=loop.start,
        end=loop.start + timedelta(minutes=1),
        now=min(now, loop.start),
        exclude_loop_id=loop.pk,
        interviewers=people,
        steps=steps,
    )
    seat_free = [
        choice.sessions[live.loop_position].seats[entry_index]
        for choice in free
        if choice.start == loop.start
    ]
    if not seat_free or str(user.pk) not in seat_free[0]:
        raise SlotTakenError(
            gettext("%(name)s is not free then (busy, outside their hours or at a cap).")
            % {"name": user.get_full_name()}
        )
    entry = live.assignment[entry_index]
    before = loaded.get(UUID(entry["user_id"]))
    live.assignment = [
        *live.assignment[:entry_index],
        {
            **entry,
            "user_id": str(user.pk),
            "name": user.get_full_name() or user.email,
            "reason": f"swapped in by {actor.get_full_name() if actor else 'the API'}",
        },
        *live.assignment[entry_index + 1 :],
    ]
    live.sequence += 1
    live.save(update_fields=["assignment", "sequence", "updated_at"])
    # The candidate's one invite names the people too: its next version is a new one.
    loop.sequence += 1
    loop.save(update_fields=["sequence", "updated_at"])
    live.bookings.filter(active=True).update(active=False)
    held = [person for person in holders[sessions.index(live)] if person != before] + [user]
    interviewers_hold(live, held)
    released = [before] if before is not None else []
    availability_generation_bump(user_ids=[p.pk for p in released])
    effects_write(
        interview=live,
        action=Effect.Action.RESCHEDULE,
        actor=actor,
        interviewers=held,
        released=released,
        loop_people=_everyone(holders),
        loop_invite=True,
    )
    # The new person's reminders, the old one's cancelled (issue 17).
    reminders_plan(interview=live, interviewers=held)
    interview_event_emit(
        interview=live, event_type=INTERVIEW_RESCHEDULED, previous=(live.start, live.end)
    )
    return live
