"""Loop templates: a self-schedule template made of ordered sessions (decision 0025)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.models import User
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.recruiting.models import InterviewTemplate
from hireslot.scheduling.conference import conference_kind_problem
from hireslot.scheduling.models import (
    Interview,
    InterviewerPool,
    LoopSession,
    LoopSessionSeat,
    SchedulingRequest,
    SelfScheduleTemplate,
    TemplatePoolSeat,
)
from hireslot.scheduling.services.templates import (
    _refuse_foreign,
    _refuse_non_members,
    self_schedule_template_save,
)

MAX_SESSIONS = 10


@dataclass(frozen=True)
class SessionSpec:
    """One session as a person sets it up: its interview template (name, length,
    instructions, questions), who sits in it, and the break after it."""

    interview_template: InterviewTemplate
    interviewers: Sequence[User] = ()
    include_hiring_manager: bool = False
    pools: Sequence[InterviewerPool] = ()
    duration_minutes: int | None = None
    gap_after_minutes: int = 0
    # Empty: the loop template's own ``conferencing``.
    conferencing: str = ""


@transaction.atomic
def loop_template_save(
    *,
    template: SelfScheduleTemplate,
    sessions: Sequence[SessionSpec],
    notify_users: Iterable[User] = (),
) -> SelfScheduleTemplate:
    """Create or update ``template`` as a loop of ``sessions`` (replacing any it had). A loop
    template has no people or pool seats of its own: its sessions do."""
    if not sessions:
        raise HireSlotError("A loop needs at least one session.")
    if len(sessions) > MAX_SESSIONS:
        raise HireSlotError(f"A loop has at most {MAX_SESSIONS} sessions.")
    organization = template.organization
    for number, spec in enumerate(sessions, start=1):
        _refuse_foreign(organization, [spec.interview_template], "interview template")
        _refuse_foreign(organization, spec.pools, "pool")
        _refuse_non_members(organization, spec.interviewers, "interviewers")
        if not (spec.interviewers or spec.include_hiring_manager or spec.pools):
            raise HireSlotError(
                f"Session {number} ({spec.interview_template.name}) has nobody in it: "
                "choose people, the hiring manager or a pool."
            )
        if spec.duration_minutes is not None and not 5 <= spec.duration_minutes <= 8 * 60:
            raise HireSlotError(f"Session {number} must last between 5 minutes and 8 hours.")
        if not 0 <= spec.gap_after_minutes <= 4 * 60:
            raise HireSlotError(f"The break after session {number} must be at most 4 hours.")
        if spec.conferencing:
            problem = conference_kind_problem(kind=spec.conferencing, organization=organization)
            if problem:
                raise HireSlotError(f"Session {number}: {problem}")
    if template.pk is not None and _sessions_of(template) != [_shape(s) for s in sessions]:
        _refuse_while_live(template)
    if template.interview_template_id is None:
        template.interview_template = sessions[0].interview_template
    template.loop_sessions_count = len(sessions)
    self_schedule_template_save(
        template=template, interviewers=[], notify_users=notify_users, pools=[]
    )
    TemplatePoolSeat.objects.filter(template=template).delete()
    LoopSession.objects.filter(template=template).delete()
    for position, spec in enumerate(sessions):
        session = LoopSession.objects.create(
            template=template,
            position=position,
            interview_template=spec.interview_template,
            duration_minutes=spec.duration_minutes,
            include_hiring_manager=spec.include_hiring_manager,
            conferencing=spec.conferencing,
            gap_after_minutes=spec.gap_after_minutes,
        )
        session.interviewers.set(spec.interviewers)
        LoopSessionSeat.objects.bulk_create(
            LoopSessionSeat(session=session, pool=pool, position=index)
            for index, pool in enumerate(spec.pools)
        )
    availability_generation_bump(organization_ids=[organization.pk])
    return template


SessionShape = tuple[object, ...]


def _shape(spec: SessionSpec) -> SessionShape:
    return (
        spec.interview_template.pk,
        tuple(sorted(str(user.pk) for user in spec.interviewers)),
        spec.include_hiring_manager,
        tuple(str(pool.pk) for pool in spec.pools),
        spec.duration_minutes,
        spec.gap_after_minutes,
        spec.conferencing,
    )


def _sessions_of(template: SelfScheduleTemplate) -> list[SessionShape]:
    """The template's saved sessions, shaped like ``_shape`` (empty: not a loop yet)."""
    sessions = LoopSession.objects.filter(template=template).prefetch_related(
        "interviewers", "pool_seats__pool"
    )
    return [
        _shape(
            SessionSpec(
                interview_template=session.interview_template,
                interviewers=list(session.interviewers.all()),
                include_hiring_manager=session.include_hiring_manager,
                pools=[seat.pool for seat in sorted(session.pool_seats.all(), key=_position)],
                duration_minutes=session.duration_minutes,
                gap_after_minutes=session.gap_after_minutes,
                conferencing=session.conferencing,
            )
        )
        for session in sessions.select_related("interview_template").order_by("position")
    ]


def _position(seat: LoopSessionSeat) -> int:
    return seat.position


def live_requests_of(template: SelfScheduleTemplate) -> int:
    """Sent links that still read the template's sessions: waiting for the candidate and not
    expired, or booked with a session still to come (a move re-reads the sessions)."""
    now = clock.now()
    return (
        SchedulingRequest.objects.filter(template=template)
        .filter(
            Q(status__in=SchedulingRequest.WAITING, expires_at__gt=now)
            | Q(
                status__in=SchedulingRequest.BOOKED,
                interviews__status=Interview.Status.SCHEDULED,
                interviews__end__gt=now,
            )
        )
        .distinct()
        .count()
    )


def _refuse_while_live(template: SelfScheduleTemplate) -> None:
    """A sent link offers and books the sessions as they are when the candidate acts, so
    changing them under live links would change what candidates were promised (decision
    0033): refuse, saying how many and what to do instead."""
    live = live_requests_of(template)
    if live:
        links = "1 sent link uses" if live == 1 else f"{live} sent links use"
        raise HireSlotError(
            f"{links} these sessions (waiting for the candidate or booked), so they cannot "
            "change now. Duplicate the template and change the copy, or cancel those "
            "requests first. The loop's other settings can still be saved."
        )
