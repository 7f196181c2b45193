"""A recruiter swaps who holds one pool seat of a booked loop's session; the loop's times do
not change (locks and checks as for booking it, ``loops``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.models import User
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.scheduling.errors import RequestClosedError, SlotTakenError
from hireslot.scheduling.loops import loop_steps, request_loop_slots
from hireslot.scheduling.models import Effect, Interview
from hireslot.scheduling.services.booking.common import (
    cutoff_check,
    interview_change_announce,
    interviewers_hold,
    request_lock,
)
from hireslot.scheduling.services.booking.loop_sessions import (
    loop_everyone,
    loop_live_sessions,
    sessions_holders,
)


@transaction.atomic
def loop_session_swap(
    *, interview: Interview, user: User, actor: User | None, now: datetime | None = None
) -> Interview:
    """A recruiter gives one session's pool seat to ``user``, another active member of that
    seat's pool who is free then (as the engine sees them: hours, busy time, caps) and holds
    no other session of the loop. The session's events move from the person drawn before to
    ``user``; the loop's times do not change."""
    now = now or clock.now()
    locked, people = request_lock(interview.request)
    loop, sessions = loop_live_sessions(interview=interview, locked=locked)
    live = next((s for s in sessions if s.pk == interview.pk), None)
    if live is None:
        raise RequestClosedError(gettext("This interview was cancelled."))
    cutoff_check(live, locked, now, by_candidate=False)
    steps = loop_steps(locked)
    step = steps[live.loop_position] if live.loop_position < len(steps) else None
    entry_index = next(
        (
            index
            for index, entry in enumerate(live.assignment)
            if step is not None
            and index < len(step.seats)
            and user.pk in step.seats[index].member_ids
        ),
        None,
    )
    if step is None or entry_index is None:
        raise HireSlotError(f"{user.get_full_name()} is not in a pool this session draws from.")
    holders = sessions_holders(sessions=sessions, people=people)
    if any(user in held for held in holders):
        raise HireSlotError(f"{user.get_full_name()} already interviews in this loop.")
    loaded = {person.pk: person for person in people}
    if user.pk not in loaded:
        raise HireSlotError(f"{user.get_full_name()} is not in a pool this session draws from.")
    free = request_loop_slots(
        request=locked,
        start=loop.start,
        end=loop.start + timedelta(minutes=1),
        now=min(now, loop.start),
        exclude_loop_id=loop.pk,
        interviewers=people,
        steps=steps,
    )
    seat_free = [
        choice.sessions[live.loop_position].seats[entry_index]
        for choice in free
        if choice.start == loop.start
    ]
    if not seat_free or str(user.pk) not in seat_free[0]:
        raise SlotTakenError(
            gettext("%(name)s is not free then (busy, outside their hours or at a cap).")
            % {"name": user.get_full_name()}
        )
    entry = live.assignment[entry_index]
    before = loaded.get(UUID(entry["user_id"]))
    live.assignment = [
        *live.assignment[:entry_index],
        {
            **entry,
            "user_id": str(user.pk),
            "name": user.get_full_name() or user.email,
            "reason": f"swapped in by {actor.get_full_name() if actor else 'the API'}",
        },
        *live.assignment[entry_index + 1 :],
    ]
    live.sequence += 1
    live.save(update_fields=["assignment", "sequence", "updated_at"])
    # The candidate's one invite names the people too: its next version is a new one.
    loop.sequence += 1
    loop.save(update_fields=["sequence", "updated_at"])
    live.bookings.filter(active=True).update(active=False)
    held = [person for person in holders[sessions.index(live)] if person != before] + [user]
    interviewers_hold(live, held)
    released = [before] if before is not None else []
    availability_generation_bump(user_ids=[p.pk for p in released])
    interview_change_announce(
        interview=live,
        action=Effect.Action.RESCHEDULE,
        actor=actor,
        holders=held,
        # The new person's reminders, the old one's cancelled (issue 17), timed by the clock.
        now=None,
        released=released,
        loop_people=loop_everyone(holders),
        loop_invite=True,
        previous=(live.start, live.end),
    )
    return live
