"""A request whose candidate shared their availability: their windows in the recruiter's
zone (the candidate's noted), the times that fit everyone, best first, booked with one
confirmed click; or, when none fits, who blocks which window and the nearest other times
(issue 16, decision 0032). The candidate page and Home show the same review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from hireslot.accounts.access import RECRUITING_ROLES, member_required
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.availability import Slot
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.request_input import instant_parse
from hireslot.core.timezones import is_known_time_zone
from hireslot.scheduling.availability_review import AvailabilityReview, availability_review
from hireslot.scheduling.models import SchedulingRequest
from hireslot.scheduling.selectors import instant_text
from hireslot.scheduling.services import interview_book
from hireslot.web.actions import confirmation_page
from hireslot.web.zones import member_zone

# Suggestions shown before "more"; the page shows them all.
FIRST_SUGGESTIONS = 5


@dataclass(frozen=True)
class TimeRow:
    """A time as the recruiter reads it, the candidate's reading beside it."""

    value: str
    label: str
    candidate_label: str


@dataclass(frozen=True)
class WindowRow:
    time: TimeRow
    fits: bool
    blockers: list[str]
    before: list[TimeRow]
    after: list[TimeRow]
    free_pool_members: list[tuple[str, tuple[str, ...]]]


def _moment(moment: datetime, zone: ZoneInfo) -> str:
    local = moment.astimezone(zone)
    return f"{local:%a} {local.day} {local:%b}, {local:%H:%M}"


def _span(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    local_start, local_end = start.astimezone(zone), end.astimezone(zone)
    if local_end.date() != local_start.date():
        return f"{_moment(start, zone)} – {_moment(end, zone)}"
    return f"{_moment(start, zone)} – {local_end:%H:%M}"


def _row(start: datetime, end: datetime, zone: ZoneInfo, candidate_zone: ZoneInfo) -> TimeRow:
    return TimeRow(
        value=instant_text(start),
        label=_span(start, end, zone),
        candidate_label=_span(start, end, candidate_zone),
    )


def _slots(slots: tuple[Slot, ...], zone: ZoneInfo, candidate_zone: ZoneInfo) -> list[TimeRow]:
    return [_row(s.start_at, s.end_at, zone, candidate_zone) for s in slots]


def review_context(review: AvailabilityReview, zone: ZoneInfo) -> dict[str, object]:
    """The review as the templates show it (``web/_availability_review.html``)."""
    candidate_zone_name = review.availability.time_zone
    candidate_zone = ZoneInfo(
        candidate_zone_name if is_known_time_zone(candidate_zone_name) else "UTC"
    )
    suggestions = [_row(s.start, s.end, zone, candidate_zone) for s in review.suggestions]
    windows = []
    if review.explanation is not None:
        for window in review.explanation.windows:
            windows.append(
                WindowRow(
                    time=_row(window.start, window.end, zone, candidate_zone),
                    fits=window.fits,
                    blockers=[blocker.text for blocker in window.blockers],
                    before=_slots(window.before, zone, candidate_zone),
                    after=_slots(window.after, zone, candidate_zone),
                    free_pool_members=list(window.free_pool_members),
                )
            )
    else:
        windows = [
            WindowRow(_row(start, end, zone, candidate_zone), True, [], [], [], [])
            for start, end in review.windows
        ]
    return {
        "review": review,
        "scheduling_request": review.request,
        "zone": str(zone),
        "candidate_zone": candidate_zone_name,
        "same_zone": candidate_zone_name == str(zone),
        "suggestions": suggestions,
        "window_rows": windows,
    }


def _scheduling_request(request: MemberRequest, scheduling_request_id: str) -> SchedulingRequest:
    return get_scoped_or_404(
        SchedulingRequest.objects.select_related(
            "application__candidate", "application__job", "template"
        ),
        request.organization,
        pk=scheduling_request_id,
    )


def _page(
    request: MemberRequest, scheduling_request: SchedulingRequest, *, status: int = 200
) -> HttpResponse:
    review = availability_review(request=scheduling_request, now=clock.now())
    context: dict[str, object] = {"scheduling_request": scheduling_request}
    if review is not None:
        context.update(review_context(review, member_zone(request)))
    return render(request, "web/request_availability.html", context, status=status)


@require_GET
@member_required(*RECRUITING_ROLES)
def request_availability(request: MemberRequest, scheduling_request_id: str) -> HttpResponse:
    return _page(request, _scheduling_request(request, scheduling_request_id))


@require_POST
@member_required(*RECRUITING_ROLES)
def request_book(request: MemberRequest, scheduling_request_id: str) -> HttpResponse:
    """Book one of the times for the candidate, as the recruiter: the candidate's own
    booking (``interview_book``), which refuses a time no longer offered."""
    scheduling_request = _scheduling_request(request, scheduling_request_id)
    candidate = scheduling_request.application.candidate
    page = reverse("web:request-availability", args=[scheduling_request.pk])
    try:
        start = instant_parse(request.POST.get("start"))
    except HireSlotError as error:
        messages.error(request, error.message)
        return _page(request, scheduling_request, status=error.status_code)
    zone = member_zone(request)
    unconfirmed = confirmation_page(
        request,
        question=(
            f"Book {scheduling_request.template.name} for {candidate.name} on "
            f"{_moment(start, zone)} ({zone})? "
            "The candidate and the interviewers get their invitations."
        ),
        yes="Book it",
        back=page,
    )
    if unconfirmed is not None:
        return unconfirmed
    availability = getattr(scheduling_request, "availability", None)
    candidate_zone = availability.time_zone if availability else candidate.time_zone
    try:
        interview = interview_book(
            request=scheduling_request,
            start=start,
            candidate_time_zone=candidate_zone or scheduling_request.organization.default_time_zone,
            candidate_language=candidate.language,
            actor=request.user,
        )
    except HireSlotError as error:
        messages.error(request, error.message)
        return _page(request, scheduling_request, status=error.status_code)
    messages.success(
        request,
        f"Booked {scheduling_request.template.name} for {candidate.name}; "
        "the candidate and the interviewers get their invitations.",
    )
    return redirect("web:interview-detail", interview_id=interview.pk)
