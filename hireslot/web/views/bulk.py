"""Sending from a job's pipeline: a stage's self-schedule template, one-click send, a bulk
send and its live progress page. The pipeline page itself is hireslot.web.views.jobs; these
are its sending controls. Thin: parse, call a service, redirect or render."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from hireslot.accounts.access import (
    RECRUITING_ROLES,
    member_required,
    self_scheduling_plan_required,
)
from hireslot.accounts.plans import organization_has_self_scheduling
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.recruiting.models import Application, Job, WorkflowStage
from hireslot.scheduling.models import BulkSend, SelfScheduleTemplate
from hireslot.scheduling.selectors import stage_template_of
from hireslot.scheduling.services import bulk, requests
from hireslot.web.actions import service_action


def pipeline_extras(request: MemberRequest) -> dict[str, Any]:
    """What the pipeline page adds for people who may send: the organization's templates
    (one query) and whether to show the sending controls at all."""
    can_send = request.membership.can_recruit and organization_has_self_scheduling(
        request.organization
    )
    templates = list(scoped(SelfScheduleTemplate, request.organization)) if can_send else []
    return {"can_send": can_send, "self_schedule_templates": templates}


def _uuids(values: list[str]) -> list[uuid.UUID]:
    """The well-formed ids among ``values``; anything else matches nothing."""
    ids = []
    for value in values:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    return ids


@require_POST
@member_required(*RECRUITING_ROLES)
def stage_template_assign(request: MemberRequest, job_id: str, stage_id: str) -> HttpResponse:
    job = get_scoped_or_404(Job, request.organization, pk=job_id)
    stage = get_scoped_or_404(
        WorkflowStage.objects.select_related("organization"),
        request.organization,
        pk=stage_id,
        job=job,
    )
    template_id = request.POST.get("template", "")
    template = (
        get_scoped_or_404(SelfScheduleTemplate, request.organization, pk=template_id)
        if template_id
        else None
    )
    return service_action(
        request,
        lambda: bulk.stage_template_assign(stage=stage, template=template, actor=request.user),
        success=(
            f"{stage.name} no longer has a self-schedule template."
            if template is None
            else f"{stage.name} now sends {template.name}."
        ),
        redirect_to=reverse("web:job-detail", args=[job.pk]),
    )


@require_POST
@member_required(*RECRUITING_ROLES)
@self_scheduling_plan_required
def pipeline_send(request: MemberRequest, job_id: str, application_id: str) -> HttpResponse:
    """One click: send the candidate their current stage's template."""
    job = get_scoped_or_404(Job, request.organization, pk=job_id)
    application = get_scoped_or_404(
        Application.objects.select_related(
            "candidate",
            "job__hiring_manager",
            "current_stage__stage_template__template__email_template",
            "current_stage__stage_template__template__interview_template",
        ),
        request.organization,
        pk=application_id,
        job=job,
    )
    template = stage_template_of(application.current_stage)
    if template is None:
        messages.error(
            request,
            f"{application.current_stage.name} has no self-schedule template; assign one first.",
        )
        return redirect("web:job-detail", job_id=job.pk)
    return service_action(
        request,
        lambda: requests.scheduling_request_send(
            application=application, template=template, sender=request.user
        ),
        success=(
            f"Sent {template.name} to {application.candidate.name} ({application.candidate.email})."
        ),
        redirect_to=reverse("web:job-detail", args=[job.pk]),
    )


@require_POST
@member_required(*RECRUITING_ROLES)
@self_scheduling_plan_required
def bulk_send_create(request: MemberRequest, job_id: str) -> HttpResponse:
    """Start sending to the chosen candidates (checkboxes, or everyone in a stage)."""
    job = get_scoped_or_404(Job, request.organization, pk=job_id)
    template = get_scoped_or_404(
        SelfScheduleTemplate, request.organization, pk=request.POST.get("template", "")
    )
    picked = _uuids(request.POST.getlist("application"))
    whole_stages = _uuids(request.POST.getlist("all_in_stage"))
    applications = scoped(Application, request.organization).filter(
        Q(pk__in=picked) | Q(current_stage_id__in=whole_stages), job=job
    )
    return service_action(
        request,
        lambda: bulk.bulk_send_start(
            organization=request.organization,
            template=template,
            applications=applications,
            sender=request.user,
        ),
        redirect_to=reverse("web:job-detail", args=[job.pk]),
        # Its own page follows the sending live.
        success_redirect_to=lambda bulk_send: reverse("web:bulk-send-detail", args=[bulk_send.pk]),
    )


def _bulk_send(request: MemberRequest, bulk_send_id: str) -> BulkSend:
    return get_scoped_or_404(
        BulkSend.objects.select_related("template", "sender"),
        request.organization,
        pk=bulk_send_id,
    )


@require_GET
@member_required(*RECRUITING_ROLES)
def bulk_send_detail(request: MemberRequest, bulk_send_id: str) -> HttpResponse:
    bulk_send = _bulk_send(request, bulk_send_id)
    progress = bulk.bulk_send_progress(bulk_send=bulk_send)
    return render(request, "web/bulk_send_detail.html", {"progress": progress})


@require_GET
@member_required(*RECRUITING_ROLES)
def bulk_send_progress(request: MemberRequest, bulk_send_id: str) -> HttpResponse:
    """Polled every second by the page; 286 tells htmx to stop polling once it is done."""
    bulk_send = _bulk_send(request, bulk_send_id)
    progress = bulk.bulk_send_progress(bulk_send=bulk_send)
    status = 286 if progress.done and request.headers.get("HX-Request") == "true" else 200
    return render(
        request, "web/_bulk_send_progress.html", {"progress": progress, "oob": True}, status=status
    )
