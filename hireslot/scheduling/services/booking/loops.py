"""Booking a whole interview loop: every session or none.

The request and everyone the loop may involve (every session's people and pool members) are
locked in the one lock order (``scheduling.locks``) before any session is checked; the whole
loop is then checked again against fresh busy data (the booking's own reads, under the
locks), after the fixed people's connected calendars were asked about each session's window
(outside the transaction, as for a single interview). Every session becomes its own
``Interview`` with its own bookings and effects, grouped under one ``InterviewLoop``; any
refusal raised on the way rolls the whole transaction back, so no half-booked loop remains.
Moving and cancelling a loop: ``loop_changes``; swapping one seat: ``loop_swap``.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from hireslot.accounts.models import User
from hireslot.core import clock
from hireslot.core.languages import language_normalize
from hireslot.messaging.webhooks import INTERVIEW_SCHEDULED, webhook_event_wanted
from hireslot.scheduling.loops import loop_steps
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewLoop,
    LoopConference,
    RequestEvent,
    SchedulingRequest,
)
from hireslot.scheduling.services.booking.common import (
    interview_change_announce,
    interviewers_hold,
    meeting_attach,
    request_change_record,
    request_lock,
    request_open_check,
    zone_check,
)
from hireslot.scheduling.services.booking.loop_sessions import (
    loop_everyone,
    loop_live_check,
    loop_seats_draw,
    loop_slot_check,
)
from hireslot.scheduling.services.nudges import nudges_cancel


def loop_book(
    *,
    request: SchedulingRequest,
    start: datetime,
    candidate_time_zone: str,
    candidate_language: str = "",
    actor: User | None = None,
    now: datetime | None = None,
) -> Interview:
    """Book the whole loop starting at ``start``: every session, or none. Answers the first
    session (the request's live interview); ``interview.loop`` is the loop."""
    loop_live_check(request=request, start=start)
    with transaction.atomic():
        now = now or clock.now()
        zone_check(candidate_time_zone)
        locked, people = request_lock(request)
        request_open_check(request=locked, now=now)
        steps = loop_steps(locked)
        choice = loop_slot_check(request=locked, people=people, steps=steps, start=start, now=now)
        holders, records = loop_seats_draw(choice=choice, people=people, start=start)
        template = locked.template
        loop = InterviewLoop.objects.create(
            organization_id=locked.organization_id,
            request=locked,
            application=locked.application,
            name=template.name,
            start=choice.start,
            end=choice.end,
            calendar_mode=template.loop_calendar,
            candidate_time_zone=candidate_time_zone,
        )
        candidate = locked.application.candidate.name
        shared = template.loop_conference == LoopConference.SHARED
        interviews: list[Interview] = []
        for session, held, record in zip(choice.sessions, holders, records, strict=True):
            interview = Interview(
                organization_id=locked.organization_id,
                request=locked,
                application=locked.application,
                interview_template=session.step.interview_template,
                start=session.start,
                end=session.end,
                candidate_time_zone=candidate_time_zone,
                candidate_language=language_normalize(candidate_language),
                conference_kind=session.step.conferencing,
                assignment=record,
                loop=loop,
                loop_position=session.step.position,
            )
            first = interviews[0] if interviews else None
            if shared and first is not None and first.conference_kind == interview.conference_kind:
                # One link for the whole loop: the first session's, when it needs no network.
                interview.conference_url = first.conference_url
                interview.conference_id = first.conference_id
                interview.conference_details = first.conference_details
            else:
                meeting_attach(
                    interview=interview,
                    request=locked,
                    holders=held,
                    key=str(loop.pk) if shared else str(interview.pk),
                    topic=f"{loop.name if shared else session.step.name}: {candidate}",
                )
            interview.save(force_insert=True)
            interviewers_hold(interview, held)
            interviews.append(interview)
        request_change_record(
            request=locked,
            kind=RequestEvent.Kind.SCHEDULED,
            actor=actor,
            by_candidate=actor is None,
            detail=f"{loop.name}: {start:%Y-%m-%d %H:%M} UTC, {len(interviews)} sessions",
        )
        everyone = loop_everyone(holders)
        wanted = webhook_event_wanted(
            organization=locked.organization, event_type=INTERVIEW_SCHEDULED
        )
        for interview, held in zip(interviews, holders, strict=True):
            interview_change_announce(
                interview=interview,
                action=Effect.Action.BOOK,
                actor=actor,
                holders=held,
                now=now,
                loop_people=everyone,
                wanted=wanted,
            )
        nudges_cancel(request=locked, reason="The candidate booked.")  # issue 17
        return interviews[0]
