"""Self-schedule requests: compose and send one from a candidate, then cancel, send again or
dismiss it. Thin: parse, call a service, redirect."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hireslot.accounts.access import (
    RECRUITING_ROLES,
    member_required,
    self_scheduling_plan_required,
)
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.messaging.email_templates import email_text_for
from hireslot.messaging.merge_fields import MergeTemplateError, MergeValues, merge_template_render
from hireslot.recruiting.models import Application
from hireslot.scheduling.models import SchedulingRequest, SelfScheduleTemplate
from hireslot.scheduling.selectors import stage_template_of
from hireslot.scheduling.services import requests
from hireslot.web.actions import service_action

PREVIEW_LINK = "(the candidate's personal link, created when you send)"


def _application(request: MemberRequest, application_id: str) -> Application:
    return get_scoped_or_404(
        Application.objects.select_related(
            "candidate", "job__hiring_manager", "current_stage__stage_template__template"
        ),
        request.organization,
        pk=application_id,
    )


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


@member_required(*RECRUITING_ROLES)
@self_scheduling_plan_required
def request_compose(request: MemberRequest, application_id: str) -> HttpResponse:
    """The email this send would go out with, editable, or why it cannot go out."""
    application = _application(request, application_id)
    templates = scoped(SelfScheduleTemplate, request.organization).select_related(
        "email_template", "interview_template"
    )
    assigned = stage_template_of(application.current_stage)
    chosen = request.GET.get("template") or (str(assigned.pk) if assigned else "")
    template = templates.filter(pk=chosen).first() if _is_uuid(chosen) else None
    template = template or templates.first()
    context: dict[str, object] = {"application": application, "template": template}
    if template is not None:
        problem = requests.scheduling_request_problem(
            application=application, template=template, sender=request.user
        )
        values = MergeValues(
            candidate_first_name=application.candidate.first_name,
            candidate_last_name=application.candidate.last_name,
            candidate_email=application.candidate.email,
            job_title=application.job.title,
            organization_name=request.organization.name,
            interview_name=template.interview_template.name,
            interview_duration=template.interview_minutes,
            sender_name=request.user.get_full_name(),
            sender_email=request.user.email,
            scheduling_link=PREVIEW_LINK,
        )
        # The version in the candidate's language, as the send would pick it.
        text = email_text_for(
            template=template.email_template, language=application.candidate.language
        )
        context.update(subject=text.subject, body=text.body, text_language=text.language)
        try:
            context.update(
                preview_subject=merge_template_render(text.subject, values),
                preview_body=merge_template_render(text.body, values),
            )
        except MergeTemplateError as error:  # over a rendering limit with this candidate
            problem = problem or error.message
        context["problem"] = problem
    partial = "web/_compose.html" if request.headers.get("HX-Request") else "web/compose.html"
    return render(request, partial, {**context, "templates": templates})


@require_POST
@member_required(*RECRUITING_ROLES)
@self_scheduling_plan_required
def request_send(request: MemberRequest, application_id: str) -> HttpResponse:
    application = get_scoped_or_404(
        Application.objects.select_related("candidate", "job__hiring_manager"),
        request.organization,
        pk=application_id,
    )
    template = get_scoped_or_404(
        SelfScheduleTemplate, request.organization, pk=request.POST.get("template", "")
    )
    # Edited text counts only when it differs from the template's (merge fields and all),
    # in the version the candidate's language picks: unedited, the send picks it again.
    text = email_text_for(template=template.email_template, language=application.candidate.language)
    subject = request.POST.get("subject")
    body = request.POST.get("body")
    if subject is not None and subject.strip() == text.subject.strip():
        subject = None
    if body is not None and body.replace("\r\n", "\n").strip() == text.body.strip():
        body = None
    return service_action(
        request,
        lambda: requests.scheduling_request_send(
            application=application,
            template=template,
            sender=request.user,
            subject=subject or None,
            body=body.replace("\r\n", "\n") if body else None,
        ),
        success=f"Sent {template.name} to {application.candidate.email}.",
        redirect_to=reverse("web:candidate-detail", args=[application.candidate_id]),
    )


def _back(request: MemberRequest, fallback: str) -> str:
    """Back to the page the action was taken on (only our own pages)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _scheduling_request(request: MemberRequest, scheduling_request_id: str) -> SchedulingRequest:
    return get_scoped_or_404(
        SchedulingRequest.objects.select_related("application", "email"),
        request.organization,
        pk=scheduling_request_id,
    )


def _back_to_candidate(request: MemberRequest, scheduling_request: SchedulingRequest) -> str:
    candidate_id = scheduling_request.application.candidate_id
    return _back(request, reverse("web:candidate-detail", args=[candidate_id]))


@require_POST
@member_required(*RECRUITING_ROLES)
def request_cancel(request: MemberRequest, scheduling_request_id: str) -> HttpResponse:
    scheduling_request = _scheduling_request(request, scheduling_request_id)
    return service_action(
        request,
        lambda: requests.scheduling_request_cancel(
            request=scheduling_request,
            actor=request.user,
            reason=request.POST.get("reason", "")[:2000],
        ),
        success="The request was cancelled; its link no longer works.",
        redirect_to=_back_to_candidate(request, scheduling_request),
    )


@require_POST
@member_required(*RECRUITING_ROLES)
def request_resend(request: MemberRequest, scheduling_request_id: str) -> HttpResponse:
    scheduling_request = _scheduling_request(request, scheduling_request_id)
    return service_action(
        request,
        lambda: requests.scheduling_request_resend(request=scheduling_request, actor=request.user),
        success="Sent again, with the same link.",
        redirect_to=_back_to_candidate(request, scheduling_request),
    )


@require_POST
@member_required(*RECRUITING_ROLES)
def request_dismiss(request: MemberRequest, scheduling_request_id: str) -> HttpResponse:
    scheduling_request = _scheduling_request(request, scheduling_request_id)
    return service_action(
        request,
        lambda: requests.scheduling_request_dismiss(request=scheduling_request),
        redirect_to=_back(request, reverse("web:home")),
    )
