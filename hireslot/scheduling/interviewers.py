"""Who interviews for a self-schedule template sent to one candidate.

Chosen when a request is sent and fixed on it from then on (``SchedulingRequest.interviewers``);
``scheduling.slots.request_interviewers`` reads them back for slot finding and booking.
"""

from __future__ import annotations

from hireslot.accounts.models import User
from hireslot.recruiting.models import Application
from hireslot.scheduling.loops import loop_fixed_people
from hireslot.scheduling.models import SelfScheduleTemplate


def template_interviewers(
    *, template: SelfScheduleTemplate, application: Application, sender: User | None
) -> list[User]:
    """The template's people, plus the job's hiring manager when chosen; the sender when
    that leaves nobody and the template has no pool seat (so the starter template works on
    day one). In id order. Pool seats are filled at booking (``scheduling.assignment``).
    A loop template's: every session's people (``loops.loop_fixed_people``)."""
    if template.loop_sessions_count:
        return loop_fixed_people(template, application.job.hiring_manager)
    people = {user.pk: user for user in template.interviewers.all()}
    manager = application.job.hiring_manager
    if template.include_hiring_manager and manager is not None:
        people.setdefault(manager.pk, manager)
    if not people and sender is not None and not template.pool_seats_count:
        people[sender.pk] = sender
    return sorted(people.values(), key=lambda user: str(user.pk))
