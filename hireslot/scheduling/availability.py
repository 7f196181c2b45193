"""From the database to the availability engine: people's rules and the busy cache.

Reads only the database (settings, overrides, the busy cache); never a calendar provider,
so listing slots is fast and works while a provider is down.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

from hireslot.accounts.models import AvailabilitySettings, DateOverride, User
from hireslot.availability import AvailabilityRequest, Interviewer, Slot, find_slots
from hireslot.calendars.selectors import busy_by_user

PREVIEW_DURATION_MINUTES = 30


def _pairs(ranges: list[list[str]]) -> list[tuple[str, str]]:
    return [(start, end) for start, end in ranges]


def interviewers_for(*, users: Sequence[User], start: datetime, end: datetime) -> list[Interviewer]:
    """Engine input for ``users`` over [start, end), in a fixed number of queries."""
    user_ids = [user.pk for user in users]
    settings = {s.user_id: s for s in AvailabilitySettings.objects.filter(user_id__in=user_ids)}
    # A local date can start up to 14 hours before or end 12 hours after a UTC instant.
    first_day, last_day = (start - timedelta(days=1)).date(), (end + timedelta(days=1)).date()
    overrides: dict[UUID, dict[date, list[list[str]]]] = defaultdict(dict)
    for override in DateOverride.objects.filter(
        user_id__in=user_ids, date__gte=first_day, date__lte=last_day
    ):
        overrides[override.user_id][override.date] = override.hours
    # Buffers reach past the window's edges.
    busy = busy_by_user(
        user_ids=user_ids, start=start - timedelta(days=1), end=end + timedelta(days=1)
    )
    interviewers = []
    for user in users:
        rules = settings.get(user.pk) or AvailabilitySettings(user=user)
        interviewers.append(
            Interviewer.build(
                id=str(user.pk),
                tz=rules.time_zone,
                weekly={day: _pairs(ranges) for day, ranges in rules.weekly_hours.items()},
                overrides={day: _pairs(ranges) for day, ranges in overrides[user.pk].items()},
                busy=busy.get(user.pk, []),
                buffer_before=rules.buffer_before_minutes,
                buffer_after=rules.buffer_after_minutes,
                max_per_day=rules.max_interviews_per_day,
            )
        )
    return interviewers


def bookable_times_preview(
    *, user: User, now: datetime, limit: int = 12, duration: int = PREVIEW_DURATION_MINUTES
) -> list[Slot]:
    """The next times a candidate could book ``user`` alone, from their saved settings."""
    rules = AvailabilitySettings.objects.filter(user=user).first() or AvailabilitySettings(
        user=user
    )
    end = now + timedelta(days=rules.booking_horizon_days)
    request = AvailabilityRequest.build(
        now=now,
        start=now,
        end=end,
        duration=duration,
        interval=duration,
        min_notice=rules.minimum_notice_minutes,
        grid_tz=rules.time_zone,
        interviewers=interviewers_for(users=[user], start=now, end=end),
    )
    return find_slots(request)[:limit]
