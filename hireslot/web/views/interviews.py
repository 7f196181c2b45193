"""An interview's page: its effects (calendar events, emails, conference links), retrying a
failed one, rescheduling and cancelling. Thin: parse, call a service, redirect."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from hireslot.accounts.access import RECRUITING_ROLES, member_required
from hireslot.accounts.models import AvailabilitySettings, User
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.request_input import instant_parse
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.models import Effect, Interview
from hireslot.scheduling.selectors import effects_of, slots_by_day
from hireslot.scheduling.services import booking, effects
from hireslot.scheduling.slots import request_slots
from hireslot.web.actions import service_action
from hireslot.web.views.follow_ups import interview_follow_ups


def _my_zone(request: MemberRequest) -> ZoneInfo:
    name = (
        AvailabilitySettings.objects.filter(user=request.user)
        .values_list("time_zone", flat=True)
        .first()
    )
    return ZoneInfo(name or request.organization.default_time_zone or "UTC")


def _interview(request: MemberRequest, interview_id: str) -> Interview:
    return get_scoped_or_404(
        Interview.objects.select_related(
            "interview_template", "request__template", "application__candidate", "application__job"
        ),
        request.organization,
        pk=interview_id,
    )


def _interviewers(interview: Interview) -> QuerySet[User]:
    """The fixed people and, with pool seats, whoever was drawn (``interview.assignment``)."""
    fixed = interview.request.interviewers.all()
    if not interview.assignment:
        return fixed.order_by("full_name")
    drawn = [entry["user_id"] for entry in interview.assignment]
    return User.objects.filter(Q(pk__in=fixed.values("pk")) | Q(pk__in=drawn)).order_by("full_name")


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
                "interviewers": _interviewers(interview),
                # The link acts as the candidate: interviewers see the interview, not it.
                "candidate_link": (
                    scheduling_link(interview.request) if request.membership.can_recruit else ""
                ),
                "days": days,
                **interview_follow_ups(request, interview, now),  # issue 17
            },
        )


@require_POST
@member_required(*RECRUITING_ROLES)
def effect_retry(request: MemberRequest, interview_id: str, effect_id: str) -> HttpResponse:
    interview = _interview(request, interview_id)
    effect = get_scoped_or_404(
        scoped(Effect, request.organization).filter(interview=interview),
        request.organization,
        pk=effect_id,
    )
    return service_action(
        request,
        lambda: effects.effect_retry(effect=effect),
        success=f"{effect.get_kind_display()}: queued again.",
        redirect_to=reverse("web:interview-detail", args=[interview.pk]),
    )


@require_POST
@member_required(*RECRUITING_ROLES)
def interview_cancel(request: MemberRequest, interview_id: str) -> HttpResponse:
    interview = _interview(request, interview_id)
    return service_action(
        request,
        lambda: booking.interview_cancel(
            interview=interview,
            actor=request.user,
            by_candidate=False,
            reason=request.POST.get("reason", "")[:2000],
        ),
        success="Cancelled; the candidate and interviewers are told.",
        redirect_to=reverse("web:interview-detail", args=[interview.pk]),
    )


@require_POST
@member_required(*RECRUITING_ROLES)
def interview_reschedule(request: MemberRequest, interview_id: str) -> HttpResponse:
    interview = _interview(request, interview_id)
    try:
        booking.interview_reschedule(
            interview=interview,
            start=instant_parse(request.POST.get("start")),
            actor=request.user,
            by_candidate=False,
            reason=request.POST.get("reason", "")[:2000],
        )
    except HireSlotError as error:
        # The page again, saying why, with the refusal's status (400 for a bad time), so the
        # recruiter can pick another time at once: not the redirect of service_action.
        messages.error(request, error.message)
        response = interview_detail(request, interview_id)
        response.status_code = error.status_code
        return response
    messages.success(request, "Moved; calendars and the candidate's invite are updated.")
    return redirect("web:interview-detail", interview_id=interview.pk)
