"""A loop's agenda as the candidate reads it: each session's name, time in their zone,
length and with whom (decision 0025). The same lines go into the candidate's one-event
invite, their emails and their page.

With whom: the people's names when the template allows showing them (``loop_show_names``),
else "a member of our team"; before booking, a pool seat is "a member of <pool>".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from django.utils.translation import gettext

from hireslot.accounts.models import User
from hireslot.core.time_text import HourCycle, time_range_text
from hireslot.scheduling.loops import LoopChoice, loop_steps, request_loop_slots
from hireslot.scheduling.models import (
    Interview,
    InterviewerBooking,
    InterviewLoop,
    SchedulingRequest,
)
from hireslot.scheduling.selectors import instant_text, live_interview_of


@dataclass(frozen=True)
class AgendaItem:
    position: int
    name: str
    start: datetime
    end: datetime
    people: tuple[str, ...]
    join: str = ""
    details: str = ""
    interview_id: UUID | None = None
    when: str = field(default="", compare=False)

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


def _someone() -> str:
    return gettext("a member of our team")


def loop_sessions(loop: InterviewLoop) -> list[Interview]:
    """The loop's sessions in order: the live ones, or all of them once it was cancelled."""
    sessions = loop.interviews.select_related("interview_template").order_by("loop_position")
    if loop.status == InterviewLoop.Status.SCHEDULED:
        sessions = sessions.filter(status=Interview.Status.SCHEDULED)
    return list(sessions)


def booked_agenda(
    loop: InterviewLoop, *, show_names: bool, sessions: Sequence[Interview] | None = None
) -> list[AgendaItem]:
    """The booked loop's agenda; names are those holding each session (two queries)."""
    sessions = list(sessions) if sessions is not None else loop_sessions(loop)
    names: dict[UUID, list[str]] = {}
    if show_names:
        for interview_id, full_name, email in (
            InterviewerBooking.objects.filter(interview__in=sessions, active=True)
            .order_by("interviewer__full_name")
            .values_list("interview_id", "interviewer__full_name", "interviewer__email")
        ):
            names.setdefault(interview_id, []).append(full_name or email)
    return [
        AgendaItem(
            position=session.loop_position,
            name=session.interview_template.name,
            start=session.start,
            end=session.end,
            people=tuple(names.get(session.pk, [])) if show_names else (_someone(),),
            join=session.conference_url,
            details=session.conference_details,
            interview_id=session.pk,
        )
        for session in sessions
    ]


def offered_agenda(
    choice: LoopChoice, *, show_names: bool, names: dict[UUID, str]
) -> list[AgendaItem]:
    """An offered loop's agenda, before anyone is drawn: fixed people by name (when the
    template allows), each pool seat as "a member of <pool>"."""
    items = []
    for session in choice.sessions:
        step = session.step
        people = [names.get(pk, "") if show_names else _someone() for pk in step.fixed_ids] + [
            gettext("a member of %(pool)s") % {"pool": seat.pool_name} for seat in step.seats
        ]
        items.append(
            AgendaItem(
                position=step.position,
                name=step.name,
                start=session.start,
                end=session.end,
                people=tuple(dict.fromkeys(p for p in people if p)),
            )
        )
    return items


def agenda_timed(
    items: Sequence[AgendaItem], *, zone: str, locale: str, hour_cycle: HourCycle | None = None
) -> list[AgendaItem]:
    """The items with ``when``: each session's time range in the candidate's zone."""
    return [
        AgendaItem(
            **{
                **item.__dict__,
                "when": time_range_text(
                    item.start, item.end, zone=zone, locale=locale, hour_cycle=hour_cycle
                ),
            }
        )
        for item in items
    ]


def agenda_lines(items: Sequence[AgendaItem], *, with_links: bool = True) -> list[str]:
    """One line per session (``agenda_timed`` items): "9:00 – 9:30 AM Intro (30 min), with
    Nora Hale. Join: …"."""
    lines = []
    for item in items:
        line = gettext("%(when)s %(name)s (%(minutes)s min)") % {
            "when": item.when,
            "name": item.name,
            "minutes": item.minutes,
        }
        if item.people:
            line += ", " + gettext("with %(people)s") % {"people": ", ".join(item.people)}
        if with_links and item.join:
            line += ". " + gettext("Join: %(url)s") % {"url": item.join}
        elif with_links and item.details:
            line += ". " + item.details
        lines.append(line)
    return lines


def loop_slots_listed(
    *,
    request: SchedulingRequest,
    start: datetime,
    end: datetime,
    now: datetime,
    interviewers: Sequence[User],
) -> list[tuple[LoopChoice, dict[str, Any]]]:
    """The loop starts offered within [start, end) with their JSON rows (the candidate's
    slots endpoint): ``{"start", "end", "sessions": [{"name", "start", "end", "with"}]}``;
    ``with`` names people only when the template allows it. The candidate's own booked loop
    does not hide the times around it (they may move it)."""
    live = live_interview_of(request)
    choices = request_loop_slots(
        request=request,
        start=start,
        end=end,
        now=now,
        exclude_loop_id=live.loop_id if live is not None else None,
        interviewers=interviewers,
    )
    names = {user.pk: user.get_full_name() or user.email for user in interviewers}
    show = request.template.loop_show_names
    listed = []
    for choice in choices:
        items = offered_agenda(choice, show_names=show, names=names)
        listed.append(
            (
                choice,
                {
                    "start": instant_text(choice.start),
                    "end": instant_text(choice.end),
                    "sessions": [
                        {
                            "name": item.name,
                            "start": instant_text(item.start),
                            "end": instant_text(item.end),
                            "with": list(item.people),
                        }
                        for item in items
                    ],
                },
            )
        )
    return listed


@dataclass(frozen=True)
class PlanItem:
    """A session as the candidate is told of it before picking a time."""

    name: str
    minutes: int
    gap_after: int
    people: tuple[str, ...]


def loop_plan(request: SchedulingRequest) -> list[PlanItem]:
    """The loop's sessions in order: name, length, the break after, and with whom (as
    ``offered_agenda`` names them)."""
    steps = loop_steps(request)
    show = request.template.loop_show_names
    ids = {pk for step in steps for pk in step.fixed_ids}
    names = {
        pk: full_name or email
        for pk, full_name, email in User.objects.filter(pk__in=ids).values_list(
            "pk", "full_name", "email"
        )
    }
    return [
        PlanItem(
            name=step.name,
            minutes=step.minutes,
            gap_after=step.gap_after,
            people=tuple(
                dict.fromkeys(
                    [names.get(pk, "") if show else _someone() for pk in step.fixed_ids]
                    + [gettext("a member of %(pool)s") % {"pool": s.pool_name} for s in step.seats]
                )
            ),
        )
        for step in steps
    ]
