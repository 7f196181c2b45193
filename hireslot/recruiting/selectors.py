"""Reads of the applicant-tracking core used by more than one page, always organization-scoped."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet

from hireslot.accounts.models import Organization, User
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.recruiting.models import (
    Application,
    Candidate,
    Job,
    StageChange,
    Task,
    WorkflowStage,
)


def candidate_list(*, organization: Organization, search: str = "") -> QuerySet[Candidate]:
    candidates = scoped(Candidate, organization).prefetch_related(
        Prefetch(
            "applications",
            queryset=Application.objects.select_related("job", "current_stage"),
        )
    )
    if search:
        candidates = candidates.filter(
            Q(first_name__icontains=search)
            | Q(last_name__icontains=search)
            | Q(email__icontains=search)
        )
    return candidates


def candidate_detail(*, organization: Organization, candidate_id: str) -> Candidate:
    return get_scoped_or_404(
        scoped(Candidate, organization).prefetch_related(
            Prefetch(
                "applications",
                queryset=Application.objects.select_related(
                    "job", "current_stage"
                ).prefetch_related(
                    Prefetch(
                        "stage_changes",
                        queryset=StageChange.objects.select_related(
                            "from_stage", "to_stage", "actor"
                        ),
                    )
                ),
            ),
            Prefetch("tasks", queryset=Task.objects.select_related("assignee")),
        ),
        organization,
        pk=candidate_id,
    )


def job_list(*, organization: Organization) -> QuerySet[Job]:
    return (
        scoped(Job, organization)
        .select_related("hiring_manager")
        .annotate(application_count=Count("applications"))
    )


def job_pipeline(*, organization: Organization, job_id: str) -> tuple[Job, list[WorkflowStage]]:
    """A job and its stages in order, each with its applications (and their candidates)."""
    job = get_scoped_or_404(
        scoped(Job, organization).select_related("hiring_manager"), organization, pk=job_id
    )
    stages = list(
        WorkflowStage.objects.filter(job=job)
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "applications",
                queryset=Application.objects.select_related("candidate").order_by(
                    "candidate__first_name"
                ),
            )
        )
    )
    return job, stages


def tasks_open(
    *,
    organization: Organization,
    assignee: User | None,
    due_before: datetime | None = None,
    due_from: datetime | None = None,
) -> QuerySet[Task]:
    """Open tasks, soonest due first (undated last); ``assignee`` None means everyone's."""
    tasks = scoped(Task, organization).filter(done=False)
    if assignee is not None:
        tasks = tasks.filter(assignee=assignee)
    if due_before is not None:
        tasks = tasks.filter(due_at__lt=due_before)
    if due_from is not None:
        tasks = tasks.filter(due_at__gte=due_from)
    return tasks.select_related("candidate", "assignee").order_by(
        F("due_at").asc(nulls_last=True), "created_at"
    )


def tasks_open_for(*, organization: Organization, assignee: User) -> QuerySet[Task]:
    return (
        scoped(Task, organization).filter(assignee=assignee, done=False).select_related("candidate")
    )
