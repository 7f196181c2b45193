"""A loop template's sessions as slot finding and booking read them (decision 0025).

The sessions are read from the template when a candidate looks or books (as pool seats are),
with the job's hiring manager resolved for the sessions that include them. The whole loop is
asked of the engine as one ``sessions`` document: each session's fixed people and, per pool
seat, its active members. On top of what the engine checks:

- one drawn person per seat **across the whole loop** (a candidate meets different pool
  members in different sessions, and nobody drawn holds two sessions): a loop start is kept
  only if every seat of every session can be filled by a different person (``seats_fill``);
- the loop's fixed people are never drawn for a seat;
- a fixed person who sits in ``k`` sessions enters the engine with daily and weekly caps
  lowered by ``k - 1``, so the loop's own sessions never take them past a cap.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet

from hireslot.accounts.models import User
from hireslot.availability import Interviewer, LoopRequest, Session, Slot, find_slots
from hireslot.recruiting.models import InterviewTemplate
from hireslot.scheduling.models import (
    Interview,
    InterviewerBooking,
    LoopSession,
    LoopSessionSeat,
    PoolMember,
    SchedulingRequest,
    SelfScheduleTemplate,
)
from hireslot.scheduling.seats import Seat, seat_caps, seats_fill
from hireslot.scheduling.slots import (
    availability_of,
    interviewers_for,
    interviewers_load,
    request_rules,
    request_slots,
)


@dataclass(frozen=True)
class LoopStep:
    """One session of a loop as booked: what, how long, who (fixed ids, pool seats)."""

    position: int
    name: str
    interview_template: InterviewTemplate
    minutes: int
    gap_after: int
    conferencing: str
    fixed_ids: tuple[UUID, ...]
    seats: tuple[Seat, ...]


@dataclass(frozen=True)
class SessionChoice:
    """One session of an offered loop: when, its fixed people, each seat's free members."""

    step: LoopStep
    start: datetime
    end: datetime
    seats: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class LoopChoice:
    start: datetime
    end: datetime
    sessions: tuple[SessionChoice, ...]

    def seat_free(self) -> list[tuple[str, ...]]:
        """Every seat of every session in order, as one list (the loop-wide matching's)."""
        return [seat for session in self.sessions for seat in session.seats]

    def steps_seats(self) -> list[Seat]:
        return [seat for session in self.sessions for seat in session.step.seats]


def loop_sessions_of(template: SelfScheduleTemplate) -> list[LoopSession]:
    """The template's sessions with what booking reads of them (four queries)."""
    return list(
        template.loop_sessions.select_related("interview_template").prefetch_related(
            "interviewers",
            Prefetch("pool_seats", queryset=LoopSessionSeat.objects.select_related("pool")),
        )
    )


def loop_total_minutes(sessions: Sequence[LoopSession]) -> int:
    """From the first session's start to the last one's end."""
    return sum(s.minutes for s in sessions) + sum(s.gap_after_minutes for s in sessions[:-1])


def loop_fixed_people(template: SelfScheduleTemplate, manager: User | None) -> list[User]:
    """Everyone a loop template names (its sessions' people, the hiring manager where a
    session includes them), in id order: the request's ``interviewers``."""
    people: dict[UUID, User] = {}
    for session in loop_sessions_of(template):
        people.update({user.pk: user for user in session.interviewers.all()})
        if session.include_hiring_manager and manager is not None:
            people[manager.pk] = manager
    return sorted(people.values(), key=lambda user: str(user.pk))


def loop_steps(request: SchedulingRequest) -> list[LoopStep]:
    """The request's loop, session by session, seats with their active members (the loop's
    fixed people left out), in primary-key order."""
    sessions = loop_sessions_of(request.template)
    manager_id = request.application.job.hiring_manager_id
    fixed_of = []
    for session in sessions:
        ids = {user.pk for user in session.interviewers.all()}
        if session.include_hiring_manager and manager_id is not None:
            ids.add(manager_id)
        fixed_of.append(tuple(sorted(ids, key=str)))
    everyone_fixed = {pk for ids in fixed_of for pk in ids}
    pool_ids = {seat.pool_id for session in sessions for seat in session.pool_seats.all()}
    members: dict[UUID, list[tuple[UUID, int]]] = {}
    for pool_id, user_id, weight in (
        PoolMember.objects.filter(pool_id__in=pool_ids, active=True)
        .order_by("user_id")
        .values_list("pool_id", "user_id", "weight")
    ):
        if user_id not in everyone_fixed:
            members.setdefault(pool_id, []).append((user_id, weight))
    steps = []
    for index, session in enumerate(sessions):
        seats = tuple(
            Seat(
                pool_id=row.pool_id,
                pool_name=row.pool.name,
                member_ids=tuple(user_id for user_id, _ in members.get(row.pool_id, [])),
                weights=dict(members.get(row.pool_id, [])),
                max_per_day=row.pool.max_per_day,
                max_per_week=row.pool.max_per_week,
            )
            for row in session.pool_seats.all()
        )
        steps.append(
            LoopStep(
                position=index,
                name=session.interview_template.name,
                interview_template=session.interview_template,
                minutes=session.minutes,
                gap_after=session.gap_after_minutes if index < len(sessions) - 1 else 0,
                conferencing=session.conferencing or request.template.conferencing,
                fixed_ids=fixed_of[index],
                seats=seats,
            )
        )
    return steps


def loop_people(request: SchedulingRequest) -> QuerySet[User]:
    """Everyone a booking of the loop may involve: its fixed people (the request's
    interviewers), the active members of its sessions' pools, and whoever holds one of its
    sessions now. Not ordered: the caller orders (and locks) them."""
    fixed = request.interviewers.through.objects.filter(schedulingrequest_id=request.pk)
    people = (
        Q(pk__in=fixed.values("user_id"))
        | Q(
            pk__in=InterviewerBooking.objects.filter(
                interview__request_id=request.pk, active=True
            ).values("interviewer_id")
        )
        | Q(
            pk__in=PoolMember.objects.filter(
                active=True, pool__loop_seats__session__template_id=request.template_id
            ).values("user_id")
        )
    )
    return User.objects.filter(people)


def loop_request_people(request: SchedulingRequest) -> list[User]:
    return list(interviewers_load(loop_people(request)))


def _caps(
    steps: Sequence[LoopStep], people: dict[UUID, User]
) -> dict[UUID, tuple[int | None, int | None]]:
    caps = seat_caps([seat for step in steps for seat in step.seats])
    held: dict[UUID, int] = {}
    for step in steps:
        for pk in step.fixed_ids:
            held[pk] = held.get(pk, 0) + 1
    for pk, count in held.items():
        if count > 1 and pk in people:
            rules = availability_of(people[pk])
            day, week = rules.max_interviews_per_day, rules.max_interviews_per_week
            caps[pk] = (
                None if day is None else max(0, day - count + 1),
                None if week is None else max(0, week - count + 1),
            )
    return caps


def request_loop_slots(
    *,
    request: SchedulingRequest,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_loop_id: UUID | None = None,
    rules_only: bool = False,
    interviewers: Sequence[User] | None = None,
    steps: Sequence[LoopStep] | None = None,
) -> list[LoopChoice]:
    """The loop starts the candidate of ``request`` may book within [start, end), each with
    its sessions' times and every seat's free members. ``exclude_loop_id``: a loop being
    moved does not block its own new time. ``interviewers``: as ``loop_request_people``
    reads them (a booking passes the ones it locked)."""
    steps = list(steps if steps is not None else loop_steps(request))
    if interviewers is None:
        interviewers = loop_request_people(request)
    loaded = {user.pk: user for user in interviewers}
    fixed_ids = sorted({pk for step in steps for pk in step.fixed_ids}, key=str)
    if not steps or any(pk not in loaded for pk in fixed_ids):
        return []
    seat_members = [
        [[pk for pk in seat.member_ids if pk in loaded] for seat in step.seats] for step in steps
    ]
    if not all(all(seat) for seats in seat_members for seat in seats):
        return []
    members = sorted({pk for seats in seat_members for seat in seats for pk in seat}, key=str)
    people = [loaded[pk] for pk in fixed_ids] + [loaded[pk] for pk in members]
    rules = request_rules(request=request, interviewers=[loaded[pk] for pk in fixed_ids] or people)
    start = max(start, now)
    end = min(end, now + timedelta(days=rules.horizon_days))
    if end <= start:
        return []
    engine_people = interviewers_for(
        users=people,
        start=start,
        end=end,
        exclude_loop_id=exclude_loop_id,
        rules_only=rules_only,
        caps=_caps(steps, loaded),
    )
    by_id = {person.id: person for person in engine_people}
    extra: list[Interviewer] = []
    sessions = []
    for step, seats in zip(steps, seat_members, strict=True):
        elements: list[str | tuple[str, ...]] = [str(pk) for pk in step.fixed_ids]
        entered = set(elements)
        for index, ids in enumerate(seats):
            seat = []
            for pk in ids:
                key = str(pk)
                if key in entered:  # one person in two seats of a session: a copy
                    copy = f"{key}#{step.position}.{index}"
                    extra.append(dataclasses.replace(by_id[key], id=copy))
                    key = copy
                entered.add(key)
                seat.append(key)
            elements.append(tuple(seat))
        sessions.append(
            Session.build(
                id=str(step.position),
                duration=step.minutes,
                interviewers=elements,
                gap_after=step.gap_after,
            )
        )
    loop = LoopRequest.build(
        now=now,
        start=start,
        end=end,
        interval=rules.interval,
        min_notice=0 if rules_only else rules.min_notice,
        grid_tz=rules.grid_tz,
        interviewers=[*engine_people, *extra],
        sessions=sessions,
    )
    found = []
    for slot in find_slots(loop):
        choice = LoopChoice(
            start=slot.start_at,
            end=slot.end_at,
            sessions=tuple(
                SessionChoice(
                    step=step,
                    start=session.start_at,
                    end=session.end_at,
                    seats=tuple(
                        tuple(key.split("#")[0] for key in element)
                        for element in session.interviewers
                        if isinstance(element, tuple)
                    ),
                )
                for step, session in zip(steps, slot.sessions, strict=True)
            ),
        )
        if seats_fill(choice.seat_free()) is not None:
            found.append(choice)
    return found


def request_times(
    *,
    request: SchedulingRequest,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_interview_id: UUID | None = None,
    interviewers: Sequence[User] | None = None,
) -> list[Slot]:
    """The start times offered to the candidate of ``request`` within [start, end), for a
    single interview (``slots.request_slots``) or a loop (each loop as one slot from its
    first start to its last end). ``exclude_interview_id``: the interview (a loop's: any of
    its sessions) being moved. ``interviewers``: a single interview's, when read already (a
    loop reads its own: ``loop_request_people``)."""
    if not request.template.loop_sessions_count:
        return request_slots(
            request=request,
            start=start,
            end=end,
            now=now,
            exclude_interview_id=exclude_interview_id,
            interviewers=interviewers,
        )
    loop_id = None
    if exclude_interview_id is not None:
        loop_id = (
            Interview.objects.filter(pk=exclude_interview_id)
            .values_list("loop_id", flat=True)
            .first()
        )
    return [
        Slot(
            int(choice.start.timestamp()),
            int(choice.end.timestamp()),
            (),
        )
        for choice in request_loop_slots(
            request=request,
            start=start,
            end=end,
            now=now,
            exclude_loop_id=loop_id,
        )
    ]
