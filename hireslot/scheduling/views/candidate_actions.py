"""The candidate's actions (book, reschedule, cancel) and reads for scripts (slots, .ics).

Forms and JSON are both accepted; a form gets the page back (with the result or an alert),
JSON gets JSON. Every action answers a form with 303 to the page, which says what happened.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from hireslot.availability import Slot
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.request_input import BadInputError, instant_parse, json_object_read
from hireslot.scheduling.candidate_cache import (
    LIFETIME,
    Freshness,
    answer_get,
    answer_keep,
    answer_key,
    request_stamp,
)
from hireslot.scheduling.candidate_pages import interview_when
from hireslot.scheduling.errors import RequestClosedError
from hireslot.scheduling.invites import (
    interview_download_name,
    interview_invite_ics,
    loop_invite_ics,
    loop_sessions_download_ics,
)
from hireslot.scheduling.loop_agenda import loop_slots_listed
from hireslot.scheduling.loops import loop_request_people, request_times
from hireslot.scheduling.models import Interview, LoopCalendar, RequestKind, SchedulingRequest
from hireslot.scheduling.selectors import (
    default_zone,
    instant_text,
    is_closed,
    latest_interview_of,
    live_interview_of,
    local_day_range,
    offered_slots,
)
from hireslot.scheduling.services import (
    interview_book,
    interview_cancel,
    interview_reschedule,
)
from hireslot.scheduling.services.text_consent import candidate_text_consent_give
from hireslot.scheduling.slots import request_interviewers, request_rules
from hireslot.scheduling.views.candidate_common import (
    Reader,
    day_of,
    hour_cycle_param,
    page_render,
    reader_of,
    request_or_404,
    zone_of,
)
from hireslot.scheduling.views.candidate_page import PAGE_DAYS, closed_page, page_show

MAX_RANGE_DAYS = 62


def _wants_json(http: HttpRequest) -> bool:
    return http.content_type == "application/json" or "application/json" in http.headers.get(
        "Accept", ""
    )


def _posted(http: HttpRequest) -> dict[str, Any]:
    if http.content_type == "application/json":
        return json_object_read(http)
    return http.POST.dict()


def refusal(
    http: HttpRequest,
    request: SchedulingRequest,
    token: str,
    zone: str,
    reader: Reader,
    error: HireSlotError,
    *,
    change: str = "",
    reason: str = "",
) -> HttpResponse:
    if isinstance(error, RequestClosedError) and not _wants_json(http):
        return closed_page(http, request, reader, zone)
    if _wants_json(http):
        payload: dict[str, Any] = {"error": error.message}
        if error.status_code == 409:
            now = clock.now()
            slots = request_times(
                request=request, start=now, end=now + timedelta(days=PAGE_DAYS), now=now
            )
            payload["slots"] = [
                {"start": instant_text(s.start_at), "end": instant_text(s.end_at)} for s in slots
            ]
        return JsonResponse(payload, status=error.status_code)
    return page_show(
        http,
        request,
        token,
        zone,
        reader,
        error=error.message,
        status=error.status_code,
        change=change,
        reason=reason,
    )


def _times_offered_check(request: SchedulingRequest) -> None:
    """A link that asks for availability books no time itself until an interview is booked
    (then the candidate may move it): its candidate shares windows and the team confirms one
    (``BadInputError``). Its ``/slots`` still answers: the week grid shades those times as
    likely free, as issue 16 asks, and they are what an offer link would show anyway."""
    if (
        request.kind == RequestKind.ASK_AVAILABILITY
        and request.status not in SchedulingRequest.BOOKED
    ):
        raise BadInputError(
            gettext(
                "This link does not offer times: share when you could do it and the team "
                "will confirm a time."
            )
        )


@require_GET
def candidate_slots(http: HttpRequest, token: str) -> HttpResponse:
    """Free times as UTC instants for local days ``from``..``to`` in ``tz`` (the booker's
    month pages; the page embeds its first weeks)."""
    now = clock.now()
    # Read first: nothing the answer is computed from below is older than it.
    stamp = request_stamp(token)
    if stamp is None:
        raise Http404("This scheduling link is not valid.")
    key = ""
    if not stamp.is_closed(now):
        key = answer_key(
            "slots",
            stamp,
            now,
            http.GET.get("tz", ""),
            http.GET.get("from", ""),
            http.GET.get("to", ""),
        )
        kept = answer_get(key, now)
        if kept is not None:
            return HttpResponse(kept.body, content_type="application/json")
    request = request_or_404(token)
    if is_closed(request, now):
        return JsonResponse({"error": "This scheduling link is no longer available."}, status=410)
    try:
        zone_name = zone_of(http.GET.get("tz"), request)
        first, last = day_of(http.GET.get("from"), "from"), day_of(http.GET.get("to"), "to")
        if last < first:
            raise BadInputError("“to” must not be before “from”.")
        if (last - first).days + 1 > MAX_RANGE_DAYS:
            raise BadInputError(f"Ask for at most {MAX_RANGE_DAYS} days at a time.")
    except BadInputError as error:
        return JsonResponse({"error": error.message}, status=400)
    start, end = local_day_range(first, last, ZoneInfo(zone_name))
    if request.template.loop_sessions_count:
        interviewers = loop_request_people(request)
        with translation.override(reader_of(http, request).language):
            listed = loop_slots_listed(
                request=request, start=start, end=end, now=now, interviewers=interviewers
            )
        slots = [Slot(int(s.start.timestamp()), int(s.end.timestamp()), ()) for s, _ in listed]
        rows: list[dict[str, Any]] = [row for _, row in listed]
    else:
        interviewers = request_interviewers(request)
        slots = offered_slots(
            request=request, start=start, end=end, now=now, interviewers=interviewers
        )
        rows = [{"start": instant_text(s.start_at), "end": instant_text(s.end_at)} for s in slots]
    response = JsonResponse({"timezone": zone_name, "slots": rows})
    if key:
        freshness = Freshness(until=now + LIFETIME)
        if request.status in SchedulingRequest.WAITING:
            freshness.limit(request.expires_at)
        if slots:
            # The first time leaves the offer when it falls inside the minimum notice.
            rules = request_rules(request=request, interviewers=interviewers)
            freshness.limit(min(s.start_at for s in slots) - timedelta(minutes=rules.min_notice))
        answer_keep(key, response.content.decode(), now=now, freshness=freshness)
    return response


def after_change(token: str, zone: str, data: dict[str, Any], **result: str) -> HttpResponse:
    """303 to the page, in the zone and clock the candidate used, saying what happened."""
    query = {"tz": zone}
    hour_cycle = hour_cycle_param(data.get("hc"))
    if hour_cycle:
        query["hc"] = hour_cycle
    query.update(result)
    location = f"{reverse('scheduling:candidate-page', args=[token])}?{urlencode(query, safe='/:')}"
    response = redirect(location)
    response.status_code = 303
    return response


@require_POST
def candidate_book(http: HttpRequest, token: str) -> HttpResponse:
    request = request_or_404(token)
    reader = reader_of(http, request)
    zone = default_zone(request)
    with translation.override(reader.language):
        try:
            data = _posted(http)
            zone = zone_of(data.get("tz"), request)
            _times_offered_check(request)
            start = instant_parse(data.get("start"))
            if data.get("text_reminders"):  # issue 17: consent before booking plans texts
                candidate_text_consent_give(request=request, phone=str(data.get("phone") or ""))
            interview_book(
                request=request,
                start=start,
                candidate_time_zone=zone,
                candidate_language=reader.language,
            )
        except HireSlotError as error:
            return refusal(http, request, token, zone, reader, error)
        return after_change(token, zone, data, done="booked")


def _reason_of(data: dict[str, Any]) -> str:
    """Why the candidate moves or cancels (issue 17; the template may require it)."""
    reason = data.get("reason") or ""
    if not isinstance(reason, str):
        raise BadInputError(gettext("“reason” must be text."))
    return reason.strip()[:2000]


def _booked_interview(request: SchedulingRequest) -> Interview:
    interview = live_interview_of(request)
    if interview is None:
        if request.status == SchedulingRequest.Status.CANCELLED:
            raise RequestClosedError(gettext("This interview was cancelled."))
        raise HireSlotError(
            gettext("There is no booked interview to change yet; pick a time first.")
        )
    return interview


@require_POST
def candidate_reschedule(http: HttpRequest, token: str) -> HttpResponse:
    request = request_or_404(token)
    reader = reader_of(http, request)
    zone = default_zone(request)
    reason = ""
    with translation.override(reader.language):
        try:
            data = _posted(http)
            zone = zone_of(data.get("tz"), request)
            reason = _reason_of(data)
            start = instant_parse(data.get("start"))
            interview = _booked_interview(request)
            was = interview.start
            interview_reschedule(
                interview=interview,
                start=start,
                actor=None,
                by_candidate=True,
                candidate_time_zone=zone,
                candidate_language=reader.language,
                reason=reason,
            )
        except HireSlotError as error:
            return refusal(
                http, request, token, zone, reader, error, change="reschedule", reason=reason
            )
        return after_change(token, zone, data, done="rescheduled", was=instant_text(was))


@require_POST
def candidate_cancel(http: HttpRequest, token: str) -> HttpResponse:
    request = request_or_404(token)
    reader = reader_of(http, request)
    zone = default_zone(request)
    reason = ""
    with translation.override(reader.language):
        try:
            data = _posted(http)
            zone = zone_of(data.get("tz"), request)
            reason = _reason_of(data)
            interview_cancel(
                interview=_booked_interview(request), actor=None, by_candidate=True, reason=reason
            )
        except HireSlotError as error:
            return refusal(
                http, request, token, zone, reader, error, change="cancel", reason=reason
            )
        return after_change(token, zone, data, done="cancelled")


@require_GET
def candidate_invite(http: HttpRequest, token: str) -> HttpResponse:
    """The booked interview as a plain calendar file (METHOD:PUBLISH, RFC 5545 section 8.1:
    the same method in the Content-Type) named after the interview, for the candidate's own
    calendar. A cancelled interview has nothing to add: a page says so."""
    request = request_or_404(token)
    interview = live_interview_of(request) or latest_interview_of(request)
    if interview is None:
        raise Http404("Nothing is booked yet.")
    reader = reader_of(http, request)
    if interview.status == Interview.Status.CANCELLED:
        with translation.override(reader.language):
            zone = interview.candidate_time_zone or default_zone(request)
            when = interview_when(interview, zone=zone, locale=reader.locale, hour_cycle=None)
            return page_render(
                http,
                "scheduling/candidate_invite_cancelled.html",
                {"token": token, "when": when},
                request=request,
                reader=reader,
                status=410,
            )
    loop = interview.loop if interview.loop_id is not None else None
    if loop is not None and loop.calendar_mode == LoopCalendar.ONE_EVENT:
        # The loop's one event, under the same UID as the emailed invite.
        text = loop_invite_ics(
            interview,
            loop,
            method="PUBLISH",
            sequence=loop.sequence,
            start=loop.start,
            end=loop.end,
        )
        name = interview_download_name(interview, title=loop.name)
    elif loop is not None:
        text = loop_sessions_download_ics(loop)
        name = interview_download_name(interview, title=loop.name)
    else:
        text = interview_invite_ics(
            interview,
            method="PUBLISH",
            sequence=interview.sequence,
            start=interview.start,
            end=interview.end,
        )
        name = interview_download_name(interview)
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8; method=PUBLISH")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
