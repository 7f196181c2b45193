"""An interview's page: its effects (calendar events, emails, conference links), retrying a
failed one, rescheduling and cancelling. Thin: parse, call a service, redirect."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hireslot.accounts.access import RECRUITING_ROLES, member_required
from hireslot.accounts.models import Membership, User
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.request_input import BadInputError, instant_parse, is_uuid
from hireslot.scheduling.candidate_pages import booker_data, booker_strings
from hireslot.scheduling.candidate_zones import zones_static_path
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.loops import request_times
from hireslot.scheduling.models import Effect, Interview, InterviewerBooking
from hireslot.scheduling.selectors import (
    SlotDay,
    effects_of,
    instant_text,
    loop_rows,
    slots_by_day,
)
from hireslot.scheduling.services import booking, effects
from hireslot.web.actions import confirmation_page, service_action
from hireslot.web.templatetags.workspace import interview_cancel_question
from hireslot.web.views.follow_ups import interview_follow_ups
from hireslot.web.zones import member_zone, picker_days

# How far ahead the recruiter's picker offers times.
RESCHEDULE_DAYS = 90


def _interview(request: MemberRequest, interview_id: str) -> Interview:
    return get_scoped_or_404(
        Interview.objects.select_related(
            "interview_template",
            "request__template",
            "application__candidate",
            "application__job",
            "loop",
        ),
        request.organization,
        pk=interview_id,
    )


def _interviewers(interview: Interview) -> QuerySet[User]:
    """The fixed people and, with pool seats, whoever was drawn (``interview.assignment``);
    a loop's session: those holding it (or who held it, once cancelled)."""
    if interview.loop_id is not None:
        held = InterviewerBooking.objects.filter(interview=interview)
        if interview.status == Interview.Status.SCHEDULED:
            held = held.filter(active=True)
        return User.objects.filter(pk__in=held.values("interviewer_id")).order_by("full_name")
    fixed = interview.request.interviewers.all()
    if not interview.assignment:
        return fixed.order_by("full_name")
    drawn = [entry["user_id"] for entry in interview.assignment]
    return User.objects.filter(Q(pk__in=fixed.values("pk")) | Q(pk__in=drawn)).order_by("full_name")


@member_required()
def interview_detail(request: MemberRequest, interview_id: str) -> HttpResponse:
    interview = _interview(request, interview_id)
    zone = member_zone(request)
    now = clock.now()
    days: list[SlotDay] = []
    booker: dict[str, object] | None = None
    if interview.status == Interview.Status.SCHEDULED and request.membership.can_recruit:
        end = now + timedelta(days=14)
        slots = request_times(
            request=interview.request,
            start=now,
            end=end,
            now=now,
            exclude_interview_id=interview.pk,
        )
        days = slots_by_day(slots, zone)
        # The candidate's calendar picker, in the recruiter's own zone, the current time marked.
        booker = booker_data(
            slots=slots,
            loaded=(now, end),
            zone=str(zone),
            zone_fixed=True,
            locale="en",
            hour_cycle="h23",  # as every time on the recruiter's pages
            request=interview.request,
            now=now,
            slots_url=reverse("web:interview-slots", args=[interview.pk]),
            zones_url=static(zones_static_path("en")),
            current=interview,
            interviewer=None,
            last_start=now + timedelta(days=RESCHEDULE_DAYS),
        )
        booker["strings"] = {**booker_strings(), "current": "Current time"}
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
                "effects": (steps := list(effects_of(interview))),
                "waiting": _waiting(steps),
                "interviewers": _interviewers(interview),
                # The link acts as the candidate: interviewers see the interview, not it.
                "candidate_link": (
                    scheduling_link(interview.request) if request.membership.can_recruit else ""
                ),
                "days": days,
                "booker": booker,
                **_loop_context(interview),
                **interview_follow_ups(request, interview, now),  # issue 17
            },
        )


def _loop_context(interview: Interview) -> dict[str, object]:
    """A loop's session: the loop's agenda with each session's step status, and the pool
    members its seats could be swapped to."""
    if interview.loop is None:
        return {}
    swap_to = []
    if interview.status == Interview.Status.SCHEDULED:
        pools = [entry["pool_id"] for entry in interview.assignment]
        swap_to = list(
            User.objects.filter(pool_memberships__pool_id__in=pools, pool_memberships__active=True)
            .exclude(pk__in=[entry["user_id"] for entry in interview.assignment])
            .distinct()
            .order_by("full_name")
        )
    return {"loop": interview.loop, "loop_rows": loop_rows(interview.loop), "swap_to": swap_to}


@require_POST
@member_required(*RECRUITING_ROLES)
def interview_swap(request: MemberRequest, interview_id: str) -> HttpResponse:
    """Give one of a loop session's pool seats to another member of the pool."""
    interview = _interview(request, interview_id)
    chosen = request.POST.get("user", "")
    member = (
        scoped(Membership, request.organization)
        .select_related("user")
        .filter(user_id=chosen)
        .first()
        if is_uuid(chosen)
        else None
    )
    if member is None:
        messages.error(request, "Choose someone from the pool.")
        return redirect("web:interview-detail", interview_id=interview.pk)
    user = member.user
    return service_action(
        request,
        lambda: booking.loop_session_swap(interview=interview, user=user, actor=request.user),
        success=f"{user.get_full_name()} now takes this session; calendars are updated.",
        redirect_to=reverse("web:interview-detail", args=[interview.pk]),
    )


def _waiting(steps: list[Effect]) -> bool:
    return any(step.state in (Effect.State.PENDING, Effect.State.RETRYING) for step in steps)


@require_GET
@member_required()
def interview_steps(request: MemberRequest, interview_id: str) -> HttpResponse:
    """The steps table alone, polled by the page while a step is on its way; 286 tells htmx
    to stop once none is."""
    interview = _interview(request, interview_id)
    steps = list(effects_of(interview))
    waiting = _waiting(steps)
    with timezone.override(member_zone(request)):
        return render(
            request,
            "web/_interview_steps.html",
            {"interview": interview, "effects": steps, "waiting": waiting},
            status=200 if waiting else 286,
        )


@require_GET
@member_required(*RECRUITING_ROLES)
def interview_slots(request: MemberRequest, interview_id: str) -> HttpResponse:
    """Free times to move the interview to, for local days ``from``..``to`` in ``tz``, as the
    picker asks the candidate's own endpoint (its current time excluded from the check)."""
    interview = _interview(request, interview_id)
    now = clock.now()
    try:
        zone, start, end = picker_days(request)
    except BadInputError as error:
        return JsonResponse({"error": error.message}, status=400)
    slots = (
        request_times(
            request=interview.request,
            start=max(start, now),
            end=min(end, now + timedelta(days=RESCHEDULE_DAYS)),
            now=now,
            exclude_interview_id=interview.pk,
        )
        if end > now
        else []
    )
    return JsonResponse(
        {
            "timezone": str(zone),
            "slots": [
                {"start": instant_text(s.start_at), "end": instant_text(s.end_at)} for s in slots
            ],
        }
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
    page = reverse("web:interview-detail", args=[interview.pk])
    with timezone.override(member_zone(request)):
        question = interview_cancel_question(interview)
    unconfirmed = confirmation_page(
        request, question=question, yes="Cancel the interview", back=page
    )
    if unconfirmed is not None:
        return unconfirmed
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
