"""Recruiter pages for self-scheduling: send from a candidate, follow an interview and its
effects, retry a failed step, reschedule or cancel. Thin: parse, call a service, redirect."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hireslot.accounts.access import (
    RECRUITING_ROLES,
    member_required,
    self_scheduling_plan_required,
)
from hireslot.accounts.models import AvailabilitySettings
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.request_input import instant_parse
from hireslot.messaging.merge_fields import MergeTemplateError, MergeValues, merge_template_render
from hireslot.recruiting.models import Application
from hireslot.scheduling.models import Effect, Interview, SchedulingRequest, SelfScheduleTemplate
from hireslot.scheduling.selectors import effects_of, slots_by_day
from hireslot.scheduling.services import (
    effect_retry,
    interview_cancel,
    interview_reschedule,
    scheduling_link,
    scheduling_request_cancel,
    scheduling_request_dismiss,
    scheduling_request_problem,
    scheduling_request_resend,
    scheduling_request_send,
)
from hireslot.scheduling.slots import request_slots


def _my_zone(request: MemberRequest) -> ZoneInfo:
    name = (
        AvailabilitySettings.objects.filter(user=request.user)
        .values_list("time_zone", flat=True)
        .first()
    )
    return ZoneInfo(name or request.organization.default_time_zone or "UTC")


PREVIEW_LINK = "(the candidate's personal link, created when you send)"


def _application(request: MemberRequest, application_id: str) -> Application:
    return get_scoped_or_404(
        Application.objects.select_related(
            "candidate", "job__hiring_manager", "current_stage__self_schedule_template"
        ),
        request.organization,
        pk=application_id,
    )


@member_required(*RECRUITING_ROLES)
@self_scheduling_plan_required
def request_compose(request: MemberRequest, application_id: str) -> HttpResponse:
    """The email this send would go out with, editable, or why it cannot go out."""
    application = _application(request, application_id)
    templates = scoped(SelfScheduleTemplate, request.organization).select_related(
        "email_template", "interview_template"
    )
    chosen = request.GET.get("template") or (
        str(application.current_stage.self_schedule_template_id or "")
    )
    template = templates.filter(pk=chosen).first() if _is_uuid(chosen) else None
    template = template or templates.first()
    context: dict[str, object] = {"application": application, "template": template}
    if template is not None:
        problem = scheduling_request_problem(
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
        context.update(subject=template.email_template.subject, body=template.email_template.body)
        try:
            context.update(
                preview_subject=merge_template_render(template.email_template.subject, values),
                preview_body=merge_template_render(template.email_template.body, values),
            )
        except MergeTemplateError as error:  # over a rendering limit with this candidate
            problem = problem or error.message
        context["problem"] = problem
    partial = "web/_compose.html" if request.headers.get("HX-Request") else "web/compose.html"
    return render(request, partial, {**context, "templates": templates})


def _is_uuid(value: str) -> bool:
    try:
        UUID(value)
    except ValueError:
        return False
    return True


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
    # Edited text counts only when it differs from the template's (merge fields and all).
    subject = request.POST.get("subject")
    body = request.POST.get("body")
    if subject is not None and subject.strip() == template.email_template.subject.strip():
        subject = None
    if (
        body is not None
        and body.replace("\r\n", "\n").strip() == template.email_template.body.strip()
    ):
        body = None
    try:
        scheduling_request_send(
            application=application,
            template=template,
            sender=request.user,
            subject=subject or None,
            body=body.replace("\r\n", "\n") if body else None,
        )
    except HireSlotError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Sent {template.name} to {application.candidate.email}.")
    return redirect("web:candidate-detail", candidate_id=application.candidate_id)


def _back(request: MemberRequest, fallback: str) -> HttpResponse:
    """Back to the page the action was taken on (only our own pages)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _scheduling_request(request: MemberRequest, request_id: str) -> SchedulingRequest:
    return get_scoped_or_404(
        SchedulingRequest.objects.select_related("application", "email"),
        request.organization,
        pk=request_id,
    )


@require_POST
@member_required(*RECRUITING_ROLES)
def request_cancel(request: MemberRequest, request_id: str) -> HttpResponse:
    scheduling_request = _scheduling_request(request, request_id)
    try:
        scheduling_request_cancel(
            request=scheduling_request,
            actor=request.user,
            reason=request.POST.get("reason", "")[:2000],
        )
    except HireSlotError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The request was cancelled; its link no longer works.")
    return _back(
        request,
        reverse("web:candidate-detail", args=[scheduling_request.application.candidate_id]),
    )


@require_POST
@member_required(*RECRUITING_ROLES)
def request_resend(request: MemberRequest, request_id: str) -> HttpResponse:
    scheduling_request = _scheduling_request(request, request_id)
    try:
        scheduling_request_resend(request=scheduling_request, actor=request.user)
    except HireSlotError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Sent again, with the same link.")
    return _back(
        request,
        reverse("web:candidate-detail", args=[scheduling_request.application.candidate_id]),
    )


@require_POST
@member_required(*RECRUITING_ROLES)
def request_dismiss(request: MemberRequest, request_id: str) -> HttpResponse:
    scheduling_request = _scheduling_request(request, request_id)
    try:
        scheduling_request_dismiss(request=scheduling_request)
    except HireSlotError as error:
        messages.error(request, error.message)
    return _back(request, reverse("web:home"))


def _interview(request: MemberRequest, interview_id: str) -> Interview:
    return get_scoped_or_404(
        Interview.objects.select_related(
            "interview_template", "request__template", "application__candidate", "application__job"
        ),
        request.organization,
        pk=interview_id,
    )


@member_required()
def interview_detail(request: MemberRequest, interview_id: str) -> HttpResponse:
    interview = _interview(request, interview_id)
    zone = _my_zone(request)
    now = clock.now()
    days = []
    if interview.status == Interview.Status.SCHEDULED and request.membership.can_recruit:
        slots = request_slots(
            request=interview.request,
            start=now,
            end=now + timedelta(days=14),
            now=now,
            exclude_interview_id=interview.pk,
        )
        days = slots_by_day(slots, zone)
    # Template date filters show aware times in the active zone: make that the reader's own.
    with timezone.override(zone):
        return render(
            request,
            "web/interview_detail.html",
            {
                "interview": interview,
                "local_start": interview.start.astimezone(zone),
                "local_end": interview.end.astimezone(zone),
                "zone": str(zone),
                "effects": effects_of(interview),
                "interviewers": interview.request.interviewers.order_by("full_name"),
                # The link acts as the candidate: interviewers see the interview, not it.
                "candidate_link": (
                    scheduling_link(interview.request) if request.membership.can_recruit else ""
                ),
                "days": days,
            },
        )


@require_POST
@member_required(*RECRUITING_ROLES)
def effect_retry_view(request: MemberRequest, interview_id: str, effect_id: str) -> HttpResponse:
    interview = _interview(request, interview_id)
    effect = get_scoped_or_404(
        scoped(Effect, request.organization).filter(interview=interview),
        request.organization,
        pk=effect_id,
    )
    try:
        effect_retry(effect=effect)
    except HireSlotError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{effect.get_kind_display()}: queued again.")
    return redirect("web:interview-detail", interview_id=interview.pk)


@require_POST
@member_required(*RECRUITING_ROLES)
def interview_cancel_view(request: MemberRequest, interview_id: str) -> HttpResponse:
    interview = _interview(request, interview_id)
    try:
        interview_cancel(
            interview=interview,
            actor=request.user,
            by_candidate=False,
            reason=request.POST.get("reason", "")[:2000],
        )
    except HireSlotError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Cancelled; the candidate and interviewers are told.")
    return redirect("web:interview-detail", interview_id=interview.pk)


@require_POST
@member_required(*RECRUITING_ROLES)
def interview_reschedule_view(request: MemberRequest, interview_id: str) -> HttpResponse:
    interview = _interview(request, interview_id)
    try:
        interview_reschedule(
            interview=interview,
            start=instant_parse(request.POST.get("start")),
            actor=request.user,
            by_candidate=False,
        )
    except HireSlotError as error:
        # The page again, saying why, with the refusal's status (400 for a bad time).
        messages.error(request, error.message)
        response = interview_detail(request, interview_id)
        response.status_code = error.status_code
        return response
    messages.success(request, "Moved; calendars and the candidate's invite are updated.")
    return redirect("web:interview-detail", interview_id=interview.pk)
