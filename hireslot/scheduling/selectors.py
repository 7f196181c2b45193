"""Reads for self-scheduling pages: requests and interviews to show, slots laid out by day.

The request behind a candidate's link is found by ``scheduling.links.request_for_token``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects

from hireslot.accounts.models import User
from hireslot.availability import Slot
from hireslot.core.request_input import is_uuid
from hireslot.recruiting.models import WorkflowStage
from hireslot.scheduling.links import LIVE_INTERVIEW, scheduling_link
from hireslot.scheduling.loops import request_times
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewerBooking,
    InterviewLoop,
    RequestEvent,
    SchedulingRequest,
    SelfScheduleTemplate,
    StageTemplate,
)


def live_interview_of(request: SchedulingRequest) -> Interview | None:
    """The request's scheduled interview, if any. Free for a request read by
    ``request_for_token``, which joined it in: as it was at that moment, which is what a
    candidate view shows (a view that changes the interview redirects rather than reading it
    again). One query otherwise."""
    if LIVE_INTERVIEW in vars(request):
        loaded: Interview | None = vars(request)[LIVE_INTERVIEW]
        return loaded
    return request.interviews.filter(status=Interview.Status.SCHEDULED, loop_position=0).first()


def latest_interview_of(request: SchedulingRequest) -> Interview | None:
    return request.interviews.filter(loop_position=0).order_by("-updated_at").first()


def offered_slots(
    *,
    request: SchedulingRequest,
    start: datetime,
    end: datetime,
    now: datetime,
    interviewers: Sequence[User] | None = None,
) -> list[Slot]:
    """The times the candidate is offered within [start, end): their own booked interview
    does not hide the times around it (they may move it). The candidate's slots and the
    API's read the same (a loop's as one time each). ``interviewers``: the request's, when
    the caller has read them."""
    interview = live_interview_of(request)
    return request_times(
        request=request,
        start=start,
        end=end,
        now=now,
        exclude_interview_id=interview.pk if interview else None,
        interviewers=interviewers,
    )


def default_zone(request: SchedulingRequest) -> str:
    """The zone a candidate is shown times in until they choose: theirs, else the company's."""
    candidate_zone = request.application.candidate.time_zone
    return candidate_zone or request.organization.default_time_zone or "UTC"


def requests_in_status(
    requests: QuerySet[SchedulingRequest], status: str, now: datetime
) -> QuerySet[SchedulingRequest]:
    """The requests whose ``status_at(now)`` is ``status``, as one query."""
    waiting = Q(status__in=SchedulingRequest.WAITING)
    live = Q(expires_at__gt=now)
    failed = Q(email__status="failed")
    if status == SchedulingRequest.Status.EXPIRED:
        return requests.filter(waiting & ~live)
    if status == SchedulingRequest.Status.FAILED:
        return requests.filter(waiting & live & failed)
    if status in SchedulingRequest.WAITING:
        return requests.filter(Q(status=status) & live & (Q(email__isnull=True) | ~failed))
    return requests.filter(status=status)


def is_closed(request: SchedulingRequest, now: datetime) -> bool:
    """Whether the request's link no longer offers anything (cancelled or expired)."""
    return request.status_at(now) in (
        SchedulingRequest.Status.CANCELLED,
        SchedulingRequest.Status.EXPIRED,
    )


@dataclass(frozen=True)
class SlotChoice:
    value: str  # the instant, ISO 8601 in UTC with Z, as posted back
    label: str  # "09:30 to 10:15" (with an en dash) on the candidate's wall clock


@dataclass(frozen=True)
class SlotDay:
    day: date
    label: str
    slots: list[SlotChoice]


def instant_text(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%dT%H:%M:%SZ")


def slots_by_day(slots: list[Slot], zone: ZoneInfo) -> list[SlotDay]:
    """Slots grouped by the candidate's local date, labelled on the candidate's wall clock."""
    days: dict[date, list[SlotChoice]] = {}
    for slot in slots:
        start, end = slot.start_at.astimezone(zone), slot.end_at.astimezone(zone)
        days.setdefault(start.date(), []).append(
            SlotChoice(value=instant_text(slot.start_at), label=f"{start:%H:%M} \u2013 {end:%H:%M}")
        )
    return [
        SlotDay(day=day, label=f"{day:%A} {day.day} {day:%B %Y}", slots=choices)
        for day, choices in days.items()
    ]


def local_day_range(first: date, last: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """[first 00:00, last + 1 day 00:00) in ``zone`` as aware instants."""
    return (
        datetime.combine(first, time(0), tzinfo=zone),
        datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone),
    )


def interview_task_ids(interview: Interview) -> list[str]:
    """The tasks the interview's bookings created (each task step records its task's id)."""
    refs = Effect.objects.filter(interview_id=interview.pk, kind=Effect.Kind.TASK)
    return [ref for ref in refs.values_list("result_ref", flat=True) if is_uuid(ref)]


def effects_of(interview: Interview) -> QuerySet[Effect]:
    return interview.effects.select_related("user").order_by("created_at", "kind")


@dataclass(frozen=True)
class RequestRow:
    request: SchedulingRequest
    status: str
    status_label: str
    link: str  # the candidate's credential: empty unless the reader may act for them
    live: Interview | None = None  # its scheduled interview (on the candidate page)

    @property
    def is_waiting(self) -> bool:
        """Its link still works and no time is picked: worth copying, resending, cancelling."""
        return self.status in SchedulingRequest.WAITING


def candidate_scheduling(
    *, candidate_id: UUID, organization_id: UUID, now: datetime, with_links: bool
) -> tuple[list[RequestRow], list[Interview]]:
    """A candidate's requests (with the status a person should see) and interviews.
    ``with_links``: include each request's candidate link (recruiting roles only)."""
    requests = (
        SchedulingRequest.objects.filter(
            organization_id=organization_id, application__candidate_id=candidate_id
        )
        .select_related("template", "email", "sender", "application__job__organization")
        .select_related("application__candidate")
        .prefetch_related(
            Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
            "nudges",  # issue 17: shown on the request's timeline
        )
    )
    interviews = list(
        Interview.objects.filter(
            organization_id=organization_id, application__candidate_id=candidate_id
        )
        .select_related("interview_template", "application__job", "application__candidate", "loop")
        .order_by("-start")
    )
    # A loop's request is live through its first session (as the candidate's link reads it).
    live = {
        i.request_id: i
        for i in interviews
        if i.status == Interview.Status.SCHEDULED and i.loop_position == 0
    }
    rows = []
    for request in requests:
        status = request.status_at(now)
        rows.append(
            RequestRow(
                request=request,
                status=status,
                status_label=SchedulingRequest.Status(status).label,
                link=scheduling_link(request) if with_links else "",
                live=live.get(request.pk),
            )
        )
    return rows, loops_folded(interviews)


@dataclass(frozen=True)
class PipelineChip:
    """Where scheduling stands for one application, as a chip on its pipeline card."""

    status: str  # pending, opened, availability_requested/_received, scheduled, expired
    label: str
    start: datetime | None = None  # the interview, when scheduled


def pipeline_chips(*, application_ids: Sequence[UUID], now: datetime) -> dict[UUID, PipelineChip]:
    """Each application's latest request, as its chip (none for cancelled, failed or never
    sent); two queries whatever the number of cards."""
    latest: dict[UUID, SchedulingRequest] = {}
    for request in SchedulingRequest.objects.filter(application_id__in=application_ids).order_by(
        "application_id", "-created_at"
    ):
        latest.setdefault(request.application_id, request)
    starts = dict(
        Interview.objects.filter(
            request_id__in=[r.pk for r in latest.values()], status=Interview.Status.SCHEDULED
        ).values_list("request_id", "start")
    )
    labels = {
        "pending": "Request pending",
        "opened": "Opened",
        "availability_requested": "Availability requested",
        "availability_received": "Availability received",
        "expired": "Expired",
    }
    chips = {}
    for application_id, request in latest.items():
        status = request.status_at(now)
        if request.pk in starts:
            chips[application_id] = PipelineChip("scheduled", "Scheduled", starts[request.pk])
        elif status in labels:
            chips[application_id] = PipelineChip(status, labels[status])
    return chips


def home_requests(
    *, organization_id: UUID, user_id: UUID | None, now: datetime, with_links: bool
) -> list[RequestRow]:
    """Requests that need attention: waiting for the candidate, or expired, cancelled or
    failed and not yet dismissed. ``user_id``: only those this person sent; ``with_links``:
    include each request's candidate link (recruiting roles only)."""
    requests = (
        SchedulingRequest.objects.filter(
            organization_id=organization_id,
            dismissed_at__isnull=True,
            status__in=[*SchedulingRequest.WAITING, SchedulingRequest.Status.CANCELLED],
        )
        .select_related("template", "email", "sender", "application__job", "application__candidate")
        .order_by("-created_at")
    )
    if user_id is not None:
        requests = requests.filter(sender_id=user_id)
    rows = []
    for request in requests[:200]:
        status = request.status_at(now)
        rows.append(
            RequestRow(
                request=request,
                status=status,
                status_label=SchedulingRequest.Status(status).label,
                link=scheduling_link(request) if with_links else "",
            )
        )
    return rows


def upcoming_interviews(
    *, organization_id: UUID, user_id: UUID | None, start: datetime, end: datetime
) -> QuerySet[Interview]:
    """Scheduled interviews starting in [start, end), with how their effects are doing.
    ``user_id``: only those this person sent or interviews in."""
    interviews = (
        Interview.objects.filter(
            organization_id=organization_id,
            status=Interview.Status.SCHEDULED,
            start__gte=start,
            start__lt=end,
        )
        .select_related("interview_template", "application__candidate", "application__job", "loop")
        .annotate(
            effects_failed=Count(
                "effects", filter=Q(effects__state=Effect.State.FAILED), distinct=True
            ),
            effects_waiting=Count(
                "effects",
                distinct=True,
                filter=Q(effects__state__in=[Effect.State.PENDING, Effect.State.RETRYING]),
            ),
        )
        .order_by("start")
    )
    if user_id is not None:
        interviews = interviews.filter(
            Q(request__sender_id=user_id) | Q(bookings__interviewer_id=user_id)
        ).distinct()
    return interviews


def stage_template_of(stage: WorkflowStage) -> SelfScheduleTemplate | None:
    """The template ``stage`` sends with one click from the pipeline (and preselects for a
    candidate in it), or None. Free when the stage came with ``stage_template__template``
    selected or prefetched; one query otherwise."""
    try:
        return stage.stage_template.template
    except StageTemplate.DoesNotExist:
        return None


def stage_templates_prefetch(stages: Sequence[WorkflowStage]) -> None:
    """Load every stage's template in one query, for a page that shows many stages (templates
    read ``stage.stage_template.template``; a stage without one reads as empty)."""
    prefetch_related_objects(list(stages), "stage_template__template")


@dataclass(frozen=True)
class LoopRow:
    """One session of a booked loop as recruiters see it: who holds it and how its steps
    (the effects ledger) stand, e.g. {"done": 5, "failed": 1}."""

    interview: Interview
    people: list[str]
    steps: dict[str, int]

    @property
    def steps_done(self) -> bool:
        return set(self.steps) <= {Effect.State.DONE}


def loop_rows(loop: InterviewLoop) -> list[LoopRow]:
    """Every session of ``loop`` in order with its people and step states (three queries).
    People are those holding it now, or for a cancelled session those who held it."""
    sessions = list(
        loop.interviews.select_related("interview_template").order_by(
            "loop_position", "-created_at"
        )
    )
    live = {s.pk for s in sessions if s.status == Interview.Status.SCHEDULED}
    people: dict[UUID, list[str]] = {}
    for interview_id, active, name, email in (
        InterviewerBooking.objects.filter(interview__in=sessions)
        .order_by("interviewer__full_name")
        .values_list("interview_id", "active", "interviewer__full_name", "interviewer__email")
    ):
        names = people.setdefault(interview_id, [])
        if (active or interview_id not in live) and (name or email) not in names:
            names.append(name or email)
    steps: dict[UUID, dict[str, int]] = {}
    for interview_id, state, count in (
        Effect.objects.filter(interview__in=sessions)
        .values("interview_id", "state")
        .annotate(count=Count("pk"))
        .values_list("interview_id", "state", "count")
    ):
        steps.setdefault(interview_id, {})[state] = count
    return [
        LoopRow(interview=s, people=people.get(s.pk, []), steps=steps.get(s.pk, {}))
        for s in sessions
    ]


def loops_folded(interviews: Sequence[Interview]) -> list[Interview]:
    """``interviews`` with each loop shown once, as one item that expands: its first session
    in the list stands for it and carries ``loop_sessions`` (the loop's sessions in the list,
    in order); the others are left out. Reads ``interview.loop`` (select it along)."""
    folded: list[Interview] = []
    leads: dict[UUID, Interview] = {}
    for interview in interviews:
        if interview.loop_id is None:
            folded.append(interview)
            continue
        lead = leads.get(interview.loop_id)
        if lead is None:
            leads[interview.loop_id] = interview
            vars(interview)["loop_sessions"] = [interview]
            folded.append(interview)
        else:
            vars(lead)["loop_sessions"].append(interview)
    for lead in leads.values():
        vars(lead)["loop_sessions"].sort(key=lambda session: session.loop_position)
    return folded
