"""Why none of the candidate's windows fits, and the nearest times that would (issue 16).

Given a request and the windows a candidate said they could do, ``request_fit_explain``
says, per window, whether an offered time lies wholly inside it and, when none does, who
blocks it: an interviewer or a pool seat (every member of it), because they are busy, the
window is outside their working hours, they reached their daily or weekly cap, or the
window falls before the notice period ends or after the booking horizon. It also gives the
offered times nearest to the window on either side and, for pool seats, the members free
in it (decision 0032).

The explanation asks the engine itself, never a second implementation of its rules: each
person alone over the window, then with their calendar left out (working hours alone),
then with their caps lifted. Only the reading of rows is here (``request_fit_explain``);
``windows_explain`` is pure and takes the engine's inputs.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal
from uuid import UUID

from hireslot.accounts.models import User
from hireslot.availability import AvailabilityRequest, Intervals, Interviewer, Slot, find_slots
from hireslot.scheduling.loops import loop_request_people, loop_steps, request_times
from hireslot.scheduling.models import SchedulingRequest
from hireslot.scheduling.seats import Seat, request_seats, seat_caps
from hireslot.scheduling.slots import interviewers_for, request_interviewers, request_rules

Reason = Literal["busy", "hours", "daily_cap", "weekly_cap", "notice", "horizon", "together"]

REASON_TEXT: dict[str, str] = {
    "busy": "busy (calendar events or interviews)",
    "hours": "outside working hours",
    "daily_cap": "at the daily interview limit",
    "weekly_cap": "at the weekly interview limit",
}
# How many offered times to show on each side of a window.
NEAREST = 3


@dataclass(frozen=True)
class Party:
    """Who must attend one session: a person (one member), or a pool seat (any member will
    do). ``members`` are the engine's interviewers; ``names`` their ids' display names."""

    label: str
    members: tuple[Interviewer, ...]
    duration: int
    is_seat: bool = False
    session: str = ""


@dataclass(frozen=True)
class Blocker:
    """One reason no time fits a window: ``who`` (a person, a seat's pool, or "" for the
    notice period, the horizon, or everyone together) and why, in words."""

    who: str
    reason: Reason
    text: str
    session: str = ""


@dataclass(frozen=True)
class WindowFit:
    start: datetime
    end: datetime
    fits: bool
    blockers: tuple[Blocker, ...]
    # Offered times ending before the window (nearest first) and starting after it.
    before: tuple[Slot, ...]
    after: tuple[Slot, ...]
    # Per pool seat: its members free for a time inside the window.
    free_pool_members: tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class FitExplanation:
    windows: tuple[WindowFit, ...]

    @property
    def fits(self) -> bool:
        return any(window.fits for window in self.windows)


@dataclass(frozen=True)
class EngineRules:
    """The request's rules as the engine takes them."""

    interval: int
    min_notice: int
    grid_tz: str
    horizon_end: datetime


# --- Pure ----------------------------------------------------------------------------------


def _free_inside(
    person: Interviewer, start: datetime, end: datetime, duration: int, rules: EngineRules
) -> bool:
    """Whether ``person`` alone could do a ``duration`` interview wholly inside [start, end)."""
    if end - start < timedelta(minutes=duration):
        return False
    request = AvailabilityRequest.build(
        now=start,
        start=start,
        end=end,
        duration=duration,
        interval=rules.interval,
        grid_tz=rules.grid_tz,
        interviewers=[person],
    )
    return any(slot.end_at <= end for slot in find_slots(request))


def _person_reason(
    person: Interviewer, start: datetime, end: datetime, duration: int, rules: EngineRules
) -> Reason | None:
    """Why ``person`` cannot do a time inside the window, or None when they can."""
    if _free_inside(person, start, end, duration, rules):
        return None
    hours_only = dataclasses.replace(
        person,
        busy=Intervals.of([], "busy"),
        interviews=Intervals.of([], "interviews"),
        max_per_day=None,
        max_per_week=None,
    )
    if not _free_inside(hours_only, start, end, duration, rules):
        return "hours"
    uncapped = dataclasses.replace(person, max_per_day=None, max_per_week=None)
    if not _free_inside(uncapped, start, end, duration, rules):
        return "busy"
    if _free_inside(dataclasses.replace(person, max_per_day=None), start, end, duration, rules):
        return "daily_cap"
    return "weekly_cap"


def _nearest(
    offered: Sequence[Slot], start: datetime, end: datetime
) -> tuple[tuple[Slot, ...], tuple[Slot, ...]]:
    before = sorted((s for s in offered if s.end_at <= start), key=lambda s: -s.end)
    after = sorted((s for s in offered if s.start_at >= end), key=lambda s: s.start)
    return tuple(before[:NEAREST]), tuple(after[:NEAREST])


def _window_explain(
    window: tuple[datetime, datetime],
    *,
    parties: Sequence[Party],
    names: dict[str, str],
    offered: Sequence[Slot],
    rules: EngineRules,
    now: datetime,
    shortest: int,
) -> WindowFit:
    start, end = window
    fits = any(start <= s.start_at and s.end_at <= end for s in offered)
    blockers: list[Blocker] = []
    free_members: list[tuple[str, tuple[str, ...]]] = []
    # What the notice period and the horizon leave of the window.
    earliest = now + timedelta(minutes=rules.min_notice)
    usable_start, usable_end = max(start, earliest), min(end, rules.horizon_end)
    if usable_end - usable_start < timedelta(minutes=shortest):
        reason: Reason = "horizon" if start >= rules.horizon_end else "notice"
        text = (
            "It is after the last day the interviewers can be booked."
            if reason == "horizon"
            else f"It is too soon: times start {rules.min_notice} minutes from now at the earliest."
        )
        blockers.append(Blocker(who="", reason=reason, text=text))
    else:
        for party in parties:
            reasons = {
                member.id: _person_reason(member, usable_start, usable_end, party.duration, rules)
                for member in party.members
            }
            free = sorted(names.get(key, key) for key, why in reasons.items() if why is None)
            if party.is_seat:
                free_members.append((party.label, tuple(free)))
            if free:
                continue
            blockers.append(_party_blocker(party, reasons, names))
        if not fits and not blockers:
            blockers.append(
                Blocker(
                    who="",
                    reason="together",
                    text=(
                        "Everyone is free at some time in it, but not at the same time"
                        + (
                            " (the sessions do not fit back to back)."
                            if any(party.session for party in parties)
                            else "."
                        )
                    ),
                )
            )
    before, after = _nearest(offered, start, end) if not fits else ((), ())
    return WindowFit(
        start=start,
        end=end,
        fits=fits,
        blockers=tuple(blockers) if not fits else (),
        before=before,
        after=after,
        free_pool_members=tuple(free_members),
    )


def _party_blocker(
    party: Party, reasons: dict[str, Reason | None], names: dict[str, str]
) -> Blocker:
    where = f" for {party.session}" if party.session else ""
    if not party.is_seat:
        (reason,) = [why for why in reasons.values() if why is not None]
        return Blocker(
            who=party.label,
            reason=reason,
            text=f"{party.label} is {REASON_TEXT[reason]}{where}.",
            session=party.session,
        )
    each = ", ".join(
        f"{names.get(key, key)} ({REASON_TEXT[why]})" for key, why in reasons.items() if why
    )
    common = {why for why in reasons.values() if why}
    return Blocker(
        who=party.label,
        reason=common.pop() if len(common) == 1 else "busy",
        text=f"No one from {party.label} is free{where}: {each}.",
        session=party.session,
    )


def windows_explain(
    *,
    windows: Sequence[tuple[datetime, datetime]],
    parties: Sequence[Party],
    names: dict[str, str],
    offered: Sequence[Slot],
    rules: EngineRules,
    now: datetime,
) -> FitExplanation:
    """For each window: whether an ``offered`` time lies wholly inside it, else who blocks
    it and the offered times nearest to it."""
    shortest = min((party.duration for party in parties), default=1)
    return FitExplanation(
        windows=tuple(
            _window_explain(
                window,
                parties=parties,
                names=names,
                offered=offered,
                rules=rules,
                now=now,
                shortest=shortest,
            )
            for window in sorted(windows)
        )
    )


# --- Reading the request -------------------------------------------------------------------


def _parties(
    request: SchedulingRequest, engine: dict[str, Interviewer], people: dict[UUID, User]
) -> list[Party]:
    """The people and seats of the request, each with the session length they must fit."""

    def person(pk: UUID, duration: int, session: str = "") -> Party:
        return Party(
            label=people[pk].get_full_name(),
            members=(engine[str(pk)],),
            duration=duration,
            session=session,
        )

    def seat(seat: Seat, duration: int, session: str = "") -> Party:
        members = tuple(engine[str(pk)] for pk in seat.member_ids if str(pk) in engine)
        return Party(
            label=seat.pool_name,
            members=members,
            duration=duration,
            is_seat=True,
            session=session,
        )

    template = request.template
    if template.loop_sessions_count:
        parties = []
        for step in loop_steps(request):
            parties += [person(pk, step.minutes, step.name) for pk in step.fixed_ids]
            parties += [seat(s, step.minutes, step.name) for s in step.seats]
        return parties
    fixed_ids = list(request.interviewers.values_list("pk", flat=True))
    parties = [person(pk, request.duration_minutes) for pk in fixed_ids if pk in people]
    if template.pool_seats_count:
        seats = request_seats(request=request, fixed_ids=set(fixed_ids))
        parties += [seat(s, request.duration_minutes) for s in seats]
    return parties


def request_fit_explain(
    *,
    request: SchedulingRequest,
    windows: Sequence[tuple[datetime, datetime]],
    now: datetime,
) -> FitExplanation:
    """Per candidate window (aware instants): whether a time the candidate would be offered
    lies inside it, else who blocks it and why, and the nearest offered times around it."""
    if not windows:
        return FitExplanation(windows=())
    template = request.template
    users = (
        loop_request_people(request)
        if template.loop_sessions_count
        else request_interviewers(request)
    )
    people = {user.pk: user for user in users}
    rules = request_rules(request=request, interviewers=users)
    horizon_end = now + timedelta(days=rules.horizon_days)
    low = min(start for start, _ in windows)
    high = max(end for _, end in windows)
    seats: list[Seat] = []
    if template.loop_sessions_count:
        seats = [s for step in loop_steps(request) for s in step.seats]
    elif template.pool_seats_count:
        fixed = set(request.interviewers.values_list("pk", flat=True))
        seats = request_seats(request=request, fixed_ids=fixed)
    engine = {
        person.id: person
        for person in interviewers_for(
            users=users, start=low, end=high, caps=seat_caps(seats) if seats else None
        )
    }
    # The offered times a week either side of the windows: the nearest alternatives.
    # (clamped to what can be booked: a window past the horizon gets the last times before it).
    offered = request_times(
        request=request,
        start=max(now, min(low, horizon_end) - timedelta(days=7)),
        end=min(horizon_end, max(high, now) + timedelta(days=7)),
        now=now,
    )
    return windows_explain(
        windows=windows,
        parties=_parties(request, engine, people),
        names={str(pk): user.get_full_name() for pk, user in people.items()},
        offered=offered,
        rules=EngineRules(
            interval=rules.interval,
            min_notice=rules.min_notice,
            grid_tz=rules.grid_tz,
            horizon_end=horizon_end,
        ),
        now=now,
    )
