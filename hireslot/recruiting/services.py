"""Writes with consequences in the applicant-tracking core."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F

from hireslot.accounts.models import Organization, User
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.recruiting.models import (
    DEFAULT_STAGE_NAMES,
    Application,
    Candidate,
    Job,
    StageChange,
    Task,
    WorkflowStage,
)


@transaction.atomic
def job_create(
    *,
    organization: Organization,
    title: str,
    location: str = "",
    hiring_manager: User | None = None,
    stage_names: Sequence[str] = DEFAULT_STAGE_NAMES,
) -> Job:
    """A job with its ordered workflow stages (the default pipeline unless told otherwise)."""
    if not stage_names:
        raise HireSlotError("A job needs at least one workflow stage.")
    job = Job(
        organization=organization, title=title, location=location, hiring_manager=hiring_manager
    )
    job.full_clean()
    job.save()
    WorkflowStage.objects.bulk_create(
        WorkflowStage(organization=organization, job=job, name=name, position=position)
        for position, name in enumerate(stage_names)
    )
    return job


def candidate_create(
    *,
    organization: Organization,
    first_name: str,
    last_name: str = "",
    email: str = "",
    phone: str = "",
    time_zone: str = "",
    language: str = "",
) -> Candidate:
    candidate = Candidate(
        organization=organization,
        first_name=first_name,
        last_name=last_name,
        email=email.strip().lower(),
        phone=phone,
        time_zone=time_zone,
        language=language,
    )
    candidate.full_clean()
    candidate.save()
    return candidate


CANDIDATE_EDITABLE = ("first_name", "last_name", "email", "phone", "time_zone", "language")


def candidate_update(*, candidate: Candidate, **changes: str) -> Candidate:
    """Change a candidate's contact details, time zone or language (``CANDIDATE_EDITABLE``),
    validated as on creation; requests already sent keep their email, later ones use these."""
    unknown = set(changes) - set(CANDIDATE_EDITABLE)
    if unknown:
        raise HireSlotError(f"A candidate has no editable {', '.join(sorted(unknown))}.")
    if "email" in changes:
        changes["email"] = changes["email"].strip().lower()
    for field, value in changes.items():
        setattr(candidate, field, value)
    candidate.full_clean()
    candidate.save(update_fields=[*changes, "updated_at"])
    return candidate


@transaction.atomic
def application_create(
    *,
    candidate: Candidate,
    job: Job,
    actor: User | None,
    stage: WorkflowStage | None = None,
) -> Application:
    """Apply a candidate to a job, entering the first stage (or ``stage``), with history."""
    if candidate.organization_id != job.organization_id:
        raise HireSlotError("The candidate and the job belong to different organizations.")
    first_stage = stage or job.stages.order_by("position").first()
    if first_stage is None or first_stage.job_id != job.id:
        raise HireSlotError(f"{job.title} has no such workflow stage.")
    application = Application.objects.create(
        organization=job.organization, candidate=candidate, job=job, current_stage=first_stage
    )
    StageChange.objects.create(
        organization=job.organization,
        application=application,
        from_stage=None,
        to_stage=first_stage,
        actor=actor,
    )
    return application


@transaction.atomic
def candidate_apply(
    *,
    organization: Organization,
    job: Job,
    actor: User | None,
    first_name: str,
    last_name: str = "",
    email: str = "",
    phone: str = "",
    time_zone: str = "",
    language: str = "",
) -> Application:
    """A new candidate and their application to ``job`` (in its first stage), both or
    neither."""
    if job.organization_id != organization.pk:
        raise HireSlotError("The job belongs to another organization.")
    candidate = candidate_create(
        organization=organization,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        time_zone=time_zone,
        language=language,
    )
    return application_create(candidate=candidate, job=job, actor=actor)


@transaction.atomic
def application_stage_move(
    *, application: Application, to_stage: WorkflowStage, actor: User | None
) -> Application:
    """Move an application to another stage of its job and record who did it and when.

    Moving to the stage it is already in changes nothing (so a retried move is harmless).
    """
    if to_stage.job_id != application.job_id:
        raise HireSlotError(f"“{to_stage.name}” is not a stage of {application.job.title}.")
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.current_stage_id == to_stage.id:
        return locked
    StageChange.objects.create(
        organization=locked.organization,
        application=locked,
        from_stage_id=locked.current_stage_id,
        to_stage=to_stage,
        actor=actor,
    )
    locked.current_stage = to_stage
    locked.save(update_fields=["current_stage", "updated_at"])
    return locked


def task_create(
    *,
    organization: Organization,
    title: str,
    description: str = "",
    assignee: User | None = None,
    due_at: datetime | None = None,
    candidate: Candidate | None = None,
    application: Application | None = None,
) -> Task:
    task = Task(
        organization=organization,
        title=title,
        description=description,
        assignee=assignee,
        due_at=due_at,
        candidate=candidate or (application.candidate if application else None),
        application=application,
    )
    task.full_clean()
    task.save()
    return task


def task_complete(*, task: Task) -> Task:
    if not task.done:
        task.done = True
        task.done_at = clock.now()
        task.save(update_fields=["done", "done_at", "updated_at"])
    return task


def task_reopen(*, task: Task) -> Task:
    """Undo a completion (a checkbox ticked by mistake)."""
    if task.done:
        task.done = False
        task.done_at = None
        task.save(update_fields=["done", "done_at", "updated_at"])
    return task


def task_close_for_interview(*, task_ids: Iterable[str], now: datetime) -> int:
    """The tasks a booking created are done once its interview is cancelled: nothing is left
    to prepare. Returns how many were still open."""
    return Task.objects.filter(pk__in=list(task_ids), done=False).update(
        done=True, done_at=now, updated_at=now
    )


def task_due_move(*, task_ids: Iterable[str], by: timedelta) -> int:
    """The tasks a booking created keep their distance to the interview when it moves."""
    return Task.objects.filter(pk__in=list(task_ids), done=False, due_at__isnull=False).update(
        due_at=F("due_at") + by, updated_at=clock.now()
    )
