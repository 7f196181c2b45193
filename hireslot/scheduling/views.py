"""The candidate's side: the page behind the secret link and its small HTTP interface.

Thin: resolve the link, parse input (every malformed value is a 4xx with a message), call a
service, render. Candidates are not signed in; the link is their credential.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.request_input import (
    EARLIEST_DAY,
    LATEST_DAY,
    BadInputError,
    instant_parse,
    json_object_read,
)
from hireslot.core.timezones import is_known_time_zone, time_zone_choices
from hireslot.scheduling.errors import RequestClosedError
from hireslot.scheduling.invites import interview_invite_ics
from hireslot.scheduling.links import request_for_token
from hireslot.scheduling.models import Interview, SchedulingRequest
from hireslot.scheduling.selectors import (
    instant_text,
    latest_interview_of,
    live_interview_of,
    local_day_range,
    slots_by_day,
)
from hireslot.scheduling.services import (
    interview_book,
    interview_cancel,
    interview_reschedule,
    scheduling_request_open,
)
from hireslot.scheduling.slots import request_interviewers, request_slots

PAGE_DAYS = 14
MAX_RANGE_DAYS = 62
FIRST_DAY, LAST_DAY = EARLIEST_DAY, LATEST_DAY


def _request_or_404(token: str) -> SchedulingRequest:
    request = request_for_token(token)
    if request is None:
        raise Http404("This scheduling link is not valid.")
    return request


def _is_closed(request: SchedulingRequest, now: datetime) -> bool:
    return request.status_at(now) in (
        SchedulingRequest.Status.CANCELLED,
        SchedulingRequest.Status.EXPIRED,
    )


def _default_zone(request: SchedulingRequest) -> str:
    candidate_zone = request.application.candidate.time_zone
    return candidate_zone or request.organization.default_time_zone or "UTC"


def _zone(value: str | None, request: SchedulingRequest) -> str:
    if not value:
        return _default_zone(request)
    if not isinstance(value, str):
        raise BadInputError("“tz” must be a time zone name like Europe/London.")
    if not is_known_time_zone(value):
        raise BadInputError(
            f"“{value[:64]}” is not a known time zone; use a name like Europe/London."
        )
    return value


def _day(value: str | None, field: str) -> date:
    if not value:
        raise BadInputError(f"“{field}” is required, as a date like 2026-03-02.")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise BadInputError(f"“{field}” must be a date like 2026-03-02.") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        # Far dates would overflow date arithmetic; nothing can be booked there anyway.
        raise BadInputError(f"“{field}” must be a date between {FIRST_DAY} and {LAST_DAY}.")
    return day


def _wants_json(http: HttpRequest) -> bool:
    return http.content_type == "application/json" or "application/json" in http.headers.get(
        "Accept", ""
    )


def _posted(http: HttpRequest) -> dict[str, Any]:
    if http.content_type == "application/json":
        return json_object_read(http)
    return http.POST.dict()


def _page(
    http: HttpRequest,
    request: SchedulingRequest,
    token: str,
    zone_name: str,
    *,
    first_day: date | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    now = clock.now()
    zone = ZoneInfo(zone_name)
    interview = live_interview_of(request)
    first_day = first_day or now.astimezone(zone).date()
    start, end = local_day_range(first_day, first_day + timedelta(days=PAGE_DAYS - 1), zone)
    slots = request_slots(
        request=request,
        start=start,
        end=end,
        now=now,
        exclude_interview_id=interview.pk if interview else None,
    )
    can_change = (
        interview is not None
        and interview.start - timedelta(minutes=request.template.change_cutoff_minutes) > now
    )
    context = {
        "token": token,
        "request_obj": request,
        "organization": request.organization,
        "job": request.application.job,
        "candidate": request.application.candidate,
        "interview_name": request.template.interview_template.name,
        "duration": request.duration_minutes,
        "interviewers": [u.get_full_name() for u in request_interviewers(request)],
        "interview": interview,
        "interview_local_start": interview.start.astimezone(zone) if interview else None,
        "interview_local_end": interview.end.astimezone(zone) if interview else None,
        "can_change": can_change,
        "cutoff_hours": request.template.change_cutoff_minutes / 60,
        "zone": zone_name,
        "zones": time_zone_choices(),
        "days": slots_by_day(slots, zone),
        "later": (first_day + timedelta(days=PAGE_DAYS)).isoformat(),
        "earlier": (first_day - timedelta(days=PAGE_DAYS)).isoformat()
        if first_day > now.astimezone(zone).date()
        else "",
        "error": error,
    }
    # Template date filters show aware times in the active zone: make that the candidate's.
    with timezone.override(zone):
        return render(http, "scheduling/candidate_page.html", context, status=status)


def _gone(http: HttpRequest, request: SchedulingRequest) -> HttpResponse:
    return render(
        http,
        "scheduling/candidate_gone.html",
        {"organization": request.organization, "request_obj": request},
        status=410,
    )


def _refusal(
    http: HttpRequest, request: SchedulingRequest, token: str, zone: str, error: HireSlotError
) -> HttpResponse:
    if isinstance(error, RequestClosedError) and not _wants_json(http):
        return _gone(http, request)
    if _wants_json(http):
        payload: dict[str, Any] = {"error": error.message}
        if error.status_code == 409:
            now = clock.now()
            slots = request_slots(
                request=request, start=now, end=now + timedelta(days=PAGE_DAYS), now=now
            )
            payload["slots"] = [
                {"start": instant_text(s.start_at), "end": instant_text(s.end_at)} for s in slots
            ]
        return JsonResponse(payload, status=error.status_code)
    return _page(http, request, token, zone, error=error.message, status=error.status_code)


@require_GET
def candidate_page(http: HttpRequest, token: str) -> HttpResponse:
    request = _request_or_404(token)
    if _is_closed(request, clock.now()):
        return _gone(http, request)
    try:
        zone = _zone(http.GET.get("tz"), request)
        first_day = _day(http.GET["from"], "from") if http.GET.get("from") else None
    except BadInputError as error:
        return render(
            http,
            "scheduling/candidate_error.html",
            {"organization": request.organization, "message": error.message, "token": token},
            status=400,
        )
    if request.status == SchedulingRequest.Status.PENDING:
        scheduling_request_open(request=request)
    return _page(http, request, token, zone, first_day=first_day)


@require_GET
def candidate_slots(http: HttpRequest, token: str) -> HttpResponse:
    request = _request_or_404(token)
    now = clock.now()
    if _is_closed(request, now):
        return JsonResponse({"error": "This scheduling link is no longer available."}, status=410)
    try:
        zone_name = _zone(http.GET.get("tz"), request)
        first, last = _day(http.GET.get("from"), "from"), _day(http.GET.get("to"), "to")
        if last < first:
            raise BadInputError("“to” must not be before “from”.")
        if (last - first).days + 1 > MAX_RANGE_DAYS:
            raise BadInputError(f"Ask for at most {MAX_RANGE_DAYS} days at a time.")
    except BadInputError as error:
        return JsonResponse({"error": error.message}, status=400)
    start, end = local_day_range(first, last, ZoneInfo(zone_name))
    interview = live_interview_of(request)
    slots = request_slots(
        request=request,
        start=start,
        end=end,
        now=now,
        exclude_interview_id=interview.pk if interview else None,
    )
    return JsonResponse(
        {
            "timezone": zone_name,
            "slots": [
                {"start": instant_text(s.start_at), "end": instant_text(s.end_at)} for s in slots
            ],
        }
    )


def _after_change(http: HttpRequest, token: str, zone: str) -> HttpResponse:
    response = redirect(f"{reverse('scheduling:candidate-page', args=[token])}?tz={zone}")
    response.status_code = 303
    return response


@require_POST
def candidate_book(http: HttpRequest, token: str) -> HttpResponse:
    request = _request_or_404(token)
    zone = _default_zone(request)
    try:
        data = _posted(http)
        zone = _zone(data.get("tz"), request)
        start = instant_parse(data.get("start"))
        interview_book(request=request, start=start, candidate_time_zone=zone)
    except HireSlotError as error:
        return _refusal(http, request, token, zone, error)
    return _after_change(http, token, zone)


def _booked_interview(request: SchedulingRequest) -> Interview:
    interview = live_interview_of(request)
    if interview is None:
        if request.status == SchedulingRequest.Status.CANCELLED:
            raise RequestClosedError("This interview was cancelled.")
        raise HireSlotError("There is no booked interview to change yet; pick a time first.")
    return interview


@require_POST
def candidate_reschedule(http: HttpRequest, token: str) -> HttpResponse:
    request = _request_or_404(token)
    zone = _default_zone(request)
    try:
        data = _posted(http)
        zone = _zone(data.get("tz"), request)
        start = instant_parse(data.get("start"))
        interview_reschedule(
            interview=_booked_interview(request),
            start=start,
            actor=None,
            by_candidate=True,
            candidate_time_zone=zone,
        )
    except HireSlotError as error:
        return _refusal(http, request, token, zone, error)
    return _after_change(http, token, zone)


@require_POST
def candidate_cancel(http: HttpRequest, token: str) -> HttpResponse:
    request = _request_or_404(token)
    zone = _default_zone(request)
    try:
        data = _posted(http)
        zone = _zone(data.get("tz"), request)
        reason = data.get("reason") or ""
        if not isinstance(reason, str):
            raise BadInputError("“reason” must be text.")
        interview_cancel(
            interview=_booked_interview(request), actor=None, by_candidate=True, reason=reason
        )
    except HireSlotError as error:
        return _refusal(http, request, token, zone, error)
    return _after_change(http, token, zone)


@require_GET
def candidate_invite(http: HttpRequest, token: str) -> HttpResponse:
    """The booked interview as an .ics file for the candidate's own calendar."""
    request = _request_or_404(token)
    interview = live_interview_of(request) or latest_interview_of(request)
    if interview is None:
        raise Http404("Nothing is booked yet.")
    cancelled = interview.status == Interview.Status.CANCELLED
    text = interview_invite_ics(
        interview,
        method="CANCEL" if cancelled else "REQUEST",
        sequence=interview.sequence,
        start=interview.start,
        end=interview.end,
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="invite.ics"'
    return response
