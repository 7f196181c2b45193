"""Self-schedule requests: compose and send one from a candidate, then cancel, send again or
dismiss it. Thin: parse, call a service, redirect."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
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
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.languages import CANDIDATE_LANGUAGES
from hireslot.core.request_input import is_uuid
from hireslot.core.time_text import when_text
from hireslot.messaging.email_templates import email_template_versions, email_text_for
from hireslot.messaging.merge_fields import (
    MERGE_FIELDS,
    MergeTemplateError,
    MergeValues,
    merge_template_render,
    merge_template_validate,
)
from hireslot.recruiting.models import Application
from hireslot.scheduling.models import SchedulingRequest, SelfScheduleTemplate
from hireslot.scheduling.selectors import live_interview_of
from hireslot.scheduling.services import requests
from hireslot.scheduling.services.coordinator import coordinator_times
from hireslot.web.actions import confirmation_page, service_action
from hireslot.web.sending import sending_application, sending_template_choose
from hireslot.web.templatetags.workspace import request_cancel_question
from hireslot.web.zones import member_zone

PREVIEW_LINK = "(the candidate's personal link, created when you send)"


def _merge_values(
    request: MemberRequest, application: Application, template: SelfScheduleTemplate
) -> MergeValues:
    """What the merge fields hold for this candidate (the link is made only when sent)."""
    return MergeValues(
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


def _language_choices(template: SelfScheduleTemplate) -> list[tuple[str, str]]:
    """The template's own text ("") and each language it has a version in."""
    names = dict(CANDIDATE_LANGUAGES)
    versions = email_template_versions(template=template.email_template)
    return [("", "Default text")] + [(code, names.get(code, code)) for code in sorted(versions)]


def _chosen_language(
    raw: str | None, application: Application, template: SelfScheduleTemplate
) -> str:
    """The version asked for, else the one the candidate's language picks (as the send would)."""
    choices = {code for code, _ in _language_choices(template)}
    if raw is not None and raw in choices:
        return raw
    return email_text_for(
        template=template.email_template, language=application.candidate.language
    ).language


def _preview(
    request: MemberRequest,
    application: Application,
    template: SelfScheduleTemplate,
    *,
    subject: str,
    body: str,
) -> dict[str, object]:
    """The email as this candidate will read it, or what stops it from being sent: problems
    with the candidate or template first, then merge-field mistakes in the edited text."""
    problems = []
    problem = requests.scheduling_request_problem(
        application=application, template=template, sender=request.user
    )
    if problem:
        problems.append(problem)
    values = _merge_values(request, application, template)
    rendered: dict[str, object] = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            merge_template_validate(text)
            rendered[f"preview_{field}"] = merge_template_render(text, values)
        except (MergeTemplateError, ValidationError) as error:
            message = error.message if isinstance(error, MergeTemplateError) else error.messages[0]
            problems.append(f"{field.capitalize()}: {message}")
    # Only a problem with the candidate or template blocks the Send button: the text's own
    # mistakes are fixed right here, and the send refuses them anyway.
    return {**rendered, "problems": problems, "blocked": bool(problem)}


# How far ahead the compose page looks for the times a send would offer (the engine stops at
# the template's horizon first).
OFFER_LOOKAHEAD = timedelta(days=90)


def _offer_outlook(
    request: MemberRequest, application: Application, template: SelfScheduleTemplate
) -> dict[str, object]:
    """What the candidate would be offered if sent now: how many times, the first one in the
    recruiter's zone, or that there is none (an empty calendar is otherwise found out from
    the candidate). Nothing for templates that ask for availability, or that cannot be sent
    (the preview says why)."""
    if template.ask_availability:
        return {}
    now = clock.now()
    try:
        times = coordinator_times(
            application=application,
            template=template,
            actor=request.user,
            start=now,
            end=now + OFFER_LOOKAHEAD,
            now=now,
        )
    except HireSlotError:
        return {}
    slots = [slot for slot in times.slots if slot.start_at < times.last_start]
    outlook: dict[str, object] = {
        "offer_count": len(slots),
        "offer_days": max(1, round((times.last_start - now) / timedelta(days=1))),
    }
    if slots:
        outlook["offer_first"] = when_text(
            slots[0].start_at, slots[0].end_at, zone=str(member_zone(request)), locale="en_US"
        )
    return outlook


@member_required(*RECRUITING_ROLES)
@self_scheduling_plan_required
def request_compose(request: MemberRequest, application_id: str) -> HttpResponse:
    """The email this send would go out with, editable, in the candidate's language (or the
    version chosen), with a preview, or why it cannot go out."""
    application = sending_application(request, application_id)
    template, templates = sending_template_choose(
        request, application, request.GET.get("template", "")
    )
    context: dict[str, object] = {
        "application": application,
        "template": template,
        "templates": templates,
        "merge_fields": list(MERGE_FIELDS.items()),
        "can_change": True,
    }
    if template is not None:
        language = _chosen_language(request.GET.get("language"), application, template)
        text = email_text_for(template=template.email_template, language=language)
        context.update(
            subject=text.subject,
            body=text.body,
            language=language,
            language_choices=_language_choices(template),
            **_preview(request, application, template, subject=text.subject, body=text.body),
            **_offer_outlook(request, application, template),
        )
    partial = "web/_compose.html" if request.headers.get("HX-Request") else "web/compose.html"
    return render(request, partial, context)


@require_POST
@member_required(*RECRUITING_ROLES)
@self_scheduling_plan_required
def request_compose_preview(request: MemberRequest, application_id: str) -> HttpResponse:
    """The preview again as the recruiter edits (debounced by the page)."""
    application = sending_application(request, application_id)
    template = get_scoped_or_404(
        SelfScheduleTemplate.objects.select_related("interview_template"),
        request.organization,
        pk=_uuid_or_none(request.POST.get("template", "")),
    )
    context = _preview(
        request,
        application,
        template,
        subject=request.POST.get("subject", "")[:300],
        body=request.POST.get("body", "")[:20000].replace("\r\n", "\n"),
    )
    return render(request, "web/_compose_preview.html", {**context, "application": application})


def _uuid_or_none(value: str) -> str | None:
    return value if is_uuid(value) else None


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
        SelfScheduleTemplate,
        request.organization,
        pk=_uuid_or_none(request.POST.get("template", "")),
    )
    # Edited text counts only when it differs from the template's (merge fields and all),
    # in the version the candidate's language picks: unedited, the send picks it again. A
    # version the recruiter chose instead is sent as it reads on the page.
    picked = email_text_for(
        template=template.email_template, language=application.candidate.language
    )
    language = _chosen_language(request.POST.get("language"), application, template)
    subject = request.POST.get("subject")
    body = request.POST.get("body")
    if language == picked.language:
        if subject is not None and subject.strip() == picked.subject.strip():
            subject = None
        if body is not None and body.replace("\r\n", "\n").strip() == picked.body.strip():
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
        SchedulingRequest.objects.select_related("application__candidate", "template", "email"),
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
    unconfirmed = confirmation_page(
        request,
        question=request_cancel_question(scheduling_request, live_interview_of(scheduling_request)),
        yes="Cancel the request",
        back=_back_to_candidate(request, scheduling_request),
    )
    if unconfirmed is not None:
        return unconfirmed
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
    back = _back(request, reverse("web:home"))
    # Home offers Undo for a few seconds (?undone=<id> names what was just dismissed).
    separator = "&" if "?" in back else "?"
    return service_action(
        request,
        lambda: requests.scheduling_request_dismiss(request=scheduling_request),
        redirect_to=back,
        success_redirect_to=lambda _: f"{back}{separator}dismissed={scheduling_request.pk}",
    )


@require_POST
@member_required(*RECRUITING_ROLES)
def request_undismiss(request: MemberRequest, scheduling_request_id: str) -> HttpResponse:
    scheduling_request = _scheduling_request(request, scheduling_request_id)
    return service_action(
        request,
        lambda: requests.scheduling_request_undismiss(request=scheduling_request),
        success="The request is back.",
        redirect_to=_back(request, reverse("web:home")),
    )
