"""Coordinator scheduling: a recruiter books an interview or a loop for a candidate directly,
picking from the times the candidate would be offered, with no link sent (decision 0032).

Both halves go through the candidate's own path: a request made from the template exactly
as a send makes it (``RequestBatch``, not emailed), then the race-safe booking of that
request (``booking.interview_book``, which books a loop's whole agenda). So the offered
times, the refusals, the invite, the interviewers' events, the emails, reminders and
webhooks are the candidate booking's, and a refusal anywhere undoes both halves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from hireslot.accounts.models import User
from hireslot.availability import Slot
from hireslot.core import clock
from hireslot.recruiting.models import Application
from hireslot.scheduling.loops import request_times
from hireslot.scheduling.models import Interview, RequestKind, SelfScheduleTemplate
from hireslot.scheduling.services.booking import interview_book
from hireslot.scheduling.services.requests import scheduling_request_send
from hireslot.scheduling.slots import request_interviewers, request_rules


@dataclass(frozen=True)
class CoordinatorTimes:
    """The times the candidate would be offered in the range asked for, and what the
    picker needs to show them as the candidate's booker does."""

    slots: list[Slot]
    duration_minutes: int
    # The booking horizon's end: the last moment a time may start, how far the picker looks.
    last_start: datetime


def _timeline_note(actor: User) -> str:
    return f"Scheduled directly by {actor.get_full_name() or actor.email}; no link was sent."


def coordinator_times(
    *,
    application: Application,
    template: SelfScheduleTemplate,
    actor: User,
    start: datetime,
    end: datetime,
    now: datetime,
) -> CoordinatorTimes:
    """What the candidate of ``application`` would be offered by ``template`` in [start, end),
    or the refusal a send would meet (raised).

    Every slot function reads a saved request (its interviewers, pool people, loop
    sessions), so the request is made as a send would make it and rolled back: nothing of
    it outlives this call (decision 0032).
    """
    with transaction.atomic():
        sent = scheduling_request_send(
            application=application,
            template=template,
            sender=actor,
            send_email=False,
            kind=RequestKind.OFFER_TIMES,
            now=now,
        )
        slots = request_times(request=sent.request, start=start, end=end, now=now)
        rules = request_rules(request=sent.request, interviewers=request_interviewers(sent.request))
        result = CoordinatorTimes(
            slots=slots,
            duration_minutes=sent.request.duration_minutes,
            last_start=now + timedelta(days=rules.horizon_days),
        )
        transaction.set_rollback(True)
    return result


def coordinator_schedule(
    *,
    application: Application,
    template: SelfScheduleTemplate,
    start: datetime,
    candidate_time_zone: str,
    actor: User,
    now: datetime | None = None,
) -> Interview:
    """Book ``start`` for the candidate of ``application`` as ``actor``: the request (not
    emailed, its timeline naming ``actor``) and the booking, all or nothing.

    Refusals are the send's (no working hours, a request already waiting, …) and the
    booking's (a time never offered: 400; taken meanwhile: 409). On SQLite the write lock
    is held while the interviewers' calendars are asked about the chosen time, which a
    candidate's booking asks before locking: a recruiter's click is rare enough to afford it.
    """
    now = now or clock.now()
    with transaction.atomic():
        sent = scheduling_request_send(
            application=application,
            template=template,
            sender=actor,
            send_email=False,
            note=_timeline_note(actor),
            kind=RequestKind.OFFER_TIMES,  # the recruiter picks, even when the template asks
            now=now,
        )
        return interview_book(
            request=sent.request,
            start=start,
            candidate_time_zone=candidate_time_zone,
            candidate_language=application.candidate.language,
            actor=actor,
            now=now,
        )
