"""A template's pool seats as slot finding and booking read them.

A seat is "one active member of pool X". The template's fixed people (the request's
``interviewers``) are never drawn for a seat, and one person never fills two seats of one
interview: a time is offered only if the seats can be filled by different people
(``seats_fillable``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from uuid import UUID

from django.db.models import Q, QuerySet

from hireslot.accounts.models import User
from hireslot.scheduling.models import (
    InterviewerBooking,
    PoolMember,
    SchedulingRequest,
    TemplatePoolSeat,
)


@dataclass(frozen=True)
class Seat:
    pool_id: UUID
    pool_name: str
    # Active members, fixed people left out, in primary-key order.
    member_ids: tuple[UUID, ...]
    weights: dict[UUID, int] = field(default_factory=dict)
    max_per_day: int | None = None
    max_per_week: int | None = None


def request_people(request: SchedulingRequest) -> QuerySet[User]:
    """Everyone a booking of ``request`` may involve: its fixed interviewers, the active
    members of its template's pools, and whoever holds its live interview now (a drawn
    member who was paused since). Annotated ``is_fixed``."""
    fixed = request.interviewers.through.objects.filter(schedulingrequest_id=request.pk)
    people = Q(pk__in=fixed.values("user_id")) | Q(
        pk__in=InterviewerBooking.objects.filter(
            interview__request_id=request.pk, active=True
        ).values("interviewer_id")
    )
    if request.template.pool_seats_count:
        people |= Q(
            pk__in=PoolMember.objects.filter(
                active=True, pool__seats__template_id=request.template_id
            ).values("user_id")
        )
    return User.objects.filter(people)


def request_seats(*, request: SchedulingRequest, fixed_ids: Iterable[UUID]) -> list[Seat]:
    """The template's seats with their active members (two queries; none without seats)."""
    if not request.template.pool_seats_count:
        return []
    fixed = set(fixed_ids)
    rows = list(
        TemplatePoolSeat.objects.filter(template_id=request.template_id).select_related("pool")
    )
    members: dict[UUID, list[tuple[UUID, int]]] = {}
    for pool_id, user_id, weight in (
        PoolMember.objects.filter(pool_id__in=[row.pool_id for row in rows], active=True)
        .order_by("user_id")
        .values_list("pool_id", "user_id", "weight")
    ):
        if user_id not in fixed:
            members.setdefault(pool_id, []).append((user_id, weight))
    return [
        Seat(
            pool_id=row.pool_id,
            pool_name=row.pool.name,
            member_ids=tuple(user_id for user_id, _ in members.get(row.pool_id, [])),
            weights=dict(members.get(row.pool_id, [])),
            max_per_day=row.pool.max_per_day,
            max_per_week=row.pool.max_per_week,
        )
        for row in rows
    ]


def seat_caps(seats: Sequence[Seat]) -> dict[UUID, tuple[int | None, int | None]]:
    """Per seat member, the lowest daily and weekly caps of the pools they sit for here."""
    caps: dict[UUID, tuple[int | None, int | None]] = {}
    for seat in seats:
        for user_id in seat.member_ids:
            day, week = caps.get(user_id, (None, None))
            caps[user_id] = (_lower(day, seat.max_per_day), _lower(week, seat.max_per_week))
    return caps


def _lower(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def seats_fill(free: Sequence[Sequence[str]]) -> list[str] | None:
    """One different person per seat from each seat's free members (in the seats' order),
    or None when no such choice exists (a bipartite matching: augmenting paths)."""
    chosen: dict[str, int] = {}

    def place(seat: int, seen: set[str]) -> bool:
        for person in free[seat]:
            if person in seen:
                continue
            seen.add(person)
            if person not in chosen or place(chosen[person], seen):
                chosen[person] = seat
                return True
        return False

    for seat in range(len(free)):
        if not place(seat, set()):
            return None
    by_seat = {seat: person for person, seat in chosen.items()}
    return [by_seat[seat] for seat in range(len(free))]


def seats_fillable(free: Sequence[Sequence[str]]) -> bool:
    return seats_fill(free) is not None
