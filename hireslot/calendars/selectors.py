"""Reads of busy time. Slot listing uses only these: never a live provider call."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db.models import Q, QuerySet

from hireslot.accounts.models import User
from hireslot.calendars.models import BusyInterval, BusySync, CalendarConnection
from hireslot.core import clock


def busy_rows(
    *,
    user_ids: Iterable[UUID],
    start: datetime,
    end: datetime,
    exclude_interview_events: bool = False,
) -> QuerySet[BusyInterval]:
    """Every cached busy range of these users overlapping [start, end).

    ``exclude_interview_events`` leaves out the busy time of HireSlot's own interview events,
    for callers that account for booked interviews themselves.
    """
    rows = BusyInterval.objects.filter(user_id__in=list(user_ids), start__lt=end, end__gt=start)
    if exclude_interview_events:
        rows = rows.filter(interview_uid="")
    return rows


def busy_by_user(
    *,
    user_ids: Iterable[UUID],
    start: datetime,
    end: datetime,
    exclude_interview_events: bool = False,
) -> dict[UUID, list[tuple[datetime, datetime]]]:
    """``busy_rows`` per user, in one query."""
    busy: dict[UUID, list[tuple[datetime, datetime]]] = defaultdict(list)
    rows = busy_rows(
        user_ids=user_ids, start=start, end=end, exclude_interview_events=exclude_interview_events
    )
    for user_id, busy_start, busy_end in rows.values_list("user_id", "start", "end"):
        busy[user_id].append((busy_start, busy_end))
    return busy


def busy_syncs_of(*, user: User) -> QuerySet[BusySync]:
    return BusySync.objects.filter(user=user).order_by("source")


def stale_connections() -> QuerySet[CalendarConnection]:
    """Connected calendars whose busy time was not read successfully lately (never yet, or
    longer ago than ``HIRESLOT_BUSY_MAX_AGE_MINUTES``): a broken or failing connection must
    not make its owner look free."""
    limit = clock.now() - timedelta(minutes=settings.HIRESLOT_BUSY_MAX_AGE_MINUTES)
    return CalendarConnection.objects.filter(
        Q(last_synced_at__isnull=True) | Q(last_synced_at__lt=limit)
    )
