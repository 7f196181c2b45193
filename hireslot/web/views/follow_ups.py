"""Reminders, nudges and no-shows on recruiter pages: the interview page's section (its
reminders and the no-show button) and the buttons that cancel a nudge or mark a no-show."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from hireslot.accounts.access import RECRUITING_ROLES, member_required
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.core.errors import HireSlotError
from hireslot.scheduling.models import Interview, NoShow, Nudge, Reminder
from hireslot.scheduling.services.no_shows import interview_no_show_mark
from hireslot.scheduling.services.nudges import nudge_cancel as nudge_cancel_service
from hireslot.web.actions import service_action


def _may_mark(request: MemberRequest, interview: Interview) -> bool:
    """Recruiters, and the people who interviewed."""
    if request.membership.can_recruit:
        return True
    return interview.bookings.filter(interviewer=request.user).exists()


def interview_follow_ups(
    request: MemberRequest, interview: Interview, now: datetime
) -> dict[str, Any]:
    """What the interview page's reminders and no-show section shows."""
    no_show = NoShow.objects.filter(interview=interview).select_related("marked_by").first()
    return {
        "reminders": list(
            Reminder.objects.filter(interview=interview).select_related("user").order_by("due_at")
        ),
        "no_show": no_show,
        "can_mark_no_show": (
            no_show is None
            and interview.status == Interview.Status.SCHEDULED
            and interview.start <= now
            and _may_mark(request, interview)
        ),
    }


@require_POST
@member_required()
def interview_no_show(request: MemberRequest, interview_id: str) -> HttpResponse:
    interview = get_scoped_or_404(
        Interview.objects.select_related("request"), request.organization, pk=interview_id
    )
    page = reverse("web:interview-detail", args=[interview.pk])
    if not _may_mark(request, interview):
        return service_action(request, _refuse, redirect_to=page)
    return service_action(
        request,
        lambda: interview_no_show_mark(
            interview=interview,
            who=request.POST.get("who", ""),
            note=request.POST.get("note", "")[:2000],
            actor=request.user,
        ),
        success="Marked as a no-show; the template's follow-up is on its way.",
        redirect_to=page,
    )


def _refuse() -> None:
    raise HireSlotError("Only recruiters and the interviewers can mark a no-show.")


@require_POST
@member_required(*RECRUITING_ROLES)
def nudge_cancel(request: MemberRequest, nudge_id: str) -> HttpResponse:
    nudge = get_scoped_or_404(
        Nudge.objects.select_related("request__application"), request.organization, pk=nudge_id
    )
    return service_action(
        request,
        lambda: nudge_cancel_service(nudge=nudge, actor=request.user),
        success="Nudge cancelled.",
        redirect_to=reverse("web:candidate-detail", args=[nudge.request.application.candidate_id]),
    )
