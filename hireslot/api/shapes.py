"""Rows as the API's documents (``schemas``), read in bulk for a page of rows.

Each ``*_items`` takes the rows of one page and reads what they need in a fixed number of
queries, whatever the page's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects

from hireslot.accounts.models import AvailabilitySettings, Membership
from hireslot.calendars.models import CalendarConnection
from hireslot.calendars.selectors import stale_connections
from hireslot.core import clock
from hireslot.recruiting.models import (
    Application,
    Candidate,
    InterviewTemplate,
    Job,
    WorkflowStage,
)
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.models import (
    Effect,
    Interview,
    SchedulingRequest,
    SelfScheduleTemplate,
)

Item = dict[str, Any]


def stage_item(stage: WorkflowStage) -> Item:
    return {"id": str(stage.pk), "name": stage.name, "position": stage.position}


def job_items(jobs: Sequence[Job]) -> list[Item]:
    prefetch_related_objects(
        list(jobs), Prefetch("stages", queryset=WorkflowStage.objects.order_by("position"))
    )
    return [
        {
            "id": str(job.pk),
            "title": job.title,
            "status": job.status,
            "location": job.location,
            "stages": [stage_item(stage) for stage in job.stages.all()],
            "created_at": job.created_at,
        }
        for job in jobs
    ]


def application_item(application: Application) -> Item:
    return {
        "id": str(application.pk),
        "candidate_id": str(application.candidate_id),
        "job_id": str(application.job_id),
        "stage_id": str(application.current_stage_id),
        "created_at": application.created_at,
    }


def candidate_items(candidates: Sequence[Candidate]) -> list[Item]:
    prefetch_related_objects(
        list(candidates),
        Prefetch("applications", queryset=Application.objects.order_by("-created_at")),
    )
    return [
        {
            "id": str(candidate.pk),
            "first_name": candidate.first_name,
            "last_name": candidate.last_name,
            "email": candidate.email,
            "phone": candidate.phone,
            "time_zone": candidate.time_zone,
            "language": candidate.language,
            "applications": [application_item(row) for row in candidate.applications.all()],
            "created_at": candidate.created_at,
        }
        for candidate in candidates
    ]


def interview_template_item(template: InterviewTemplate) -> Item:
    return {
        "id": str(template.pk),
        "name": template.name,
        "duration_minutes": template.duration_minutes,
    }


def interview_template_items(templates: Sequence[InterviewTemplate]) -> list[Item]:
    return [interview_template_item(template) for template in templates]


def self_schedule_template_items(templates: Sequence[SelfScheduleTemplate]) -> list[Item]:
    prefetch_related_objects(list(templates), "interview_template")
    return [
        {
            "id": str(template.pk),
            "name": template.name,
            "duration_minutes": template.interview_minutes,
            "interview_template": interview_template_item(template.interview_template),
            "conferencing": template.conferencing,
            "link_expiry_days": template.link_expiry_days,
            "created_at": template.created_at,
        }
        for template in templates
    ]


def request_items(requests: Sequence[SchedulingRequest]) -> list[Item]:
    rows = list(requests)
    prefetch_related_objects(rows, "email", "application")
    # The live interview, else the latest one: what an integrator follows the request to.
    interview_of: dict[Any, Any] = {}
    live: set[Any] = set()
    for interview_id, request_id, status in (
        Interview.objects.filter(request__in=rows)
        .order_by("updated_at")
        .values_list("pk", "request_id", "status")
    ):
        if request_id not in live:
            interview_of[request_id] = interview_id
        if status == Interview.Status.SCHEDULED:
            live.add(request_id)
    now = clock.now()
    return [
        {
            "id": str(request.pk),
            "status": request.status_at(now),
            "link": scheduling_link(request),
            "expires_at": request.expires_at,
            "application_id": str(request.application_id),
            "candidate_id": str(request.application.candidate_id),
            "template_id": str(request.template_id),
            "interview_id": str(interview_of[request.pk]) if request.pk in interview_of else None,
            "emailed": request.email_id is not None,
            "opened_at": request.opened_at,
            "created_at": request.created_at,
        }
        for request in rows
    ]


def step_item(effect: Effect) -> Item:
    return {
        "id": str(effect.pk),
        "kind": effect.kind,
        "action": effect.action,
        "state": effect.state,
        "attempts": effect.attempts,
        "last_error": effect.last_error,
        "next_attempt_at": effect.next_attempt_at,
        "done_at": effect.done_at,
        "created_at": effect.created_at,
    }


def step_items(effects: Sequence[Effect]) -> list[Item]:
    return [step_item(effect) for effect in effects]


def interview_items(interviews: Sequence[Interview]) -> list[Item]:
    rows = list(interviews)
    prefetch_related_objects(
        rows,
        Prefetch("effects", queryset=Effect.objects.order_by("created_at", "kind")),
        "request__interviewers",
    )
    return [
        {
            "id": str(interview.pk),
            "request_id": str(interview.request_id),
            "application_id": str(interview.application_id),
            "start": interview.start,
            "end": interview.end,
            "status": interview.status,
            "candidate_time_zone": interview.candidate_time_zone,
            "interviewers": [
                {"id": str(user.pk), "name": user.get_full_name(), "email": user.email}
                for user in sorted(
                    interview.request.interviewers.all(), key=lambda user: user.full_name
                )
            ],
            "conference_url": interview.conference_url,
            "steps": [step_item(effect) for effect in interview.effects.all()],
            "cancelled_at": interview.cancelled_at,
            "cancel_reason": interview.cancel_reason,
            "created_at": interview.created_at,
        }
        for interview in rows
    ]


def interviewer_items(memberships: Sequence[Membership]) -> list[Item]:
    rows = list(memberships)
    user_ids = [membership.user_id for membership in rows]
    zones = dict(
        AvailabilitySettings.objects.filter(user_id__in=user_ids).values_list(
            "user_id", "time_zone"
        )
    )
    with_hours = set(
        AvailabilitySettings.objects.filter(user_id__in=user_ids)
        .exclude(weekly_hours={})
        .values_list("user_id", flat=True)
    )
    calendars: dict[Any, list[CalendarConnection]] = {}
    for connection in CalendarConnection.objects.filter(user_id__in=user_ids):
        calendars.setdefault(connection.user_id, []).append(connection)
    stale = set(stale_connections().filter(user_id__in=user_ids).values_list("pk", flat=True))
    return [
        {
            "id": str(membership.user_id),
            "name": membership.user.get_full_name(),
            "email": membership.user.email,
            "role": membership.role,
            "time_zone": zones.get(membership.user_id, ""),
            "has_working_hours": membership.user_id in with_hours,
            "calendars": [
                {
                    "id": str(connection.pk),
                    "provider": connection.provider,
                    "account": connection.account,
                    "status": connection.status,
                    "receives_events": connection.receives_events,
                    "last_synced_at": connection.last_synced_at,
                    "last_error": connection.last_error,
                    "stale": connection.pk in stale,
                }
                for connection in calendars.get(membership.user_id, [])
            ],
            "created_at": membership.created_at,
        }
        for membership in rows
    ]
