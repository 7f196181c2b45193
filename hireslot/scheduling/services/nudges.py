"""Nudges: emails to a candidate who has not booked yet, on the timing engine of decision
0030 (a row per nudge, a wake-up task due at its moment, a conditional UPDATE that claims it
under the request's lock, and the sweep for lost wake-ups; see ``services.reminders``).

A nudge is planned when the request is emailed, one per day in the template's
``nudge_after_days`` that falls before the link expires. Booking or cancelling the request
cancels the planned ones; sending checks again, under the claim, that the request still
waits, has not expired, and was not opened within the template's
``nudge_unless_opened_hours`` — and skips it, saying why, when any of that fails.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q

from hireslot.accounts.models import User
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.leases import lease_length
from hireslot.core.remote import PermanentProviderError
from hireslot.core.work import work_enqueue
from hireslot.messaging.email_templates import EmailText, email_text_for
from hireslot.messaging.merge_fields import merge_template_render
from hireslot.messaging.models import EmailTemplate
from hireslot.messaging.senders import sender_problem
from hireslot.messaging.services import outgoing_email_queue
from hireslot.scheduling.candidate_emails import request_email_html
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.locks import request_locked
from hireslot.scheduling.merge_values import merge_values_for
from hireslot.scheduling.models import Nudge, RequestKind, SchedulingRequest
from hireslot.scheduling.services.starter import (
    AVAILABILITY_NUDGE_BODY,
    AVAILABILITY_NUDGE_SUBJECT,
    NUDGE_NAME,
)

logger = logging.getLogger(__name__)

# A nudge may go this late (a worker was down); later it is skipped: a nudge about a link
# sent "yesterday" that arrives days later reads wrong.
NUDGE_TOLERANCE = timedelta(hours=6)
SWEEP_GRACE = timedelta(minutes=1)
SWEEP_BATCH = 200

State = Nudge.State


def nudges_plan(*, request: SchedulingRequest, now: datetime) -> list[Nudge]:
    """The request's nudges, in the caller's transaction (the send's), with their wake-ups."""
    days = sorted({int(day) for day in request.template.nudge_after_days})
    nudges = [
        Nudge(
            organization_id=request.organization_id,
            request=request,
            after_days=day,
            due_at=now + timedelta(days=day),
        )
        for day in days
        if now + timedelta(days=day) < request.expires_at
    ]
    Nudge.objects.bulk_create(nudges)
    if nudges:
        # One wake-up, for the first: the run that sends a nudge queues the next one's.
        work_enqueue("nudge_send", run_after=nudges[0].due_at, nudge_id=str(nudges[0].pk))
    return nudges


def nudges_cancel(*, request: SchedulingRequest, reason: str) -> int:
    """The request's planned nudges, cancelled (in the caller's transaction)."""
    return Nudge.objects.filter(request_id=request.pk, state=State.PLANNED).update(
        state=State.CANCELLED, reason=reason[:300], updated_at=clock.now()
    )


def nudge_cancel(*, nudge: Nudge, actor: User | None) -> Nudge:
    """Cancel one planned nudge by hand; a nudge no longer planned cannot be."""
    who = actor.get_full_name() if actor is not None else "someone"
    changed = Nudge.objects.filter(pk=nudge.pk, state=State.PLANNED).update(
        state=State.CANCELLED, reason=f"Cancelled by {who}."[:300], updated_at=clock.now()
    )
    if not changed:
        raise HireSlotError("Only a planned nudge can be cancelled.")
    nudge.refresh_from_db()
    return nudge


def nudge_send(*, nudge_id: str, now: datetime | None = None) -> str:
    """Send one nudge if it is due and still planned; any number of runs send it once."""
    now = now or clock.now()
    nudge = Nudge.objects.filter(pk=nudge_id).first()
    if nudge is None:
        return "gone"
    if nudge.state != State.PLANNED:
        # "sent" is only ever the answer of the run that sent it.
        return f"already {nudge.state}"
    if nudge.due_at > now:
        return "not yet due"
    try:
        with transaction.atomic():
            return _claimed_send(nudge, now)
    except Exception as error:
        logger.warning("nudge %s failed: %s", nudge.pk, error)
        Nudge.objects.filter(pk=nudge.pk, state=State.PLANNED).update(
            state=State.FAILED,
            attempts=F("attempts") + 1,
            last_error=str(error)[:2000] or type(error).__name__,
            reason=str(error)[:300],
            updated_at=now,
        )
        return str(State.FAILED)


def _skip_reason(request: SchedulingRequest, nudge: Nudge, now: datetime) -> str:
    if request.status in SchedulingRequest.BOOKED:
        return "The candidate booked."
    if request.status not in SchedulingRequest.WAITING:
        return f"The request is {request.get_status_display().lower()}."
    if request.expires_at <= now:
        return "The link expired."
    window = timedelta(hours=request.template.nudge_unless_opened_hours)
    if request.opened_at is not None and request.opened_at > now - window:
        return "The candidate opened the link recently."
    if nudge.due_at < now - NUDGE_TOLERANCE:
        return "Its moment passed long ago (no worker was running); not sent late."
    if not request.application.candidate.email:
        return "The candidate has no email address."
    return ""


def _claimed_send(nudge: Nudge, now: datetime) -> str:
    request = (
        request_locked(SchedulingRequest.objects.filter(pk=nudge.request_id))
        .select_related(
            "organization",
            "sender",
            "template__interview_template",
            "template__nudge_email_template",
            "application__candidate",
            "application__job",
        )
        .get()
    )
    claimed = Nudge.objects.filter(pk=nudge.pk, state=State.PLANNED, due_at__lte=now).update(
        state=State.SENT, sent_at=now, attempts=F("attempts") + 1, updated_at=now
    )
    if not claimed:
        return "claimed elsewhere"
    skip = _skip_reason(request, nudge, now)
    if skip:
        Nudge.objects.filter(pk=nudge.pk).update(
            state=State.SKIPPED, reason=skip, sent_at=None, updated_at=now
        )
        _next_wake_up(nudge, now)
        return str(State.SKIPPED)
    email_id = _nudge_email(request)
    Nudge.objects.filter(pk=nudge.pk).update(result_ref=email_id)
    _next_wake_up(nudge, now)
    return str(State.SENT)


def _next_wake_up(nudge: Nudge, now: datetime) -> None:
    """The claimer of a nudge queues the wake-up of the request's next one (in its
    transaction); a lost one is made up by the sweep."""
    following = (
        Nudge.objects.filter(request_id=nudge.request_id, state=State.PLANNED, due_at__gt=now)
        .order_by("due_at")
        .first()
    )
    if following is not None:
        work_enqueue("nudge_send", run_after=following.due_at, nudge_id=str(following.pk))


def nudge_template_of(request: SchedulingRequest) -> EmailTemplate:
    template = request.template.nudge_email_template or (
        EmailTemplate.objects.filter(
            organization_id=request.organization_id, name=NUDGE_NAME
        ).first()
    )
    if template is None:
        raise PermanentProviderError(
            f"No nudge email: the template names none and there is no “{NUDGE_NAME}” "
            "email template."
        )
    return template


def _nudge_email(request: SchedulingRequest) -> str:
    organization = request.organization
    problem = sender_problem(organization)
    if problem:
        raise PermanentProviderError(problem)
    candidate = request.application.candidate
    values = merge_values_for(
        request=request, application=request.application, sender=request.sender
    )
    if request.kind == RequestKind.ASK_AVAILABILITY and not request.template.nudge_email_template:
        # issue 16: the "Nudge" starter asks to pick a time; this link asks for availability.
        text = EmailText(subject=AVAILABILITY_NUDGE_SUBJECT, body=AVAILABILITY_NUDGE_BODY)
    else:
        text = email_text_for(template=nudge_template_of(request), language=candidate.language)
    body_text = merge_template_render(text.body, values)
    email = outgoing_email_queue(
        organization=organization,
        to=candidate.email,
        subject=merge_template_render(text.subject, values).strip(),
        body_text=body_text,
        body_html=request_email_html(
            organization=organization,
            candidate=candidate,
            body=body_text,
            link=scheduling_link(request),
        ),
        kind="scheduling_nudge",
        target=candidate,
    )
    return str(email.pk)


def nudges_due_run(*, now: datetime | None = None) -> int:
    """The sweep: planned nudges due whose wake-up did not come, run now."""
    now = now or clock.now()
    due = list(
        Nudge.objects.filter(state=State.PLANNED, due_at__lte=now - SWEEP_GRACE)
        .filter(Q(attempts=0) | Q(updated_at__lte=now - lease_length()))
        .order_by("due_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in due:
        nudge_send(nudge_id=str(pk), now=now)
    return len(due)
