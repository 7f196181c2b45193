"""Coordinator scheduling: a recruiter schedules an interview or a loop for a candidate
directly, picking from the times the candidate would be offered (decision 0032). Thin:
parse, call the service, redirect."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from hireslot.accounts.access import (
    RECRUITING_ROLES,
    member_required,
    self_scheduling_plan_required,
)
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.request_input import BadInputError, instant_parse, is_uuid
from hireslot.core.timezones import is_known_time_zone
from hireslot.recruiting.models import Application
from hireslot.scheduling.candidate_pages import booker_data, booker_strings
from hireslot.scheduling.candidate_zones import zones_static_path
from hireslot.scheduling.models import SchedulingRequest, SelfScheduleTemplate
from hireslot.scheduling.selectors import instant_text, slots_by_day
from hireslot.scheduling.services.coordinator import coordinator_schedule, coordinator_times
from hireslot.web.sending import sending_application, sending_template_choose
from hireslot.web.zones import member_zone, picker_days

# The first paint's weeks, as on the candidate's booker.
FIRST_DAYS = 14


def _described(template: SelfScheduleTemplate) -> str:
    if template.loop_sessions_count:
        return f"{template.name} (loop of {template.loop_sessions_count} sessions)"
    if template.pool_seats_count:
        return f"{template.name} (with pool seats)"
    return template.name


def _candidate_zone(application: Application) -> str:
    """The zone the candidate's invite is written in: theirs when known."""
    zone = application.candidate.time_zone
    return zone if zone and is_known_time_zone(zone) else application.organization.default_time_zone


@require_GET
@member_required(*RECRUITING_ROLES)
@self_scheduling_plan_required
def coordinator_page(request: MemberRequest, application_id: str) -> HttpResponse:
    return _page(
        request, sending_application(request, application_id), request.GET.get("template", "")
    )


def _page(
    request: MemberRequest, application: Application, chosen: str, *, status: int = 200
) -> HttpResponse:
    """The template picker and, for the chosen template, the candidate's times in the
    recruiter's zone, or why none can be offered."""
    template, templates = sending_template_choose(request, application, chosen)
    zone, now = member_zone(request), clock.now()
    context: dict[str, object] = {
        "application": application,
        "candidate": application.candidate,
        "template": template,
        "template_choices": [(str(row.pk), _described(row)) for row in templates],
        "zone": str(zone),
        "candidate_zone": _candidate_zone(application),
        "candidate_url": reverse("web:candidate-detail", args=[application.candidate_id]),
    }
    if template is not None:
        end = now + timedelta(days=FIRST_DAYS)
        try:
            times = coordinator_times(
                application=application,
                template=template,
                actor=request.user,
                start=now,
                end=end,
                now=now,
            )
        except HireSlotError as error:
            context["problem"] = error.message
        else:
            # What booker_data reads of a request: the length and the link's last day (none
            # is sent: the picker looks as far as the horizon).
            shape = SchedulingRequest(
                duration_minutes=times.duration_minutes, expires_at=times.last_start
            )
            booker = booker_data(
                slots=times.slots,
                loaded=(now, end),
                zone=str(zone),
                zone_fixed=True,
                locale="en",
                hour_cycle="h23",
                request=shape,
                now=now,
                slots_url=reverse("web:coordinator-slots", args=[application.pk, template.pk]),
                zones_url=static(zones_static_path("en")),
                current=None,
                interviewer=None,
                last_start=times.last_start,
            )
            booker["strings"] = booker_strings()
            context.update(booker=booker, days=slots_by_day(times.slots, zone))
    return render(request, "web/coordinator_schedule.html", context, status=status)


@require_GET
@member_required(*RECRUITING_ROLES)
@self_scheduling_plan_required
def coordinator_slots(
    request: MemberRequest, application_id: str, template_id: str
) -> HttpResponse:
    """More of the candidate's times as the picker moves on (the booker's own endpoint's
    answer, for a request not made yet; the template is in the path because the picker adds
    its own query)."""
    application = sending_application(request, application_id)
    template = get_scoped_or_404(
        SelfScheduleTemplate,
        request.organization,
        pk=template_id if is_uuid(template_id) else None,
    )
    now = clock.now()
    try:
        zone, start, end = picker_days(request)
    except BadInputError as error:
        return JsonResponse({"error": error.message}, status=400)
    slots = []
    if end > now:
        try:
            times = coordinator_times(
                application=application,
                template=template,
                actor=request.user,
                start=max(start, now),
                end=end,
                now=now,
            )
        except HireSlotError as error:
            return JsonResponse({"error": error.message}, status=error.status_code)
        slots = [s for s in times.slots if s.start_at < times.last_start]
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
@self_scheduling_plan_required
def coordinator_book(request: MemberRequest, application_id: str) -> HttpResponse:
    application = sending_application(request, application_id)
    chosen = request.POST.get("template", "")
    template, _ = sending_template_choose(request, application, chosen)
    try:
        if template is None or str(template.pk) != chosen:
            raise BadInputError("Choose a self-schedule template.")
        interview = coordinator_schedule(
            application=application,
            template=template,
            start=instant_parse(request.POST.get("start")),
            candidate_time_zone=request.POST.get("candidate_time_zone", "")[:64]
            or _candidate_zone(application),
            actor=request.user,
        )
    except HireSlotError as error:
        # The page again, saying why, with the refusal's status, so another time can be
        # picked at once.
        messages.error(request, error.message)
        return _page(request, application, chosen, status=error.status_code)
    messages.success(
        request,
        f"Scheduled {template.name} for {application.candidate.name}; "
        "the candidate and the interviewers get their invites.",
    )
    return redirect("web:interview-detail", interview_id=interview.pk)
