"""What the pages that send a template to a candidate share (compose and send, schedule
directly): the application as they read it, and which self-schedule template is chosen."""

from __future__ import annotations

from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.core.request_input import is_uuid
from hireslot.recruiting.models import Application
from hireslot.scheduling.models import SelfScheduleTemplate
from hireslot.scheduling.selectors import stage_template_of


def sending_application(request: MemberRequest, application_id: str) -> Application:
    return get_scoped_or_404(
        Application.objects.select_related(
            "candidate", "job__hiring_manager", "current_stage__stage_template__template"
        ),
        request.organization,
        pk=application_id,
    )


def sending_template_choose(
    request: MemberRequest, application: Application, chosen: str
) -> tuple[SelfScheduleTemplate | None, list[SelfScheduleTemplate]]:
    """The template asked for, else the one assigned to the candidate's stage, else the first
    by name; and all of them (with what their emails and names need)."""
    templates = list(
        scoped(SelfScheduleTemplate, request.organization)
        .select_related("email_template", "interview_template")
        .prefetch_related("email_template__translations")
        .order_by("name")
    )
    if not is_uuid(chosen):
        assigned = stage_template_of(application.current_stage)
        chosen = str(assigned.pk) if assigned else ""
    by_id = {str(row.pk): row for row in templates}
    return by_id.get(chosen) or (templates[0] if templates else None), templates
