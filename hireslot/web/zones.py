"""The zone a member reads times in on the workspace's pages, and the days its pickers ask for."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.http import HttpRequest

from hireslot.accounts.models import AvailabilitySettings
from hireslot.accounts.requests import MemberRequest
from hireslot.core.request_input import BadInputError
from hireslot.scheduling.selectors import local_day_range


def member_zone(request: MemberRequest) -> ZoneInfo:
    """Their own zone (My Settings), else the organization's, else UTC."""
    name = (
        AvailabilitySettings.objects.filter(user=request.user)
        .values_list("time_zone", flat=True)
        .first()
    )
    return ZoneInfo(name or request.organization.default_time_zone or "UTC")


# The most days one look-up of a recruiter's picker may ask.
MAX_SLOT_DAYS = 62


def picker_days(request: HttpRequest) -> tuple[ZoneInfo, datetime, datetime]:
    """The local days ``from``..``to`` in ``tz`` a recruiter's picker asks times for, as
    instants; ``BadInputError`` when they are missing or too many."""
    try:
        zone = ZoneInfo(request.GET.get("tz") or "UTC")
        first = date.fromisoformat(request.GET.get("from", ""))
        last = date.fromisoformat(request.GET.get("to", ""))
    except (ValueError, KeyError, ZoneInfoNotFoundError):
        raise BadInputError("Give tz, and from and to as YYYY-MM-DD.") from None
    if last < first or (last - first).days > MAX_SLOT_DAYS:
        raise BadInputError(f"Ask for 1 to {MAX_SLOT_DAYS} days.")
    start, end = local_day_range(first, last, zone)
    return zone, start, end
