"""From the database to the availability engine: people's rules and the busy cache.

Reads only the database (settings, overrides, the busy cache); never a calendar provider,
so listing slots is fast and works while a provider is down.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet, Value

from hireslot.accounts.models import AvailabilitySettings, DateOverride, User
from hireslot.availability import (
    AvailabilityRequest,
    Interviewer,
    LoopRequest,
    Session,
    Slot,
    find_slots,
)
from hireslot.calendars.models import CalendarConnection
from hireslot.calendars.selectors import busy_rows, stale_connections
from hireslot.scheduling.models import InterviewerBooking, SchedulingRequest
from hireslot.scheduling.seats import Seat, request_people, request_seats, seat_caps, seats_fill

PREVIEW_DURATION_MINUTES = 30


def _lower(own: int | None, pool: int | None) -> int | None:
    return own if pool is None else pool if own is None else min(own, pool)


def _pairs(ranges: list[list[str]]) -> list[tuple[str, str]]:
    return [(start, end) for start, end in ranges]


def interviewers_load(users: QuerySet[User]) -> QuerySet[User]:
    """``users`` in a fixed order (by id, the lock order of bookings), each read with what
    slot finding needs of them besides calendars, in the same query: their availability
    settings (``availability_of``), whether they have a connected calendar at all
    (``has_calendar``: only then is a live free/busy look-up worth making) and whether one of
    their calendars was not read lately (``calendar_stale``: then they must not look free).
    """
    connections = CalendarConnection.objects.filter(user=OuterRef("pk"))
    return (
        users.select_related("availability")
        .annotate(
            has_calendar=Exists(connections),
            calendar_stale=Exists(stale_connections().filter(user=OuterRef("pk"))),
        )
        .order_by("pk")
    )


def loaded_flag(user: User, name: Literal["has_calendar", "calendar_stale"]) -> bool:
    """One of the flags ``interviewers_load`` puts on each user."""
    return bool(getattr(user, name))


def availability_of(user: User) -> AvailabilitySettings:
    """The user's settings as ``interviewers_load`` read them (defaults if they have none)."""
    try:
        return user.availability
    except AvailabilitySettings.DoesNotExist:
        return AvailabilitySettings(user=user)


def interviewers_for(
    *,
    users: Sequence[User],
    start: datetime,
    end: datetime,
    exclude_interview_id: UUID | None = None,
    rules_only: bool = False,
    caps: Mapping[UUID, tuple[int | None, int | None]] | None = None,
    exclude_loop_id: UUID | None = None,
) -> list[Interviewer]:
    """Engine input for ``users`` over [start, end), in two queries when they were read by
    ``interviewers_load`` (three otherwise): their date overrides, and their busy time
    together with their bookings.

    HireSlot's own interviews reach the engine as ``interviews`` (they count towards daily
    caps) from the bookings table, which is written in the booking's own transaction; their
    mirrored calendar events are left out of busy time so nothing counts twice and an
    interview being rescheduled (``exclude_interview_id``) does not block its own new time.
    ``rules_only`` leaves out busy time and interviews: what the rules alone could offer.
    ``caps``: lower daily and weekly caps for some people (a pool's own), the lower applies.
    ``exclude_loop_id``: every session of a loop being moved, as ``exclude_interview_id``.
    """
    if not all(hasattr(user, "calendar_stale") for user in users):
        users = list(interviewers_load(User.objects.filter(pk__in=[user.pk for user in users])))
    user_ids = [user.pk for user in users]
    # A local date can start up to 14 hours before or end 12 hours after a UTC instant.
    first_day, last_day = (start - timedelta(days=1)).date(), (end + timedelta(days=1)).date()
    overrides: dict[UUID, dict[date, list[list[str]]]] = defaultdict(dict)
    for override in DateOverride.objects.filter(
        user_id__in=user_ids, date__gte=first_day, date__lte=last_day
    ):
        overrides[override.user_id][override.date] = override.hours
    # Buffers reach past the window's edges.
    reach_start, reach_end = start - timedelta(days=1), end + timedelta(days=1)
    busy: dict[UUID, list[tuple[datetime, datetime]]] = defaultdict(list)
    booked: dict[UUID, list[tuple[datetime, datetime]]] = defaultdict(list)
    if not rules_only:
        calendars = busy_rows(
            user_ids=user_ids, start=reach_start, end=reach_end, exclude_interview_events=True
        ).annotate(booked=Value(False))
        bookings = InterviewerBooking.objects.filter(
            interviewer_id__in=user_ids, active=True, start__lt=reach_end, end__gt=reach_start
        ).annotate(booked=Value(True))
        if exclude_interview_id is not None:
            bookings = bookings.exclude(interview_id=exclude_interview_id)
        if exclude_loop_id is not None:
            bookings = bookings.exclude(interview__loop_id=exclude_loop_id)
        # One round trip for both: this runs inside every booking's locks.
        rows = (
            calendars.order_by()
            .values_list("user_id", "start", "end", "booked")
            .union(
                bookings.order_by().values_list("interviewer_id", "start", "end", "booked"),
                all=True,
            )
        )
        for user_id, row_start, row_end, is_booking in rows:
            (booked if is_booking else busy)[user_id].append((row_start, row_end))
        for user in users:
            if loaded_flag(user, "calendar_stale"):
                busy[user.pk].append((reach_start, reach_end))
    interviewers = []
    for user in users:
        rules = availability_of(user)
        pool_day, pool_week = (caps or {}).get(user.pk, (None, None))
        interviewers.append(
            Interviewer.build(
                id=str(user.pk),
                tz=rules.time_zone,
                weekly={day: _pairs(ranges) for day, ranges in rules.weekly_hours.items()},
                overrides={day: _pairs(ranges) for day, ranges in overrides[user.pk].items()},
                busy=busy.get(user.pk, []),
                interviews=booked.get(user.pk, []),
                buffer_before=rules.buffer_before_minutes,
                buffer_after=rules.buffer_after_minutes,
                max_per_day=_lower(rules.max_interviews_per_day, pool_day),
                max_per_week=_lower(rules.max_interviews_per_week, pool_week),
            )
        )
    return interviewers


def bookable_times_preview(
    *, user: User, now: datetime, limit: int = 12, duration: int = PREVIEW_DURATION_MINUTES
) -> list[Slot]:
    """The next times a candidate could book ``user`` alone, from their saved settings."""
    loaded = interviewers_load(User.objects.filter(pk=user.pk))[0]
    rules = availability_of(loaded)
    end = now + timedelta(days=rules.booking_horizon_days)
    request = AvailabilityRequest.build(
        now=now,
        start=now,
        end=end,
        duration=duration,
        interval=duration,
        min_notice=rules.minimum_notice_minutes,
        grid_tz=rules.time_zone,
        interviewers=interviewers_for(users=[loaded], start=now, end=end),
    )
    return find_slots(request)[:limit]


@dataclass(frozen=True)
class RequestRules:
    """The booking rules of one request, resolved from its template and its interviewers."""

    duration: int
    interval: int
    min_notice: int
    horizon_days: int
    grid_tz: str


def request_interviewers(request: SchedulingRequest) -> list[User]:
    """The request's interviewers as ``interviewers_load`` reads them (a booking reads them
    locked: ``scheduling.locks.interviewers_lock``); with pool seats, everyone a booking may
    involve (``seats.request_people``)."""
    if request.template.pool_seats_count:
        return list(interviewers_load(request_people(request)))
    return list(interviewers_load(request.interviewers.all()))


def request_rules(*, request: SchedulingRequest, interviewers: Sequence[User]) -> RequestRules:
    """Template values win; otherwise the strictest of the interviewers' own settings, so
    nobody is booked sooner or further ahead than they allow."""
    template = request.template
    rules = [availability_of(user) for user in interviewers]
    min_notice = template.minimum_notice_minutes
    if min_notice is None:
        min_notice = max((r.minimum_notice_minutes for r in rules), default=0)
    horizon = template.booking_horizon_days
    if horizon is None:
        horizon = min((r.booking_horizon_days for r in rules), default=30)
    return RequestRules(
        duration=request.duration_minutes,
        interval=template.slot_interval_minutes,
        min_notice=min_notice,
        horizon_days=horizon,
        grid_tz=rules[0].time_zone if rules else "UTC",
    )


def request_slots(
    *,
    request: SchedulingRequest,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_interview_id: UUID | None = None,
    rules_only: bool = False,
    interviewers: Sequence[User] | None = None,
) -> list[Slot]:
    """The times the candidate of ``request`` may book within [start, end).

    Reads only the database and the busy cache. ``rules_only`` answers what the rules alone
    would offer (no busy time, no notice): a start outside that was never offered at all.
    ``interviewers``: the request's, already read by ``request_interviewers`` (a booking
    passes the ones it locked).
    """
    if interviewers is None:
        interviewers = request_interviewers(request)
    if request.template.pool_seats_count:
        return [
            seated.slot
            for seated in request_seated_slots(
                request=request,
                start=start,
                end=end,
                now=now,
                exclude_interview_id=exclude_interview_id,
                rules_only=rules_only,
                interviewers=interviewers,
            ).slots
        ]
    if not interviewers:
        return []
    rules = request_rules(request=request, interviewers=interviewers)
    start = max(start, now)
    end = min(end, now + timedelta(days=rules.horizon_days))
    if end <= start:
        return []
    engine_request = AvailabilityRequest.build(
        now=now,
        start=start,
        end=end,
        duration=rules.duration,
        interval=rules.interval,
        min_notice=0 if rules_only else rules.min_notice,
        grid_tz=rules.grid_tz,
        mode="all",
        interviewers=interviewers_for(
            users=interviewers,
            start=start,
            end=end,
            exclude_interview_id=exclude_interview_id,
            rules_only=rules_only,
        ),
    )
    return find_slots(engine_request)


@dataclass(frozen=True)
class SeatedSlot:
    """A time offered by a template with pool seats: ``slot.interviewers`` are its fixed
    people; ``seats`` each seat's members free then (user ids), never empty, and fillable by
    different people."""

    slot: Slot
    seats: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SeatedSlots:
    fixed: list[User]
    seats: list[Seat]
    slots: list[SeatedSlot]


def request_seated_slots(
    *,
    request: SchedulingRequest,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_interview_id: UUID | None = None,
    rules_only: bool = False,
    interviewers: Sequence[User] | None = None,
) -> SeatedSlots:
    """``request_slots`` for a template with pool seats: one interview asked of the engine as
    a one-session loop (the fixed people, and a seat of active members per pool), always
    with ``grid_tz`` (decision 0020). Seat members carry the lower of their own and the
    pool's caps. A member of two seats enters the engine once per seat (the contract allows
    an id once per session); ``seats_fill`` then keeps only times the seats can be filled
    by different people."""
    if interviewers is None:
        interviewers = request_interviewers(request)
    fixed_ids = set(request.interviewers.values_list("pk", flat=True))
    seats = request_seats(request=request, fixed_ids=fixed_ids)
    loaded = {user.pk: user for user in interviewers}
    fixed = [user for user in interviewers if user.pk in fixed_ids]
    seat_members = [[pk for pk in seat.member_ids if pk in loaded] for seat in seats]
    if not seats or not all(seat_members):
        return SeatedSlots(fixed, seats, [])
    members = sorted({pk for ids in seat_members for pk in ids}, key=str)
    people = fixed + [loaded[pk] for pk in members if pk not in fixed_ids]
    rules = request_rules(request=request, interviewers=fixed or people)
    start = max(start, now)
    end = min(end, now + timedelta(days=rules.horizon_days))
    if end <= start:
        return SeatedSlots(fixed, seats, [])
    engine_people = interviewers_for(
        users=people,
        start=start,
        end=end,
        exclude_interview_id=exclude_interview_id,
        rules_only=rules_only,
        caps=seat_caps(seats),
    )
    by_id = {person.id: person for person in engine_people}
    fixed_keys = [str(user.pk) for user in fixed]
    elements: list[str | tuple[str, ...]] = list(fixed_keys)
    entered: set[str] = set(fixed_keys)
    extra: list[Interviewer] = []
    for index, ids in enumerate(seat_members):
        seat: list[str] = []
        for pk in ids:
            key = str(pk)
            if key in entered:  # the same person for a second seat: a copy under another id
                copy_key = f"{key}#{index}"
                extra.append(dataclasses.replace(by_id[key], id=copy_key))
                key = copy_key
            entered.add(key)
            seat.append(key)
        elements.append(tuple(seat))
    loop = LoopRequest.build(
        now=now,
        start=start,
        end=end,
        interval=rules.interval,
        min_notice=0 if rules_only else rules.min_notice,
        grid_tz=rules.grid_tz,
        interviewers=[*engine_people, *extra],
        sessions=[Session.build(id="interview", duration=rules.duration, interviewers=elements)],
    )
    found = []
    for loop_slot in find_slots(loop):
        free = tuple(
            tuple(key.split("#")[0] for key in element)
            for element in loop_slot.sessions[0].interviewers
            if isinstance(element, tuple)
        )
        if seats_fill(free) is not None:
            found.append(SeatedSlot(Slot(loop_slot.start, loop_slot.end, tuple(fixed_keys)), free))
    return SeatedSlots(fixed, seats, found)
