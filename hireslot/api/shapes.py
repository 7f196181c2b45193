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
from hireslot.messaging.models import WebhookDelivery, WebhookEndpoint, WebhookMessage
from hireslot.recruiting.models import (
    Application,
    Candidate,
    InterviewTemplate,
    Job,
    WorkflowStage,
)
from hireslot.scheduling.documents import instant_z, interview_document, request_document
from hireslot.scheduling.loops import loop_total_minutes

__all__ = ["instant_z"]
from hireslot.scheduling.load_report import LoadReport
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewerPool,
    PoolMember,
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
            "created_at": instant_z(job.created_at),
        }
        for job in jobs
    ]


def application_item(application: Application) -> Item:
    return {
        "id": str(application.pk),
        "candidate_id": str(application.candidate_id),
        "job_id": str(application.job_id),
        "stage_id": str(application.current_stage_id),
        "created_at": instant_z(application.created_at),
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
            "created_at": instant_z(candidate.created_at),
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
    prefetch_related_objects(
        list(templates), "interview_template", "loop_sessions__interview_template"
    )
    return [
        {
            "id": str(template.pk),
            "name": template.name,
            "duration_minutes": (
                loop_total_minutes(list(template.loop_sessions.all()))
                if template.loop_sessions_count
                else template.interview_minutes
            ),
            "interview_template": interview_template_item(template.interview_template),
            "sessions": [
                {
                    "name": session.interview_template.name,
                    "duration_minutes": session.minutes,
                    "gap_after_minutes": session.gap_after_minutes,
                }
                for session in template.loop_sessions.all()
            ],
            "conferencing": template.conferencing,
            "link_expiry_days": template.link_expiry_days,
            "created_at": instant_z(template.created_at),
        }
        for template in templates
    ]


def request_items(requests: Sequence[SchedulingRequest]) -> list[Item]:
    """The shared request document (``scheduling.documents``), plus what the API adds."""
    rows = list(requests)
    prefetch_related_objects(rows, "email", "application", "template")
    # The live interview, else the latest one (what the document names), read at once.
    interview_of: dict[Any, Interview] = {}
    for interview in (
        Interview.objects.filter(request__in=rows, loop_position=0)
        .select_related("loop")
        .order_by("updated_at")
    ):
        current = interview_of.get(interview.request_id)
        if current is None or current.status != Interview.Status.SCHEDULED:
            interview_of[interview.request_id] = interview
    now = clock.now()
    return [
        {
            **request_document(request, interview=interview_of.get(request.pk), now=now),
            "candidate_id": str(request.application.candidate_id),
            "emailed": request.email_id is not None,
            "opened_at": instant_z(request.opened_at),
            "created_at": instant_z(request.created_at),
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
        "next_attempt_at": instant_z(effect.next_attempt_at),
        "done_at": instant_z(effect.done_at),
        "created_at": instant_z(effect.created_at),
    }


def step_items(effects: Sequence[Effect]) -> list[Item]:
    return [step_item(effect) for effect in effects]


def interview_items(interviews: Sequence[Interview]) -> list[Item]:
    """The shared interview document (``scheduling.documents``), plus what the API adds."""
    return [
        {
            **interview_document(interview),
            "application_id": str(interview.application_id),
            "candidate_time_zone": interview.candidate_time_zone,
            "cancelled_at": instant_z(interview.cancelled_at),
            "cancel_reason": interview.cancel_reason,
            "created_at": instant_z(interview.created_at),
        }
        for interview in interviews
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
                    "last_synced_at": instant_z(connection.last_synced_at),
                    "last_error": connection.last_error,
                    "stale": connection.pk in stale,
                }
                for connection in calendars.get(membership.user_id, [])
            ],
            "created_at": instant_z(membership.created_at),
        }
        for membership in rows
    ]


def webhook_endpoint_item(endpoint: WebhookEndpoint) -> Item:
    return {
        "id": str(endpoint.pk),
        "url": endpoint.url,
        "description": endpoint.description,
        "event_types": list(endpoint.event_types),
        "enabled": endpoint.enabled,
        "disabled_reason": endpoint.disabled_reason,
        "failing_since": instant_z(endpoint.failing_since),
        "created_at": instant_z(endpoint.created_at),
    }


def webhook_endpoint_items(endpoints: Sequence[WebhookEndpoint]) -> list[Item]:
    return [webhook_endpoint_item(endpoint) for endpoint in endpoints]


def webhook_delivery_items(deliveries: Sequence[WebhookDelivery]) -> list[Item]:
    prefetch_related_objects(list(deliveries), "message")
    return [
        {
            "id": str(delivery.pk),
            "message_id": delivery.message.message_id,
            "event_type": delivery.message.event_type,
            "attempt": delivery.attempt,
            "succeeded": delivery.succeeded,
            "status_code": delivery.status_code,
            "response_ms": delivery.response_ms,
            "error": delivery.error,
            "created_at": instant_z(delivery.created_at),
        }
        for delivery in deliveries
    ]


def webhook_message_item(message: WebhookMessage) -> Item:
    return {
        "message_id": message.message_id,
        "endpoint_id": str(message.endpoint_id),
        "event_type": message.event_type,
        "state": message.state,
        "attempts": message.attempts,
        "created_at": instant_z(message.created_at),
    }


def pool_items(pools: Sequence[InterviewerPool]) -> list[Item]:
    rows = list(pools)
    prefetch_related_objects(
        rows, Prefetch("members", PoolMember.objects.select_related("user").order_by("created_at"))
    )
    return [
        {
            "id": str(pool.pk),
            "name": pool.name,
            "max_per_day": pool.max_per_day,
            "max_per_week": pool.max_per_week,
            "members": [
                {
                    "user_id": str(member.user_id),
                    "name": member.user.get_full_name(),
                    "weight": member.weight,
                    "active": member.active,
                }
                for member in pool.members.all()
            ],
            "created_at": instant_z(pool.created_at),
        }
        for pool in rows
    ]


def load_report_item(report: LoadReport) -> Item:
    return {
        "weeks": [week.isoformat() for week in report.weeks],
        "pool_id": str(report.pool.pk) if report.pool else None,
        "fairness": report.fairness,
        "rows": [
            {
                "user_id": str(row.user.pk),
                "name": row.user.get_full_name(),
                "time_zone": row.time_zone,
                "weekly_cap": row.weekly_cap,
                "weight": row.weight,
                "counts": row.counts,
            }
            for row in report.rows
        ],
    }
