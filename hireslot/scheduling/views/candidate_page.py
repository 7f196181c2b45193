"""The candidate's page: the picker, the booked interview (manage: reschedule, cancel), the
closed states, and the no-script zone search."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from hireslot.availability import Slot
from hireslot.core import clock
from hireslot.core.languages import language_normalize
from hireslot.core.request_input import BadInputError, instant_parse
from hireslot.core.time_text import HourCycle, zone_label
from hireslot.scheduling.availability_page import asks_availability, availability_form
from hireslot.scheduling.candidate_cache import (
    LIFETIME,
    Freshness,
    Kept,
    answer_get,
    answer_keep,
    answer_key,
    first_view_within,
    page_fill,
    page_hollow,
    request_stamp,
)
from hireslot.scheduling.candidate_grid import availability_grid_data, availability_grid_windows
from hireslot.scheduling.candidate_pages import (
    booker_data,
    calendar_links,
    cancelled_by_candidate,
    interview_when,
    page_window,
    time_days,
)
from hireslot.scheduling.candidate_zones import zones_search, zones_static_path
from hireslot.scheduling.loop_agenda import (
    agenda_lines,
    agenda_timed,
    booked_agenda,
    loop_plan,
    loop_slots_listed,
)
from hireslot.scheduling.loops import loop_request_people
from hireslot.scheduling.models import (
    CandidateAvailability,
    Interview,
    InterviewLoop,
    SchedulingRequest,
)
from hireslot.scheduling.selectors import is_closed, latest_interview_of, live_interview_of
from hireslot.scheduling.services import scheduling_request_open, scheduling_request_seen
from hireslot.scheduling.services.requests import LAST_OPENED_EVERY
from hireslot.scheduling.services.text_consent import text_consent_offered
from hireslot.scheduling.slots import (
    availability_of,
    request_interviewers,
    request_rules,
    request_slots,
)
from hireslot.scheduling.views.candidate_common import (
    LANGUAGE_COOKIE,
    Reader,
    day_of,
    hour_cycle_param,
    language_cookie_set,
    page_render,
    reader_of,
    request_or_404,
    zone_of,
)

PAGE_DAYS = 14
DONE = ("booked", "rescheduled", "cancelled", "availability")


def page_show(
    http: HttpRequest,
    request: SchedulingRequest,
    token: str,
    zone: str,
    reader: Reader,
    *,
    first_day: date | None = None,
    error: str = "",
    status: int = 200,
    freshness: Freshness | None = None,
    change: str = "",
    reason: str = "",
) -> HttpResponse:
    """The page in its state: the picker, the booked interview, or a change step.
    ``freshness``: lowered to when what the page shows would change with time alone.
    ``change`` and ``reason``: a refused change step shown again with what was typed."""
    now = clock.now()
    interview = live_interview_of(request)
    if interview is not None and not http.GET.get("tz"):
        # A booked candidate sees their time in the zone they booked in.
        zone = interview.candidate_time_zone or zone
    hour_cycle = hour_cycle_param(http.GET.get("hc"))
    cutoff = timedelta(minutes=request.template.change_cutoff_minutes)
    can_change = interview is not None and interview.start - cutoff > now
    is_loop = bool(request.template.loop_sessions_count)
    change = (change or http.GET.get("change", "")) if can_change else ""
    done = http.GET.get("done", "")
    interviewers = request_interviewers(request)
    # Who the candidate is told they meet: with pool seats, the fixed people and "one of our
    # interviewers" per seat until someone is drawn, then the people drawn.
    meeting = interviewers
    names = [user.get_full_name() for user in interviewers]
    if request.template.pool_seats_count:
        meeting, names = _pool_people(request, interview, interviewers)
    # A loop is shown, booked or moved as a whole: its times are the loop's.
    loop = interview.loop if interview is not None and interview.loop_id is not None else None
    shown: Interview | InterviewLoop | None = loop or interview
    if freshness is not None:
        if can_change and interview is not None:
            freshness.limit(interview.start - cutoff)
        if request.status in SchedulingRequest.WAITING:
            freshness.limit(request.expires_at)
    context: dict[str, Any] = {
        "token": token,
        "request_obj": request,
        "job": request.application.job,
        "candidate": request.application.candidate,
        "interview_name": (
            request.template.name if is_loop else request.template.interview_template.name
        ),
        "is_loop": is_loop,
        "duration": request.duration_minutes,
        "interviewers": names,
        "interview": interview,
        "can_change": can_change,
        "cutoff_hours": request.template.change_cutoff_minutes / 60,
        "zone": zone,
        "zone_label": zone_label(zone, at=now, locale=reader.locale),
        "hour_cycle": hour_cycle or "",
        "change": change,
        "done": done if done in DONE else "",
        "error": error,
        "text_consent_offered": text_consent_offered(request),  # issue 17
        "reason_required": request.template.candidate_reason_required,  # issue 17
        "reason_text": reason,
    }
    if is_loop:
        context["names"] = []
        context["plan"] = loop_plan(request)
    if interview is not None and shown is not None:
        when = interview_when(shown, zone=zone, locale=reader.locale, hour_cycle=hour_cycle)
        context["when"] = when
        context["links"] = _calendar_links(request, interview, meeting, loop=loop)
        context["moved_from"] = _moved_from(http, shown, zone, reader, hour_cycle)
        if loop is not None:
            context["agenda"] = agenda_timed(
                booked_agenda(loop, show_names=request.template.loop_show_names),
                zone=zone,
                locale=reader.locale,
                hour_cycle=hour_cycle,
            )
    elif context["done"] == "cancelled":
        # The candidate cancelled and the link stays open: say what was cancelled.
        cancelled = latest_interview_of(request)
        if cancelled is not None and cancelled.status == Interview.Status.CANCELLED:
            context["cancelled_when"] = interview_when(
                cancelled.loop if cancelled.loop_id is not None else cancelled,
                zone=zone,
                locale=reader.locale,
                hour_cycle=hour_cycle,
            )
    asks = asks_availability(request)
    if interview is None:
        # issue 16: the times they could do, asked for, or offered under "none of these work".
        # Only a request that received availability has any to show (no query otherwise).
        availability = (
            CandidateAvailability.objects.filter(request_id=request.pk).first()
            if request.status == SchedulingRequest.Status.AVAILABILITY_RECEIVED
            else None
        )
        context["asks_availability"] = asks
        context["availability"] = availability_form(
            request=request,
            availability=availability,
            zone=zone,
            locale=reader.locale,
            hour_cycle=hour_cycle,
            now=now,
        )
    if (interview is None and not asks) or change == "reschedule":
        context.update(
            _picker(
                http,
                request,
                token,
                zone,
                reader,
                hour_cycle,
                now,
                interview,
                first_day,
                interviewers=interviewers,
                freshness=freshness,
            )
        )
        context["picker_heading"] = (
            gettext("Pick a new time") if interview is not None else gettext("Pick a time")
        )
    elif interview is None:
        # An availability request offers no times, but its grid shades the ones it could.
        picker = _picker(
            http,
            request,
            token,
            zone,
            reader,
            hour_cycle,
            now,
            None,
            first_day,
            interviewers=interviewers,
            freshness=freshness,
        )
        context["availability_grid"] = picker["availability_grid"]
    if interview is None:
        # The grid opens with what the candidate shared before: sending again replaces it.
        context["availability_grid"]["windows"] = availability_grid_windows(availability, now=now)
    return page_render(
        http,
        "scheduling/candidate_page.html",
        context,
        request=request,
        reader=reader,
        status=status,
    )


def _picker(
    http: HttpRequest,
    request: SchedulingRequest,
    token: str,
    zone: str,
    reader: Reader,
    hour_cycle: HourCycle | None,
    now: datetime,
    interview: Interview | None,
    first_day: date | None,
    *,
    interviewers: list[Any],
    freshness: Freshness | None = None,
) -> dict[str, Any]:
    today = now.astimezone(ZoneInfo(zone)).date()
    first_day = first_day or today
    start, end = page_window(first_day, PAGE_DAYS, zone)
    agenda: dict[str, list[dict[str, Any]]] = {}
    if request.template.loop_sessions_count:
        listed = loop_slots_listed(
            request=request,
            start=start,
            end=end,
            now=now,
            interviewers=loop_request_people(request),
        )
        slots = [Slot(int(c.start.timestamp()), int(c.end.timestamp()), ()) for c, _ in listed]
        agenda = {row["start"]: row["sessions"] for _, row in listed}
    else:
        slots = request_slots(
            request=request,
            start=start,
            end=end,
            now=now,
            exclude_interview_id=interview.pk if interview else None,
            interviewers=interviewers,
        )
    rules = request_rules(request=request, interviewers=interviewers)
    if freshness is not None and slots:
        # The first time leaves the offer when it falls inside the minimum notice.
        notice = timedelta(minutes=rules.min_notice)
        freshness.limit(min(slot.start_at for slot in slots) - notice)
    first = interviewers[0] if interviewers else None
    if request.template.loop_sessions_count and not request.template.loop_show_names:
        first = None  # the loop's people are not named to the candidate
    data = booker_data(
        slots=slots,
        loaded=(start, end),
        zone=zone,
        zone_fixed=bool(http.GET.get("tz")),
        locale=reader.locale,
        hour_cycle=hour_cycle,
        request=request,
        now=now,
        slots_url=reverse("scheduling:candidate-slots", args=[token]),
        zones_url=static(zones_static_path(reader.language)),
        current=interview,
        interviewer=(first.get_short_name(), availability_of(first).time_zone) if first else None,
        last_start=now + timedelta(days=rules.horizon_days),
    )
    if agenda:
        data["agenda"] = agenda
    return {
        "availability_grid": availability_grid_data(
            data, auto_schedule=request.template.auto_schedule
        ),
        "days": time_days(slots, zone=zone, locale=reader.locale, hour_cycle=hour_cycle),
        "booker": data,
        "later": (first_day + timedelta(days=PAGE_DAYS)).isoformat(),
        "earlier": (first_day - timedelta(days=PAGE_DAYS)).isoformat() if first_day > today else "",
        "action": reverse(
            "scheduling:candidate-reschedule" if interview else "scheduling:candidate-book",
            args=[token],
        ),
    }


def _pool_people(
    request: SchedulingRequest, interview: Interview | None, interviewers: list[Any]
) -> tuple[list[Any], list[str]]:
    """For a template with pool seats: the people the candidate meets and how to name them
    (pool members are not named before they are drawn)."""
    if interview is not None:
        held = set(interview.bookings.filter(active=True).values_list("interviewer_id", flat=True))
        people = [user for user in interviewers if user.pk in held]
        return people, [user.get_full_name() for user in people]
    fixed_ids = set(request.interviewers.values_list("pk", flat=True))
    fixed = [user.get_full_name() for user in interviewers if user.pk in fixed_ids]
    seats = request.template.pool_seats_count
    others = (
        gettext("one of our interviewers")
        if seats == 1
        else gettext("%(count)s of our interviewers") % {"count": seats}
    )
    if not fixed:
        return [], [others]
    return [], [
        gettext("%(people)s and %(others)s") % {"people": ", ".join(fixed), "others": others}
    ]


def _calendar_links(
    request: SchedulingRequest,
    interview: Interview,
    interviewers: list[Any],
    *,
    loop: InterviewLoop | None = None,
) -> dict[str, str]:
    organization = request.organization
    title = gettext("%(interview)s with %(organization)s") % {
        "interview": loop.name if loop is not None else request.template.interview_template.name,
        "organization": organization.name,
    }
    parts = [
        gettext("%(job)s at %(organization)s")
        % {"job": request.application.job.title, "organization": organization.name}
    ]
    if loop is not None:
        items = agenda_timed(
            booked_agenda(loop, show_names=request.template.loop_show_names),
            zone=loop.candidate_time_zone,
            locale="en_US",
        )
        parts += agenda_lines(items)
        return calendar_links(loop, title=title, details="\n".join(parts), location="")
    if interviewers:
        parts.append(
            gettext("With %(people)s")
            % {"people": ", ".join(user.get_full_name() for user in interviewers)}
        )
    if interview.conference_url:
        parts.append(gettext("Join: %(link)s") % {"link": interview.conference_url})
    if interview.conference_details:
        parts.append(interview.conference_details)
    return calendar_links(
        interview,
        title=title,
        details="\n".join(parts),
        location=interview.conference_url or interview.conference_details,
    )


def _moved_from(
    http: HttpRequest,
    interview: Interview | InterviewLoop,
    zone: str,
    reader: Reader,
    hour_cycle: HourCycle | None,
) -> str:
    """The interview's time before the move the candidate just made (from the redirect)."""
    if http.GET.get("done") != "rescheduled" or not http.GET.get("was"):
        return ""
    try:
        was = instant_parse(http.GET.get("was"), field="was")
    except BadInputError:
        return ""
    if was == interview.start:
        return ""
    return interview_when(
        interview, start=was, zone=zone, locale=reader.locale, hour_cycle=hour_cycle
    )


def closed_page(
    http: HttpRequest, request: SchedulingRequest, reader: Reader, zone: str
) -> HttpResponse:
    """Expired or cancelled (saying by whom, and when the interview would have been)."""
    now = clock.now()
    state = "expired"
    when = ""
    if request.status_at(now) == SchedulingRequest.Status.CANCELLED:
        by_candidate = cancelled_by_candidate(request)
        state = "cancelled_by_you" if by_candidate else "cancelled"
        cancelled = latest_interview_of(request)
        if cancelled is not None and cancelled.status == Interview.Status.CANCELLED:
            if not http.GET.get("tz"):
                zone = cancelled.candidate_time_zone or zone
            when = interview_when(
                cancelled.loop if cancelled.loop_id is not None else cancelled,
                zone=zone,
                locale=reader.locale,
                hour_cycle=hour_cycle_param(http.GET.get("hc")),
            )
    return page_render(
        http,
        "scheduling/candidate_gone.html",
        {
            "request_obj": request,
            "state": state,
            "when": when,
            "done": http.GET.get("done") == "cancelled",
        },
        request=request,
        reader=reader,
        status=410,
    )


def error_page(
    http: HttpRequest, request: SchedulingRequest, token: str, reader: Reader, message: str
) -> HttpResponse:
    return page_render(
        http,
        "scheduling/candidate_error.html",
        {"message": message, "token": token},
        request=request,
        reader=reader,
        status=400,
    )


@require_GET
def candidate_page(http: HttpRequest, token: str) -> HttpResponse:
    now = clock.now()
    # Read first: nothing the page is computed from below is older than it.
    stamp = request_stamp(token)
    if stamp is None:
        raise Http404("This scheduling link is not valid.")
    if not stamp.is_closed(now) and first_view_within(stamp, LAST_OPENED_EVERY):
        scheduling_request_seen(request_id=stamp.request_id, now=now)  # issue 17: nudges
    key = ""
    if stamp.is_settled(now):
        key = answer_key(
            "page",
            stamp,
            now,
            http.META.get("QUERY_STRING", ""),
            http.COOKIES.get(LANGUAGE_COOKIE, ""),
            http.headers.get("Accept-Language", ""),
        )
        kept = answer_get(key, now)
        if kept is not None:
            return _kept_page(http, kept)
    request = request_or_404(token)
    reader = reader_of(http, request)
    with translation.override(reader.language):
        try:
            zone = zone_of(http.GET.get("tz"), request)
            first_day = day_of(http.GET["from"], "from") if http.GET.get("from") else None
        except BadInputError as error:
            return error_page(http, request, token, reader, error.message)
        if is_closed(request, now):
            return closed_page(http, request, reader, zone)
        if request.status == SchedulingRequest.Status.PENDING or (
            request.status == SchedulingRequest.Status.AVAILABILITY_REQUESTED
            and request.opened_at is None
        ):
            scheduling_request_open(request=request)
        freshness = Freshness(until=now + LIFETIME)
        response = page_show(
            http, request, token, zone, reader, first_day=first_day, freshness=freshness
        )
    if key and response.status_code == 200:
        nonce = str(getattr(http, "csp_nonce", ""))
        body = page_hollow(response.content.decode(), nonce=nonce)
        answer_keep(key, body, now=now, freshness=freshness)
    return response


def _kept_page(http: HttpRequest, kept: Kept) -> HttpResponse:
    """A kept page with this response's CSRF token (setting the cookie as rendering would)
    and style nonce."""
    body = page_fill(
        kept.body, csrf_token=get_token(http), nonce=str(getattr(http, "csp_nonce", ""))
    )
    response = HttpResponse(body, content_type="text/html; charset=utf-8")
    return language_cookie_set(response, language_normalize(http.GET.get("lang", "")))


@require_GET
def candidate_zone(http: HttpRequest, token: str) -> HttpResponse:
    """Choosing a zone without the booker's script: search by city, country or abbreviation,
    then follow a result back to the page."""
    request = request_or_404(token)
    reader = reader_of(http, request)
    with translation.override(reader.language):
        try:
            zone = zone_of(http.GET.get("tz"), request)
        except BadInputError as error:
            return error_page(http, request, token, reader, error.message)
        query = http.GET.get("q", "")[:64]
        now = clock.now()
        results = [
            {
                "id": found[0],
                "label": zone_label(found[0], at=now, locale=reader.locale),
                "country": found[3],
            }
            for found in zones_search(reader.language, query)
        ]
        return page_render(
            http,
            "scheduling/candidate_zone.html",
            {
                "token": token,
                "zone": zone,
                "zone_label": zone_label(zone, at=now, locale=reader.locale),
                "query": query,
                "results": results,
            },
            request=request,
            reader=reader,
        )
