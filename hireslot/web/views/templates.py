"""The Templates page: create, edit, duplicate and delete self-schedule, email, task and
interview templates, an email template's language versions, and the email editor's live
preview. Thin: parse, call a service, render.

Templates, their editors and the live preview are for admins and recruiters only: the
preview runs the template's code, and interviewers have no business with it (they still see an
interview template's own page, which calendar events link to: ``interview_template_detail``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hireslot.accounts.access import RECRUITING_ROLES, member_required
from hireslot.accounts.plans import organization_has_self_scheduling, self_scheduling_plan_names
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.core.errors import HireSlotError
from hireslot.messaging import email_templates
from hireslot.messaging.forms import (
    EmailTemplateForm,
    EmailTemplateTranslationForm,
    OrganizationTemplateForm,
)
from hireslot.messaging.merge_fields import (
    MERGE_FIELDS,
    SAMPLE_VALUES,
    merge_template_preview,
)
from hireslot.messaging.models import EmailTemplate, EmailTemplateTranslation
from hireslot.recruiting.forms import InterviewTemplateForm, TaskTemplateForm
from hireslot.recruiting.models import InterviewTemplate, TaskTemplate
from hireslot.scheduling.forms import SelfScheduleTemplateForm
from hireslot.scheduling.models import SelfScheduleTemplate
from hireslot.scheduling.services import templates
from hireslot.scheduling.services.templates import AnyTemplate, TemplateInUseError
from hireslot.web.actions import service_action


@dataclass(frozen=True)
class TemplateKind:
    """One kind of template on the Templates page."""

    slug: str  # in URL names: web:<slug>-template-edit
    model: type[AnyTemplate]
    form: type[OrganizationTemplateForm[Any]]
    label: str
    page: str
    section: str  # the Templates page's anchor for this kind
    needs_self_scheduling: bool = False


KINDS: dict[str, TemplateKind] = {
    kind.slug: kind
    for kind in (
        TemplateKind(
            "self-schedule",
            SelfScheduleTemplate,
            SelfScheduleTemplateForm,
            "self-schedule template",
            "web/templates/self_schedule_template_form.html",
            "self-schedule-templates",
            needs_self_scheduling=True,
        ),
        TemplateKind(
            "email",
            EmailTemplate,
            EmailTemplateForm,
            "email template",
            "web/templates/email_template_form.html",
            "email-templates",
        ),
        TemplateKind(
            "task",
            TaskTemplate,
            TaskTemplateForm,
            "task template",
            "web/templates/template_form.html",
            "task-templates",
        ),
        TemplateKind(
            "interview",
            InterviewTemplate,
            InterviewTemplateForm,
            "interview template",
            "web/templates/template_form.html",
            "interview-templates",
        ),
    )
}


def _list_url(kind: TemplateKind) -> str:
    return f"{reverse('web:template-list')}#{kind.section}"


def _template_or_404(request: MemberRequest, kind: TemplateKind, template_id: str) -> AnyTemplate:
    return cast(AnyTemplate, get_scoped_or_404(kind.model, request.organization, pk=template_id))


def _plan_refusal(request: MemberRequest, kind: TemplateKind) -> HttpResponse | None:
    if kind.needs_self_scheduling and not organization_has_self_scheduling(request.organization):
        return render(
            request,
            "accounts/plan_required.html",
            {"feature": "Self-scheduling", "plans": self_scheduling_plan_names()},
            status=403,
        )
    return None


def _preview_context(subject: str, body: str) -> dict[str, Any]:
    """The email as the sample candidate would get it, or why it cannot be sent."""
    errors: dict[str, list[str]] = {}
    rendered: dict[str, str] = {}
    for field, text in (("subject", subject), ("body", body)):
        try:
            rendered[field] = merge_template_preview(text)
        except ValidationError as error:
            errors[field] = error.messages
    if errors:
        return {"preview_errors": errors}
    return {"preview_subject": rendered["subject"].strip(), "preview_body": rendered["body"]}


def _render_form(
    request: MemberRequest,
    kind: TemplateKind,
    form: OrganizationTemplateForm[Any],
    *,
    template: AnyTemplate | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "kind": kind,
        "form": form,
        "template": template,
        "can_change": True,  # only admins and recruiters reach the editors
        "list_url": _list_url(kind),
    }
    if kind.model is EmailTemplate:
        context.update(_editor_context(form))
        if template is not None:
            context["translations"] = list(cast(EmailTemplate, template).translations.all())
    return render(request, kind.page, context, status=status)


def _editor_context(form: Any) -> dict[str, Any]:
    """The merge-field picker and the live preview of an email form's subject and body."""
    subject = form["subject"].value() or ""
    body = form["body"].value() or ""
    return {
        "merge_fields": list(MERGE_FIELDS.items()),
        "sample": SAMPLE_VALUES,
        **_preview_context(str(subject), str(body)),
    }


def _save(request: MemberRequest, kind: TemplateKind, form: OrganizationTemplateForm[Any]) -> bool:
    """Save a valid form through its service; a refusal is shown on the form."""
    try:
        if isinstance(form, SelfScheduleTemplateForm):
            templates.self_schedule_template_save(
                template=form.instance,
                interviewers=form.cleaned_data["interviewers"],
                notify_users=form.cleaned_data["notify_users"],
                pools=form.cleaned_data["pools"],
            )
        else:
            templates.template_save(template=form.instance)
    except HireSlotError as error:
        form.add_error(None, error.message)
        return False
    except ValidationError as error:
        form.add_error(None, error.messages)
        return False
    messages.success(request, f"Saved the {kind.label} “{form.instance.name}”.")
    return True


@member_required(*RECRUITING_ROLES)
def template_list(request: MemberRequest) -> HttpResponse:
    organization = request.organization
    return render(
        request,
        "web/template_list.html",
        {
            "self_schedule_templates": scoped(SelfScheduleTemplate, organization)
            .select_related("email_template", "interview_template", "task_template")
            .prefetch_related("interviewers", "pool_seats__pool"),
            "interview_templates": scoped(InterviewTemplate, organization),
            "email_templates": scoped(EmailTemplate, organization).prefetch_related("translations"),
            "task_templates": scoped(TaskTemplate, organization).select_related("assignee"),
            "can_change": True,
            "self_scheduling_included": organization_has_self_scheduling(organization),
            "self_scheduling_plans": self_scheduling_plan_names(),
        },
    )


@member_required(*RECRUITING_ROLES)
def template_create(request: MemberRequest, kind: str) -> HttpResponse:
    template_kind = KINDS[kind]
    refusal = _plan_refusal(request, template_kind)
    if refusal is not None:
        return refusal
    if request.method == "POST":
        form = template_kind.form(request.POST, organization=request.organization)
        if form.is_valid() and _save(request, template_kind, form):
            return redirect(_list_url(template_kind))
        return _render_form(request, template_kind, form, status=400)
    return _render_form(
        request, template_kind, template_kind.form(organization=request.organization)
    )


@member_required(*RECRUITING_ROLES)
def template_edit(request: MemberRequest, kind: str, template_id: str) -> HttpResponse:
    template_kind = KINDS[kind]
    template = _template_or_404(request, template_kind, template_id)
    if request.method == "POST":
        refusal = _plan_refusal(request, template_kind)
        if refusal is not None:
            return refusal
        form = template_kind.form(
            request.POST, instance=template, organization=request.organization
        )
        if form.is_valid() and _save(request, template_kind, form):
            return redirect(_list_url(template_kind))
        return _render_form(request, template_kind, form, template=template, status=400)
    form = template_kind.form(instance=template, organization=request.organization)
    return _render_form(request, template_kind, form, template=template)


@require_POST
@member_required(*RECRUITING_ROLES)
def template_duplicate(request: MemberRequest, kind: str, template_id: str) -> HttpResponse:
    template_kind = KINDS[kind]
    template = _template_or_404(request, template_kind, template_id)
    refusal = _plan_refusal(request, template_kind)
    if refusal is not None:
        return refusal
    return service_action(
        request,
        lambda: templates.template_duplicate(template=template),
        success=lambda copy: f"Created “{copy.name}”, a copy of “{template.name}”.",
        redirect_to=_list_url(template_kind),
        # The copy's editor: a copy is made to be changed.
        success_redirect_to=lambda copy: reverse(
            f"web:{template_kind.slug}-template-edit", kwargs={"template_id": copy.pk}
        ),
    )


@member_required(*RECRUITING_ROLES)
def template_delete(request: MemberRequest, kind: str, template_id: str) -> HttpResponse:
    """GET asks to confirm (or says what uses it); POST deletes or says why it cannot."""
    template_kind = KINDS[kind]
    template = _template_or_404(request, template_kind, template_id)
    context: dict[str, Any] = {
        "kind": template_kind,
        "template": template,
        "list_url": _list_url(template_kind),
    }
    if request.method == "POST":
        name = template.name
        try:
            templates.template_delete(template=template)
        except TemplateInUseError as error:
            context.update(error=error.message, users=error.users)
            return render(request, "web/templates/template_delete.html", context, status=409)
        messages.success(request, f"Deleted the {template_kind.label} “{name}”.")
        return redirect(_list_url(template_kind))
    context["users"] = templates.template_users(template=template)
    return render(request, "web/templates/template_delete.html", context)


@require_POST
@member_required(*RECRUITING_ROLES)
def email_template_preview(request: MemberRequest) -> HttpResponse:
    """The htmx live preview: the form's subject and body rendered for the sample candidate."""
    subject = request.POST.get("subject", "")[:1000]
    body = request.POST.get("body", "")[:50_000]
    context = {"sample": SAMPLE_VALUES, **_preview_context(subject, body)}
    return render(request, "web/templates/_email_preview.html", context)


@member_required()
def interview_template_detail(request: MemberRequest, template_id: str) -> HttpResponse:
    """The page an interviewer's calendar event links to (every member may read it)."""
    template = get_scoped_or_404(InterviewTemplate, request.organization, pk=template_id)
    return render(request, "web/interview_template_detail.html", {"template": template})


def _email_template_or_404(request: MemberRequest, template_id: str) -> EmailTemplate:
    return get_scoped_or_404(EmailTemplate, request.organization, pk=template_id)


def _translation_or_404(template: EmailTemplate, language: str) -> EmailTemplateTranslation:
    translation = template.translations.filter(language=language).first()
    if translation is None:
        raise Http404("No such language version")
    return translation


def _edit_url(template: EmailTemplate) -> str:
    return reverse("web:email-template-edit", kwargs={"template_id": template.pk})


def _render_translation_form(
    request: MemberRequest,
    template: EmailTemplate,
    form: EmailTemplateTranslationForm,
    *,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "kind": KINDS["email"],
        "template": template,
        "form": form,
        "translation": None if form.instance._state.adding else form.instance,
        "can_change": True,  # only admins and recruiters reach the editors
        "edit_url": _edit_url(template),
        **_editor_context(form),
    }
    return render(request, "web/templates/email_translation_form.html", context, status=status)


def _translation_save(request: MemberRequest, form: EmailTemplateTranslationForm) -> bool:
    """Save a valid version through its service; a refusal is shown on the form."""
    try:
        email_templates.email_template_translation_save(translation=form.instance)
    except HireSlotError as error:
        form.add_error(None, error.message)
        return False
    except ValidationError as error:
        form.add_error(None, error.messages)
        return False
    messages.success(
        request,
        f"Saved the {form.instance.get_language_display()} version of "
        f"“{form.instance.template.name}”.",
    )
    return True


@member_required(*RECRUITING_ROLES)
def email_translation_create(request: MemberRequest, template_id: str) -> HttpResponse:
    """Add a language version; it starts as a copy of the template's own text to translate."""
    template = _email_template_or_404(request, template_id)
    if request.method == "POST":
        form = EmailTemplateTranslationForm(request.POST, template=template)
        if form.is_valid() and _translation_save(request, form):
            return redirect(_edit_url(template))
        return _render_translation_form(request, template, form, status=400)
    initial = {
        "language": request.GET.get("language", ""),
        "subject": template.subject,
        "body": template.body,
    }
    form = EmailTemplateTranslationForm(initial=initial, template=template)
    return _render_translation_form(request, template, form)


@member_required(*RECRUITING_ROLES)
def email_translation_edit(request: MemberRequest, template_id: str, language: str) -> HttpResponse:
    template = _email_template_or_404(request, template_id)
    translation = _translation_or_404(template, language)
    if request.method == "POST":
        form = EmailTemplateTranslationForm(request.POST, instance=translation, template=template)
        if form.is_valid() and _translation_save(request, form):
            return redirect(_edit_url(template))
        return _render_translation_form(request, template, form, status=400)
    form = EmailTemplateTranslationForm(instance=translation, template=template)
    return _render_translation_form(request, template, form)


@member_required(*RECRUITING_ROLES)
def email_translation_delete(
    request: MemberRequest, template_id: str, language: str
) -> HttpResponse:
    """GET asks to confirm; POST deletes (a version is never in use on its own)."""
    template = _email_template_or_404(request, template_id)
    translation = _translation_or_404(template, language)
    if request.method == "POST":
        label = translation.get_language_display()
        email_templates.email_template_translation_delete(translation=translation)
        messages.success(request, f"Deleted the {label} version of “{template.name}”.")
        return redirect(_edit_url(template))
    return render(
        request,
        "web/templates/email_translation_delete.html",
        {"template": template, "translation": translation, "edit_url": _edit_url(template)},
    )
