"""What booking, moving, cancelling a loop and swapping one of its seats share: the loop's
checks (its sessions' windows against calendars and the engine), who holds each session, and
the loop's live sessions read under the locks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from django.utils.translation import gettext

from hireslot.accounts.models import User
from hireslot.core.request_input import instant_in_range
from hireslot.scheduling.assignment import seats_assign
from hireslot.scheduling.errors import RequestClosedError, SlotNotOfferedError
from hireslot.scheduling.loops import (
    LoopChoice,
    LoopStep,
    loop_request_people,
    loop_steps,
    request_loop_slots,
)
from hireslot.scheduling.models import (
    Interview,
    InterviewerBooking,
    InterviewLoop,
    SchedulingRequest,
)
from hireslot.scheduling.services.booking.common import (
    calendars_busy_check,
    slot_grid_check,
    slot_refuse,
)
from hireslot.scheduling.slots import loaded_flag


def _session_windows(steps: Sequence[LoopStep], start: datetime) -> list[tuple[datetime, datetime]]:
    windows = []
    at = start
    for step in steps:
        end = at + timedelta(minutes=step.minutes)
        windows.append((at, end))
        at = end + timedelta(minutes=step.gap_after)
    return windows


def loop_live_check(
    *, request: SchedulingRequest, start: datetime, own_uids: Sequence[str] = ()
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
        calendars_busy_check(
            users=users,
            start=begin,
            end=end,
            own_uid=own_uids[index] if index < len(own_uids) else "",
        )


def loop_slot_check(
    *,
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
    slot_grid_check(start=start)
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

    def rules_offer() -> bool:
        possible = request_loop_slots(
            request=request,
            start=start,
            end=window_end,
            now=now,
            rules_only=True,
            interviewers=people,
            steps=steps,
        )
        return any(choice.start == start for choice in possible)

    slot_refuse(start=start, now=now, rules_offer=rules_offer)


def loop_seats_draw(
    *,
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


def loop_everyone(holders: list[list[User]]) -> list[User]:
    """Everyone who holds a session of the loop, once each, in id order."""
    people = {user.pk: user for held in holders for user in held}
    return sorted(people.values(), key=lambda user: str(user.pk))


def loop_live_sessions(
    *, interview: Interview, locked: SchedulingRequest
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


def sessions_holders(*, sessions: list[Interview], people: list[User]) -> list[list[User]]:
    """Per session, who holds it now (its active bookings), in id order."""
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


def session_asked(*, sessions: list[Interview], interview: Interview) -> Interview:
    """The session the caller acted through, as it is now."""
    return next((s for s in sessions if s.pk == interview.pk), sessions[0])
