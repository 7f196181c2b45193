"""Jobs with their stages, candidates with their applications, moving an application
between stages, and interview templates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from hireslot.accounts.tenancy import scoped
from hireslot.api import shapes
from hireslot.api.auth import api_key_of, organization_of
from hireslot.api.keys import api_key_actor
from hireslot.api.lookups import body_object, path_object
from hireslot.api.pagination import PageQuery, page_of
from hireslot.api.routes.common import READ_ERRORS, WRITE_ERRORS
from hireslot.api.schemas import (
    ApplicationMoveIn,
    ApplicationOut,
    CandidateFilter,
    CandidateIn,
    CandidateOut,
    CandidatePage,
    InterviewTemplateOut,
    InterviewTemplatePage,
    JobOut,
    JobPage,
)
from hireslot.recruiting.models import Application, Candidate, InterviewTemplate, Job, WorkflowStage
from hireslot.recruiting.services import application_stage_move, candidate_apply

router = Router()


@router.get("/jobs", response={200: JobPage, **READ_ERRORS}, tags=["Jobs"])
def job_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Jobs, with their workflow stages in order."""
    return page_of(scoped(Job, organization_of(request)), page, shapes.job_items)


@router.get("/jobs/{job_id}", response={200: JobOut, **READ_ERRORS}, tags=["Jobs"])
def job_detail(request: HttpRequest, job_id: str) -> dict[str, Any]:
    return shapes.job_items([path_object(request, Job, job_id)])[0]


@router.get("/candidates", response={200: CandidatePage, **READ_ERRORS}, tags=["Candidates"])
def candidate_list(
    request: HttpRequest, page: Query[PageQuery], filters: Query[CandidateFilter]
) -> dict[str, Any]:
    """Candidates with their applications; `?email=` finds one by exact address."""
    rows = scoped(Candidate, organization_of(request))
    if filters.email is not None:
        rows = rows.filter(email=filters.email.strip().lower())
    return page_of(rows, page, shapes.candidate_items)


@router.post("/candidates", response={201: CandidateOut, **WRITE_ERRORS}, tags=["Candidates"])
def candidate_create(request: HttpRequest, payload: CandidateIn) -> Status[Any]:
    """A new candidate, applied to `job_id` (in the job's first stage)."""
    job = body_object(request, Job, payload.job_id, field="job_id", noun="job")
    application = candidate_apply(
        organization=organization_of(request),
        job=job,
        actor=api_key_actor(api_key_of(request)),
        first_name=payload.first_name,
        last_name=payload.last_name,
        email=payload.email,
        phone=payload.phone,
        time_zone=payload.time_zone,
        language=payload.language,
    )
    return Status(201, shapes.candidate_items([application.candidate])[0])


@router.get(
    "/candidates/{candidate_id}", response={200: CandidateOut, **READ_ERRORS}, tags=["Candidates"]
)
def candidate_detail(request: HttpRequest, candidate_id: str) -> dict[str, Any]:
    return shapes.candidate_items([path_object(request, Candidate, candidate_id)])[0]


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationOut, **READ_ERRORS},
    tags=["Candidates"],
)
def application_detail(request: HttpRequest, application_id: str) -> dict[str, Any]:
    return shapes.application_item(path_object(request, Application, application_id))


@router.post(
    "/applications/{application_id}/move",
    response={200: ApplicationOut, **WRITE_ERRORS},
    tags=["Candidates"],
)
def application_move(
    request: HttpRequest, application_id: str, payload: ApplicationMoveIn
) -> dict[str, Any]:
    """Move the application to another stage of its job (recorded in its history)."""
    application = path_object(request, Application.objects.select_related("job"), application_id)
    stage = body_object(
        request,
        WorkflowStage.objects.filter(job_id=application.job_id),
        payload.stage_id,
        field="stage_id",
        noun="stage of this application's job",
    )
    moved = application_stage_move(
        application=application, to_stage=stage, actor=api_key_actor(api_key_of(request))
    )
    return shapes.application_item(moved)


@router.get(
    "/interview-templates",
    response={200: InterviewTemplatePage, **READ_ERRORS},
    tags=["Templates"],
)
def interview_template_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """What interviews are about (the self-schedule templates point at one)."""
    return page_of(
        scoped(InterviewTemplate, organization_of(request)), page, shapes.interview_template_items
    )


@router.get(
    "/interview-templates/{template_id}",
    response={200: InterviewTemplateOut, **READ_ERRORS},
    tags=["Templates"],
)
def interview_template_detail(request: HttpRequest, template_id: str) -> dict[str, Any]:
    return shapes.interview_template_item(path_object(request, InterviewTemplate, template_id))
