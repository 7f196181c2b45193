"""Who fills each pool seat, decided inside the booking transaction, with its reasons.

Among the seat's members free at the chosen time (as the engine reports them): the fewest
interviews within ``WINDOW`` either side of the chosen time relative to weight, then the
least recently booked, then the lowest id (stable). Every interview counts, whatever booked
it. Seats are filled in order; a member is chosen only if the remaining seats can still be
filled by different people. A reschedule keeps the person already drawn if they are free at
the new time. The reasons name everyone, as people who manage the pool would ask: who was
eligible, who was at a cap or busy, and the counts that decided.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.db.models import Max

from hireslot.accounts.models import User
from hireslot.scheduling.models import Interview, InterviewerBooking, SchedulingRequest
from hireslot.scheduling.seats import Seat, request_seats, seats_fill
from hireslot.scheduling.slots import SeatedSlot, availability_of

# Two weeks either side of the interview: a rolling four-week window that sees bookings
# already made for the coming days as well as the recent past.
WINDOW = timedelta(weeks=2)


@dataclass(frozen=True)
class SeatChoice:
    seat: Seat
    user: User
    reason: str

    def as_record(self) -> dict[str, str]:
        return {
            "pool_id": str(self.seat.pool_id),
            "pool": self.seat.pool_name,
            "user_id": str(self.user.pk),
            "name": _name(self.user),
            "reason": self.reason,
        }


def _name(user: User) -> str:
    return user.get_full_name() or user.email


@dataclass
class _Load:
    window: int = 0
    day: int = 0
    week: int = 0
    last_booked: datetime | None = None


def _loads(
    user_ids: Sequence[UUID],
    people: Mapping[UUID, User],
    start: datetime,
    exclude_interview_id: UUID | None,
) -> dict[UUID, _Load]:
    """Each member's interviews in the window and on the chosen local day and week, and
    when they were last booked (two queries)."""
    loads = {pk: _Load() for pk in user_ids}
    bookings = InterviewerBooking.objects.filter(interviewer_id__in=user_ids, active=True)
    if exclude_interview_id is not None:
        bookings = bookings.exclude(interview_id=exclude_interview_id)
    zones = {pk: ZoneInfo(availability_of(people[pk]).time_zone) for pk in user_ids}
    for pk, when in bookings.filter(
        start__gte=start - max(WINDOW, timedelta(days=8)),
        start__lt=start + max(WINDOW, timedelta(days=8)),
    ).values_list("interviewer_id", "start"):
        load, zone = loads[pk], zones[pk]
        if start - WINDOW <= when < start + WINDOW:
            load.window += 1
        local, chosen = when.astimezone(zone), start.astimezone(zone)
        load.day += local.date() == chosen.date()
        load.week += local.isocalendar()[:2] == chosen.isocalendar()[:2]
    for pk, last in (
        bookings.values("interviewer_id")
        .annotate(last=Max("created_at"))
        .values_list("interviewer_id", "last")
    ):
        loads[pk].last_booked = last
    return loads


def _why_not(seat: Seat, user: User, load: _Load) -> str:
    rules = availability_of(user)
    day_cap = _lower(rules.max_interviews_per_day, seat.max_per_day)
    week_cap = _lower(rules.max_interviews_per_week, seat.max_per_week)
    if day_cap is not None and load.day >= day_cap:
        return "at daily cap"
    if week_cap is not None and load.week >= week_cap:
        return "at weekly cap"
    return "busy"


def _lower(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _count(n: int) -> str:
    return f"{n} interview{'' if n == 1 else 's'}"


def seats_assign(
    *,
    seats: Sequence[Seat],
    free: Sequence[Sequence[str]],
    people: Mapping[UUID, User],
    start: datetime,
    keep: Sequence[UUID | None] = (),
    exclude_interview_id: UUID | None = None,
) -> list[SeatChoice]:
    """One different person per seat from ``free`` (each seat's members free at ``start``,
    as ids); ``keep``: per seat, the person drawn before (a reschedule), kept if free."""
    members = sorted({pk for seat in seats for pk in seat.member_ids}, key=str)
    loads = _loads(members, people, start, exclude_interview_id)
    taken: set[str] = set()
    choices: list[SeatChoice] = []
    for index, seat in enumerate(seats):
        free_here = [key for key in free[index] if key not in taken]
        rest = [[key for key in ids if key not in taken] for ids in free[index + 1 :]]

        def leaves_room(key: str, rest: list[list[str]] = rest) -> bool:
            return seats_fill([[k for k in ids if k != key] for ids in rest]) is not None

        def score(key: str, seat: Seat = seat) -> tuple[float, datetime, str]:
            load = loads[UUID(key)]
            last = load.last_booked or datetime.min.replace(tzinfo=start.tzinfo)
            return (load.window / seat.weights.get(UUID(key), 1), last, key)

        ranked = sorted((key for key in free_here if leaves_room(key)), key=score)
        previous = keep[index] if index < len(keep) else None
        if previous is not None and str(previous) in ranked:
            chosen = str(previous)
            why = f"kept {_name(people[previous])}: free at the new time"
        else:
            chosen = ranked[0]
            why = _chose(seat, chosen, ranked, people, loads)
        taken.add(chosen)
        eligible = ", ".join(sorted(_name(people[UUID(key)]) for key in free_here))
        others = sorted(
            f"{_name(people[pk])} {_why_not(seat, people[pk], loads[pk])}"
            for pk in seat.member_ids
            if str(pk) not in free[index]
        )
        reason = "; ".join([f"eligible: {eligible}", *others, why])
        choices.append(SeatChoice(seat=seat, user=people[UUID(chosen)], reason=reason))
    return choices


def _chose(
    seat: Seat,
    chosen: str,
    ranked: list[str],
    people: Mapping[UUID, User],
    loads: Mapping[UUID, _Load],
) -> str:
    def load_text(key: str) -> str:
        weight = seat.weights.get(UUID(key), 1)
        text = str(loads[UUID(key)].window)
        return f"{text} (weight {weight})" if weight != 1 else text

    load = loads[UUID(chosen)]
    weight = seat.weights.get(UUID(chosen), 1)
    mine = _count(load.window) + (f" at weight {weight}" if weight != 1 else "")
    why = f"chose {_name(people[UUID(chosen)])}: {mine} in 4 weeks"
    rivals = [key for key in ranked if key != chosen]
    if rivals:
        why += " vs " + ", ".join(f"{_name(people[UUID(key)])} {load_text(key)}" for key in rivals)
        same = [key for key in rivals if loads[UUID(key)].window == load.window]
        if same and seat.weights.get(UUID(same[0]), 1) == weight:
            why += " (equal load: least recently booked first)"
    return why


def seats_people_choose(
    request: SchedulingRequest,
    people: list[User],
    seated: SeatedSlot | None,
    start: datetime,
    *,
    keep: list[UUID | None] | None = None,
    exclude: UUID | None = None,
) -> tuple[list[User], list[dict[str, str]]]:
    """The people who hold the interview (the fixed ones, then one per pool seat, chosen by
    ``assignment.seats_assign``) and the record of who was drawn and why."""
    if seated is None:
        return people, []
    fixed_ids = {UUID(key) for key in seated.slot.interviewers}
    by_id = {user.pk: user for user in people}
    choices = seats_assign(
        seats=request_seats(request=request, fixed_ids=fixed_ids),
        free=seated.seats,
        people=by_id,
        start=start,
        keep=keep or [],
        exclude_interview_id=exclude,
    )
    holders = [by_id[pk] for pk in sorted(fixed_ids, key=str)] + [c.user for c in choices]
    return holders, [choice.as_record() for choice in choices]


def interview_holders(interview: Interview, people: list[User]) -> list[User]:
    """Of the locked ``people``, those who hold ``interview`` now: for a fixed panel all of
    them (no extra query); with pool seats, the fixed people and those drawn."""
    if not interview.assignment and not interview.request.template.pool_seats_count:
        return people
    drawn = {entry["user_id"] for entry in interview.assignment}
    held = set(interview.bookings.filter(active=True).values_list("interviewer_id", flat=True))
    return [user for user in people if user.pk in held or str(user.pk) in drawn]
