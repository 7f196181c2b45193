"""Recruiter pages. Thin: resolve the organization, call a selector, render."""

from __future__ import annotations

import mimetypes

from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from hireslot.accounts.access import member_required
from hireslot.accounts.models import Organization
from hireslot.accounts.plans import organization_has_self_scheduling, self_scheduling_plan_names
from hireslot.accounts.requests import MemberRequest
from hireslot.core.scoping import get_scoped_or_404, scoped
from hireslot.messaging.models import EmailTemplate
from hireslot.recruiting import selectors as recruiting
from hireslot.recruiting.models import InterviewTemplate, TaskTemplate


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`: the process answers and the database is reachable."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@member_required()
def home(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "web/home.html",
        {
            "tasks": recruiting.tasks_open_for(
                organization=request.organization, assignee=request.user
            )[:20],
            "jobs": recruiting.job_list(organization=request.organization),
        },
    )


@member_required()
def candidate_list(request: MemberRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "web/candidate_list.html",
        {
            "candidates": recruiting.candidate_list(
                organization=request.organization, search=search
            ),
            "search": search,
        },
    )


@member_required()
def candidate_detail(request: MemberRequest, candidate_id: str) -> HttpResponse:
    candidate = recruiting.candidate_detail(
        organization=request.organization, candidate_id=candidate_id
    )
    return render(request, "web/candidate_detail.html", {"candidate": candidate})


@member_required()
def job_list(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "web/job_list.html",
        {"jobs": recruiting.job_list(organization=request.organization)},
    )


@member_required()
def job_detail(request: MemberRequest, job_id: str) -> HttpResponse:
    job, stages = recruiting.job_pipeline(organization=request.organization, job_id=job_id)
    return render(request, "web/job_detail.html", {"job": job, "stages": stages})


@member_required()
def template_list(request: MemberRequest) -> HttpResponse:
    organization = request.organization
    return render(
        request,
        "web/template_list.html",
        {
            "interview_templates": scoped(InterviewTemplate, organization),
            "email_templates": scoped(EmailTemplate, organization),
            "task_templates": scoped(TaskTemplate, organization).select_related("assignee"),
        },
    )


@member_required()
def interview_template_detail(request: MemberRequest, template_id: str) -> HttpResponse:
    """The page an interviewer's calendar event links to."""
    template = get_scoped_or_404(InterviewTemplate, request.organization, pk=template_id)
    return render(request, "web/interview_template_detail.html", {"template": template})


@member_required()
def organization_settings(request: MemberRequest) -> HttpResponse:
    organization = request.organization
    return render(
        request,
        "web/settings.html",
        {
            "self_scheduling_included": organization_has_self_scheduling(organization),
            "self_scheduling_plans": self_scheduling_plan_names(),
            "members": organization.memberships.select_related("user").order_by("user__full_name"),
        },
    )


def organization_logo(request: HttpRequest, slug: str) -> FileResponse:
    """Logos are public: they brand the candidate's scheduling page."""
    organization = get_object_or_404(Organization, slug=slug)
    if not organization.logo:
        raise Http404("No logo")
    content_type = mimetypes.guess_type(organization.logo.name)[0] or "application/octet-stream"
    response = FileResponse(organization.logo.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response
