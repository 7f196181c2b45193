"""A loop template's sessions page: the ordered sessions (one row each with its position, a
blank row to add one, a box to remove one) and the loop's own settings. Thin: parse, call the
service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.forms.formsets import ORDERING_FIELD_NAME
from django.http import HttpResponse
from django.shortcuts import redirect, render

from hireslot.accounts.access import RECRUITING_ROLES, member_required
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.core.errors import HireSlotError
from hireslot.scheduling.forms import LoopSessionFormSet, LoopSettingsForm
from hireslot.scheduling.models import LoopSession, SelfScheduleTemplate
from hireslot.scheduling.services.loops import SessionSpec, loop_template_save


def _saved(template: SelfScheduleTemplate) -> list[LoopSession]:
    return list(
        template.loop_sessions.select_related("interview_template").prefetch_related(
            "interviewers", "pool_seats__pool"
        )
    )


def _initial(saved: list[LoopSession]) -> list[dict[str, Any]]:
    return [
        {
            "interview_template": session.interview_template_id,
            "duration_minutes": session.duration_minutes,
            "interviewers": [user.pk for user in session.interviewers.all()],
            "include_hiring_manager": session.include_hiring_manager,
            "pools": [seat.pool_id for seat in session.pool_seats.all()],
            "gap_after_minutes": session.gap_after_minutes,
            "conferencing": session.conferencing,
            ORDERING_FIELD_NAME: position,
        }
        for position, session in enumerate(saved, start=1)
    ]


@member_required(*RECRUITING_ROLES)
def loop_sessions_edit(request: MemberRequest, template_id: str) -> HttpResponse:
    template = get_scoped_or_404(
        SelfScheduleTemplate.objects.all(), request.organization, pk=template_id
    )
    form_kwargs = {"organization": request.organization}
    status = 200
    saved: list[LoopSession] = []
    if request.method == "POST":
        sessions = LoopSessionFormSet(request.POST, form_kwargs=form_kwargs)
        settings = LoopSettingsForm(request.POST, instance=template)
        if sessions.is_valid() and settings.is_valid():
            specs = [
                SessionSpec(
                    interview_template=row["interview_template"],
                    interviewers=list(row["interviewers"]),
                    include_hiring_manager=row["include_hiring_manager"],
                    pools=list(row["pools"]),
                    duration_minutes=row["duration_minutes"],
                    gap_after_minutes=row["gap_after_minutes"],
                    conferencing=row["conferencing"],
                )
                # In their positions; removed rows and an untouched blank row are left out.
                for row in (form.cleaned_data for form in sessions.ordered_forms)
            ]
            try:
                loop_template_save(
                    template=settings.save(commit=False),
                    sessions=specs,
                    notify_users=list(template.notify_users.all()),
                )
            except HireSlotError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Saved the sessions of “{template.name}”.")
                return redirect("web:self-schedule-template-sessions", template_id=template.pk)
        status = 400
    else:
        saved = _saved(template)
        sessions = LoopSessionFormSet(initial=_initial(saved), form_kwargs=form_kwargs)
        settings = LoopSettingsForm(instance=template)
    # Each row with its saved session (None: the blank row, or a page sent back refused) and
    # whether it is the last (no break is shown after it).
    rows = [
        (form, saved[index] if index < len(saved) else None, index == len(saved) - 1)
        for index, form in enumerate(sessions)
    ]
    return render(
        request,
        "web/loop_sessions_form.html",
        {"template": template, "sessions": sessions, "settings": settings, "rows": rows},
        status=status,
    )
