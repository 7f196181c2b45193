"""Home: the requests that need attention, today's and this week's interviews, open tasks."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hireslot.accounts import services as account_services
from hireslot.accounts.access import member_required
from hireslot.accounts.requests import MemberRequest
from hireslot.core import clock
from hireslot.recruiting import selectors as recruiting
from hireslot.scheduling.availability_review import availability_review
from hireslot.scheduling.models import SchedulingRequest
from hireslot.scheduling.selectors import (
    RequestRow,
    home_requests,
    loops_folded,
    upcoming_interviews,
)
from hireslot.web.views.availability import review_context

# Requests with shared availability whose best time Home works out (each asks the engine).
HOME_AVAILABILITY = 10


def _just_dismissed(request: MemberRequest) -> SchedulingRequest | None:
    """The request dismissed a moment ago, for its Undo."""
    raw = request.GET.get("dismissed", "")
    try:
        UUID(raw)
    except ValueError:
        return None
    if not request.membership.can_recruit:
        return None
    return (
        SchedulingRequest.objects.filter(
            organization=request.organization, pk=raw, dismissed_at__isnull=False
        )
        .select_related("application__candidate", "template")
        .first()
    )


def _availability_received(
    rows: list[RequestRow], zone: ZoneInfo, now: datetime
) -> list[dict[str, object]]:
    """The requests whose candidate shared their availability, each with its best time (or
    none, for the page that says why)."""
    found = []
    for row in rows:
        if row.status != SchedulingRequest.Status.AVAILABILITY_RECEIVED:
            continue
        review = availability_review(request=row.request, now=now, explain=False)
        if review is not None:
            found.append(review_context(review, zone))
        if len(found) == HOME_AVAILABILITY:
            break
    return found


@member_required()
def home(request: MemberRequest) -> HttpResponse:
    who = "everyone" if request.GET.get("who") == "everyone" else "mine"
    user_id = None if who == "everyone" else request.user.pk
    now = clock.now()
    zone = ZoneInfo(account_services.availability_settings_of(user=request.user).time_zone)
    today = now.astimezone(zone).date()
    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    week_end = datetime.combine(
        today + timedelta(days=7 - today.weekday()), datetime.min.time(), tzinfo=zone
    )
    upcoming = list(
        upcoming_interviews(
            organization_id=request.organization.pk, user_id=user_id, start=now, end=week_end
        )
    )
    scheduling_requests = home_requests(
        organization_id=request.organization.pk,
        user_id=user_id,
        now=now,
        with_links=request.membership.can_recruit,
    )
    with timezone.override(zone):
        return render(
            request,
            "web/home.html",
            {
                "who": who,
                "zone": str(zone),
                "scheduling_requests": scheduling_requests,
                "availability_received": (
                    _availability_received(scheduling_requests, zone, now)
                    if request.membership.can_recruit
                    else []
                ),
                "interviews_today": loops_folded([i for i in upcoming if i.start < tomorrow]),
                "interviews_week": loops_folded([i for i in upcoming if i.start >= tomorrow]),
                "tasks": recruiting.tasks_open_for(
                    organization=request.organization, assignee=request.user
                )[:20],
                "jobs": recruiting.job_list(organization=request.organization),
                "dismissed": _just_dismissed(request),
            },
        )
