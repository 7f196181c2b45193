"""Reminders before interviews, on the timing engine of decision 0030.

Each reminder is a row (``Reminder``) written in the booking's own transaction together with
its wake-up: a task row of the database backend due at the reminder's moment (``run_after``).
A wake-up only asks "is anything due?": the row decides. Sending claims the row with one
conditional UPDATE (planned and due -> sent) inside the transaction that queues the email, while
holding the request's lock (the one lock order), so a reschedule or cancel either happens
before (and the claim finds the row moved or cancelled) or after (and finds it sent); two
workers woken for the same row both try the UPDATE and exactly one changes it. A wake-up that
was lost (a task row deleted, a queue emptied by hand) is made up for by the sweep, which runs
every due planned row; a reminder whose moment passed more than ``REMINDER_TOLERANCE`` ago is
skipped and shown as skipped, never sent late.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import F, Q

from hireslot.accounts.models import User
from hireslot.core import clock
from hireslot.core.backoff import backoff_delay
from hireslot.core.leases import lease_length
from hireslot.core.remote import PermanentProviderError
from hireslot.core.work import work_enqueue
from hireslot.messaging.senders import sender_problem
from hireslot.messaging.services import outgoing_email_queue
from hireslot.messaging.text_messages.base import text_messages_enabled
from hireslot.messaging.text_messages.phone_numbers import phone_number_normalize
from hireslot.messaging.text_messages.services import (
    TextMessageNotAllowedError,
    text_consent_of,
    text_message_queue,
)
from hireslot.scheduling.locks import request_locked
from hireslot.scheduling.models import Interview, Reminder, SchedulingRequest
from hireslot.scheduling.reminder_emails import (
    candidate_reminder_email,
    candidate_reminder_text,
    interviewer_reminder_email,
    interviewer_zone,
)

logger = logging.getLogger(__name__)

# A reminder may go this late (a busy worker, a short outage); later it is skipped.
REMINDER_TOLERANCE = timedelta(minutes=15)
# The sweep leaves a just-due row this long to its own wake-up before running it itself.
SWEEP_GRACE = timedelta(minutes=1)
SWEEP_BATCH = 200
MAX_REMINDER_ATTEMPTS = 5
CLAIMED_ELSEWHERE = "claimed elsewhere"

State = Reminder.State


@dataclass(frozen=True)
class _Wanted:
    audience: str
    user_id: UUID | None
    channel: str
    offset_minutes: int


def _candidate_texts(interview: Interview) -> bool:
    """Texts only where the installation sends them, the template asks for them, and the
    candidate agreed (sending asks again: a STOP in between wins)."""
    template = interview.request.template
    candidate = interview.application.candidate
    if not (template.reminder_texts and text_messages_enabled() and candidate.phone):
        return False
    try:
        phone = phone_number_normalize(candidate.phone)
    except Exception:  # not a number we could text: no text reminder
        return False
    return text_consent_of(organization=interview.application.organization, phone=phone) is not None


def _wanted(interview: Interview, interviewers: Sequence[User]) -> list[_Wanted]:
    template = interview.request.template
    offsets = sorted({int(offset) for offset in template.reminder_offsets_minutes}, reverse=True)
    channels = [Reminder.Channel.EMAIL]
    # A loop reminds the candidate once, before its first session (the loop's start); each
    # session still reminds its own interviewers.
    candidate_reminded = interview.loop_id is None or interview.loop_position == 0
    if offsets and candidate_reminded and _candidate_texts(interview):
        channels.append(Reminder.Channel.SMS)
    wanted = [
        _Wanted(Reminder.Audience.CANDIDATE, None, channel, offset)
        for offset in offsets
        for channel in channels
        if candidate_reminded
    ]
    if template.remind_interviewers:
        wanted += [
            _Wanted(Reminder.Audience.INTERVIEWER, user.pk, Reminder.Channel.EMAIL, offset)
            for user in interviewers
            for offset in offsets
        ]
    return wanted


def _key(reminder: Reminder) -> _Wanted:
    return _Wanted(reminder.audience, reminder.user_id, reminder.channel, reminder.offset_minutes)


def _wake_up(interview_id: object, due_at: datetime, now: datetime) -> None:
    """One wake-up per interview at its next moment (one task row per booking, not one per
    reminder); the run that sends at a moment queues the next one."""
    work_enqueue(
        "reminders_wake",
        run_after=due_at if due_at > now else None,
        interview_id=str(interview_id),
    )


def _too_late(due_at: datetime, now: datetime) -> bool:
    return due_at < now - REMINDER_TOLERANCE


def reminders_plan(
    *, interview: Interview, interviewers: Sequence[User], now: datetime | None = None
) -> list[Reminder]:
    """Plan (on booking) or move (on reschedule) the interview's reminders, in the caller's
    transaction, which holds the request's lock. One path for both: planned rows still wanted
    move to the new time, planned rows no longer wanted (an interviewer taken off) are
    cancelled, and wanted ones without a planned row are written (after a reschedule, also
    those already sent for the old time). A moment already past by more than the tolerance
    is written as skipped, so people see why no reminder came."""
    now = now or clock.now()
    # A new booking (sequence 0: never moved nor cancelled) has no reminders yet: no query.
    planned = (
        {_key(row): row for row in interview.reminders.filter(state=State.PLANNED).order_by("pk")}
        if interview.sequence
        else {}
    )
    wanted = _wanted(interview, interviewers)
    changed: list[Reminder] = []
    created: list[Reminder] = []
    for key, row in planned.items():
        if key not in wanted:
            row.state = State.CANCELLED
            row.reason = "No longer on the interview."
            row.save(update_fields=["state", "reason", "updated_at"])
    for key in wanted:
        due_at = interview.start - timedelta(minutes=key.offset_minutes)
        row = planned.get(key) or Reminder(
            organization_id=interview.organization_id,
            interview=interview,
            audience=key.audience,
            user_id=key.user_id,
            channel=key.channel,
            offset_minutes=key.offset_minutes,
        )
        new = row._state.adding
        if not new and row.due_at == due_at and row.interview_start == interview.start:
            continue
        if _too_late(due_at, now):
            if new and interview.sequence:
                continue  # moved: the old time's row (sent or skipped) already tells
            row.state = State.SKIPPED
            row.reason = (
                "Booked after its moment had passed."
                if new
                else "The interview moved; this reminder's moment had already passed."
            )
        row.due_at, row.interview_start = due_at, interview.start
        if new:
            created.append(row)
        else:
            row.save(update_fields=["due_at", "interview_start", "state", "reason", "updated_at"])
        changed.append(row)
    Reminder.objects.bulk_create(created)  # one INSERT
    moments = [row.due_at for row in changed if row.state == State.PLANNED]
    if moments:
        _wake_up(interview.pk, min(moments), now)
    return changed


def reminders_cancel(*, interview: Interview, reason: str) -> int:
    """The interview's planned reminders, cancelled (in the caller's transaction)."""
    return interview.reminders.filter(state=State.PLANNED).update(
        state=State.CANCELLED, reason=reason[:300], updated_at=clock.now()
    )


def reminders_wake(*, interview_id: str, now: datetime | None = None) -> list[str]:
    """A wake-up: send the interview's due reminders (each claimed on its own), then queue
    the wake-up for its next moment. A stale wake-up (the interview moved) finds nothing due
    and queues nothing: the move queued its own."""
    now = now or clock.now()
    due = Reminder.objects.filter(
        interview_id=interview_id, state=State.PLANNED, due_at__lte=now
    ).order_by("due_at", "pk")
    outcomes = [
        reminder_send(reminder_id=str(pk), now=now) for pk in due.values_list("pk", flat=True)
    ]
    # Only a run that did something queues the next wake-up (the others' winner did).
    if any(
        outcome != CLAIMED_ELSEWHERE and not outcome.startswith("already ") for outcome in outcomes
    ):
        upcoming = (
            Reminder.objects.filter(interview_id=interview_id, state=State.PLANNED, due_at__gt=now)
            .order_by("due_at")
            .values_list("due_at", flat=True)
            .first()
        )
        if upcoming is not None:
            _wake_up(interview_id, upcoming, now)
    return outcomes


def reminder_send(*, reminder_id: str, now: datetime | None = None) -> str:
    """Send one reminder if it is due and still planned; safe to run any number of times on
    any number of workers: only the run whose UPDATE claims the row sends. Returns its state
    (or why nothing happened)."""
    now = now or clock.now()
    reminder = Reminder.objects.filter(pk=reminder_id).select_related("interview").first()
    if reminder is None:
        return "gone"
    if reminder.state != State.PLANNED:
        # "sent" is only ever the answer of the run that sent it.
        return f"already {reminder.state}"
    if reminder.due_at > now:
        # The wake-up of a moved reminder's old moment: the new moment has its own.
        return "not yet due"
    try:
        with transaction.atomic():
            return _claimed_send(reminder, now)
    except Exception as error:
        return _failure_record(reminder, now, error)


def _claimed_send(reminder: Reminder, now: datetime) -> str:
    # The request first (the lock order): a reschedule or cancel of this interview runs
    # wholly before or after this send, never in between.
    request = request_locked(SchedulingRequest.objects.filter(pk=reminder.interview.request_id))
    list(request)
    claimed = Reminder.objects.filter(pk=reminder.pk, state=State.PLANNED, due_at__lte=now).update(
        state=State.SENT, sent_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return CLAIMED_ELSEWHERE
    row = Reminder.objects.select_related(
        "interview__request__template",
        "interview__application__candidate",
        "interview__application__organization",
        "interview__application__job",
        "interview__interview_template",
        "user",
    ).get(pk=reminder.pk)
    interview = row.interview
    skip = ""
    if interview.status != Interview.Status.SCHEDULED:
        skip = "The interview was cancelled."
    elif interview.start != row.interview_start:
        skip = "The interview moved; this reminder was for the old time."
    elif _too_late(row.due_at, now):
        minutes = int((now - row.due_at).total_seconds() // 60)
        skip = f"Its moment passed {minutes} minutes ago (no worker was running); not sent late."
        if row.last_error:
            row.state = State.FAILED
    if not skip:
        try:
            row.result_ref = _deliver(row, interview)
        except TextMessageNotAllowedError as error:
            skip = str(error)
    if skip:
        row.state = State.FAILED if row.state == State.FAILED else State.SKIPPED
        row.reason = skip[:300]
        row.sent_at = None
    row.save(update_fields=["state", "reason", "sent_at", "result_ref", "updated_at"])
    return str(row.state)


def _deliver(row: Reminder, interview: Interview) -> str:
    organization = interview.application.organization
    candidate = interview.application.candidate
    if row.channel == Reminder.Channel.SMS:
        text = text_message_queue(
            organization=organization,
            to=phone_number_normalize(candidate.phone),
            body=candidate_reminder_text(interview),
            kind="interview_reminder",
            target=candidate,
        )
        return str(text.pk)
    problem = sender_problem(organization)
    if problem:
        raise PermanentProviderError(problem)
    if row.audience == Reminder.Audience.INTERVIEWER:
        if row.user is None:
            raise PermanentProviderError("The reminder names no interviewer.")
        subject, body = interviewer_reminder_email(interview, zone=interviewer_zone(row.user))
        email = outgoing_email_queue(
            organization=organization,
            to=row.user.email,
            subject=subject,
            body_text=body,
            kind="interview_reminder",
            target=interview,
        )
        return str(email.pk)
    message = candidate_reminder_email(interview)
    email = outgoing_email_queue(
        organization=organization,
        to=candidate.email,
        subject=message.subject,
        body_text=message.text,
        body_html=message.html,
        kind="interview_reminder",
        target=candidate,
    )
    return str(email.pk)


def _failure_record(reminder: Reminder, now: datetime, error: Exception) -> str:
    """Writing the reminder failed (nothing was queued: the transaction rolled back). A
    permanent problem fails it now; anything else is tried again with backoff while its
    moment is within the tolerance (then the claim skips it, showing the last error)."""
    permanent = isinstance(error, PermanentProviderError)
    if not permanent:
        logger.exception("reminder %s could not be written", reminder.pk)
    attempts = reminder.attempts + 1
    final = permanent or attempts >= MAX_REMINDER_ATTEMPTS
    Reminder.objects.filter(pk=reminder.pk, state=State.PLANNED).update(
        attempts=attempts,
        last_error=str(error)[:2000] or type(error).__name__,
        state=State.FAILED if final else State.PLANNED,
        reason=str(error)[:300] if final else "",
        updated_at=now,
    )
    if final:
        return str(State.FAILED)
    work_enqueue(
        "reminder_send",
        run_after=now + backoff_delay(attempts, base_seconds=30, cap_seconds=300),
        reminder_id=str(reminder.pk),
    )
    return "retrying"


def reminders_due_run(*, now: datetime | None = None) -> int:
    """The sweep: interviews with a planned reminder due for longer than the grace whose
    wake-up did not come (lost, or a failed attempt's retry lost) are woken now, which also
    queues their next wake-up. Late ones end skipped. Returns how many interviews."""
    now = now or clock.now()
    stale_retry = now - lease_length()
    interview_ids = list(
        dict.fromkeys(
            Reminder.objects.filter(state=State.PLANNED, due_at__lte=now - SWEEP_GRACE)
            .filter(Q(attempts=0) | Q(updated_at__lte=stale_retry))
            .order_by("due_at")
            .values_list("interview_id", flat=True)[:SWEEP_BATCH]
        )
    )
    for interview_id in interview_ids:
        reminders_wake(interview_id=str(interview_id), now=now)
    return len(interview_ids)
