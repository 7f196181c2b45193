"""The effects ledger: one row per consequence of a booking, carried out by the worker.

Rows are written in the booking's own transaction together with their task (the database task
backend makes that an outbox), so a confirmed booking never loses a consequence. Every
executor is idempotent: calendar events are keyed by the interview's UID and converge on the
interview's current state; database-only effects run in one transaction with their row locked
and marked done, so a second run finds them done. A failing provider never undoes a booking.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils.html import escape

from hireslot.accounts.models import AvailabilitySettings, User
from hireslot.calendars.connections import event_provider_for
from hireslot.calendars.providers import (
    CalendarOwner,
    EventSpec,
    PermanentProviderError,
    TransientProviderError,
)
from hireslot.core import clock
from hireslot.core.backoff import backoff_delay
from hireslot.core.errors import HireSlotError
from hireslot.messaging.invites import InviteSpec, invite_ics
from hireslot.messaging.merge_fields import merge_template_render
from hireslot.messaging.services import outgoing_email_queue
from hireslot.recruiting.models import NotificationPreference, TaskTemplate, WorkflowStage
from hireslot.recruiting.services import application_stage_move, notification_create, task_create
from hireslot.scheduling.models import Effect, Interview, WorkflowAction
from hireslot.scheduling.services.requests import merge_values_for, scheduling_link

logger = logging.getLogger(__name__)

MAX_EFFECT_ATTEMPTS = 8


def _actor_id(actor: User | None) -> str | None:
    return str(actor.pk) if actor is not None else None


def _notification_recipients(interview: Interview) -> list[User]:
    request = interview.request
    template = request.template
    people: dict[object, User] = {}
    if template.notify_sender and request.sender is not None:
        people[request.sender.pk] = request.sender
    manager = interview.application.job.hiring_manager
    if template.notify_hiring_manager and manager is not None:
        people[manager.pk] = manager
    if template.notify_interviewers:
        people.update({user.pk: user for user in request.interviewers.all()})
    people.update({user.pk: user for user in template.notify_users.all()})
    return sorted(people.values(), key=lambda user: str(user.pk))


def effects_write(
    *, interview: Interview, action: Effect.Action, actor: User | None
) -> list[Effect]:
    """Write (and enqueue) the effects of booking, rescheduling or cancelling ``interview``."""
    from hireslot.scheduling.tasks import effect_execute

    request = interview.request
    template = request.template
    base = {"actor_id": _actor_id(actor), "sequence": interview.sequence}
    snapshot = {
        **base,
        "start": interview.start.isoformat(),
        "end": interview.end.isoformat(),
        "method": "CANCEL" if action == Effect.Action.CANCEL else "REQUEST",
    }

    def effect(kind: Effect.Kind, user: User | None = None, **payload: object) -> Effect:
        return Effect(
            organization_id=interview.organization_id,
            interview=interview,
            kind=kind,
            action=action,
            user=user,
            payload={**base, **payload},
        )

    effects = [effect(Effect.Kind.CALENDAR_EVENT, user) for user in request.interviewers.all()]
    effects.append(
        Effect(
            organization_id=interview.organization_id,
            interview=interview,
            kind=Effect.Kind.CANDIDATE_INVITE,
            action=action,
            payload=snapshot,
        )
    )
    if action == Effect.Action.BOOK:
        if template.task_template_id is not None:
            effects.append(effect(Effect.Kind.TASK))
        if template.workflow_action != WorkflowAction.NONE:
            effects.append(effect(Effect.Kind.STAGE_MOVE))
    effects.extend(
        effect(Effect.Kind.NOTIFICATION, user) for user in _notification_recipients(interview)
    )
    Effect.objects.bulk_create(effects)
    for row in effects:
        effect_execute.enqueue(effect_id=str(row.pk))
    return effects


# --- carrying effects out --------------------------------------------------------------------


def _event_description(interview: Interview) -> str:
    application = interview.application
    candidate = application.candidate
    template_link = (
        f"{settings.HIRESLOT_BASE_URL}/templates/interviews/{interview.interview_template_id}/"
    )
    lines = [
        f"Candidate: {candidate.name} <{candidate.email}>",
        f"Job: {application.job.title}",
        f"Interview template: {template_link}",
    ]
    if interview.conference_url:
        lines.append(f"Join: {interview.conference_url}")
    if interview.conference_details:
        lines.append(interview.conference_details)
    lines.append(f"Reschedule or cancel: {settings.HIRESLOT_BASE_URL}/interviews/{interview.pk}/")
    return "\n".join(lines)


def _calendar_sync(effect: Effect) -> str:
    """Make the interviewer's calendar match the interview as it is now (so effects that run
    late or twice still converge)."""
    interview = effect.interview
    user = effect.user
    if user is None:
        raise PermanentProviderError("The calendar effect names no interviewer.")
    zone = (
        AvailabilitySettings.objects.filter(user=user).values_list("time_zone", flat=True).first()
        or "UTC"
    )
    owner = CalendarOwner(user_id=user.pk, email=user.email, time_zone=zone)
    provider = event_provider_for(owner)
    holds = interview.bookings.filter(interviewer=user, active=True).exists()
    if interview.status == Interview.Status.SCHEDULED and holds:
        candidate = interview.application.candidate
        ref = provider.event_upsert(
            owner=owner,
            spec=EventSpec(
                uid=interview.uid,
                sequence=interview.sequence,
                title=f"{interview.interview_template.name}: {candidate.name}",
                description=_event_description(interview),
                location=interview.conference_url or interview.conference_details,
                start=interview.start,
                end=interview.end,
            ),
        )
        return f"{ref.provider}:{ref.event_id}"
    provider.event_delete(owner=owner, uid=interview.uid)
    return "removed"


def _invite_send(effect: Effect) -> str:
    interview = effect.interview
    request = interview.request
    organization = interview.application.organization
    candidate = interview.application.candidate
    payload = effect.payload
    start, end = datetime.fromisoformat(payload["start"]), datetime.fromisoformat(payload["end"])
    cancel = payload["method"] == "CANCEL"
    link = scheduling_link(request)
    name = interview.interview_template.name
    zone = interview.candidate_time_zone
    when = _when_at(start, zone)
    join = interview.conference_url
    lines = [
        f"Hi {candidate.first_name},",
        "",
        (
            f"Your {name} with {organization.name} on {when} has been cancelled."
            if cancel
            else f"Your {name} with {organization.name} is confirmed for {when}."
        ),
    ]
    if not cancel:
        lines += ["", f"Join: {join}" if join else "", interview.conference_details]
        lines += ["", f"Need another time? Reschedule or cancel here: {link}"]
    text = "\n".join(line for line in lines if line is not None).strip() + "\n"
    html = "".join(f"<p>{escape(part)}</p>" for part in text.split("\n\n"))
    description = "\n".join(
        part
        for part in (
            f"{name} for {interview.application.job.title} at {organization.name}",
            f"Join: {join}" if join else "",
            interview.conference_details,
            f"Reschedule or cancel: {link}",
        )
        if part
    )
    ics = invite_ics(
        InviteSpec(
            uid=interview.uid,
            sequence=int(payload["sequence"]),
            method="CANCEL" if cancel else "REQUEST",
            summary=f"{name} with {organization.name}",
            description=description,
            location=join or interview.conference_details,
            start=start,
            end=end,
            stamp=clock.now(),
            organizer_name=organization.scheduling_sender_name or organization.name,
            organizer_email=organization.scheduling_sender_email or "hireslot@localhost",
            attendee_name=candidate.name,
            attendee_email=candidate.email,
            url=link,
        )
    )
    subject = (
        f"Cancelled: {name} with {organization.name}"
        if cancel
        else f"{'Updated' if effect.action == Effect.Action.RESCHEDULE else 'Confirmed'}: "
        f"{name} with {organization.name}, {when}"
    )
    email = outgoing_email_queue(
        organization=organization,
        to=candidate.email,
        subject=subject,
        body_text=text,
        body_html=html,
        calendar_ics=ics,
        calendar_method="CANCEL" if cancel else "REQUEST",
        kind="interview_invite",
        candidate=candidate,
    )
    return str(email.pk)


def _when_at(start: datetime, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return f"{start.astimezone(ZoneInfo(zone)):%A %d %B %Y at %H:%M} ({zone.replace('_', ' ')})"


def _actor(effect: Effect) -> User | None:
    actor_id = effect.payload.get("actor_id")
    return User.objects.filter(pk=actor_id).first() if actor_id else None


def _task_create(effect: Effect) -> str:
    interview = effect.interview
    request = interview.request
    template = request.template.task_template
    if template is None:
        return "no task template"
    application = interview.application
    values = merge_values_for(request=request, application=application, sender=request.sender)
    rule = template.assignee_rule
    assignee = {
        TaskTemplate.AssigneeRule.SENDER: request.sender,
        TaskTemplate.AssigneeRule.HIRING_MANAGER: application.job.hiring_manager,
        TaskTemplate.AssigneeRule.SPECIFIC_USER: template.assignee,
    }.get(TaskTemplate.AssigneeRule(rule))
    task = task_create(
        organization=application.organization,
        title=merge_template_render(template.title, values).strip()[:200],
        description=merge_template_render(template.description, values),
        assignee=assignee or request.sender,
        due_at=effect.created_at + timedelta(days=template.due_offset_days),
        application=application,
    )
    return str(task.pk)


def _stage_move(effect: Effect) -> str:
    interview = effect.interview
    application = interview.application
    template = interview.request.template
    stages = WorkflowStage.objects.filter(job_id=application.job_id).order_by("position")
    if template.workflow_action == WorkflowAction.NAMED_STAGE:
        target = stages.filter(name__iexact=template.move_to_stage_name).first()
        if target is None:
            raise PermanentProviderError(
                f"{application.job.title} has no stage named “{template.move_to_stage_name}”."
            )
    else:
        current = application.current_stage
        target = stages.filter(position__gt=current.position).first()
        if target is None:
            return "already at the last stage"
    application_stage_move(application=application, to_stage=target, actor=_actor(effect))
    return str(target.pk)


def _notify(effect: Effect) -> str:
    interview = effect.interview
    recipient = effect.user
    if recipient is None:
        raise PermanentProviderError("The notification names no recipient.")
    candidate = interview.application.candidate
    name = interview.interview_template.name
    zone = (
        AvailabilitySettings.objects.filter(user=recipient)
        .values_list("time_zone", flat=True)
        .first()
        or "UTC"
    )
    when = _when_at(interview.start, zone)
    verb = {
        Effect.Action.BOOK: f"{candidate.name} booked a {name} for {when}",
        Effect.Action.RESCHEDULE: f"{candidate.name}'s {name} moved to {when}",
        Effect.Action.CANCEL: f"{candidate.name}'s {name} on {when} was cancelled",
    }[Effect.Action(effect.action)]
    organization = interview.application.organization
    notification = notification_create(
        organization=organization, recipient=recipient, verb=verb[:200], target=interview
    )
    preference = NotificationPreference.objects.filter(user=recipient).first()
    wants_email = (
        preference is None
        or {
            Effect.Action.BOOK: preference.email_on_booked,
            Effect.Action.RESCHEDULE: preference.email_on_rescheduled,
            Effect.Action.CANCEL: preference.email_on_cancelled,
        }[Effect.Action(effect.action)]
    )
    if not wants_email:
        return str(notification.pk)
    outgoing_email_queue(
        organization=organization,
        to=recipient.email,
        subject=verb,
        body_text=f"{verb}.\n\n{settings.HIRESLOT_BASE_URL}/interviews/{interview.pk}/\n",
        kind="notification",
    )
    return str(notification.pk)


_IN_DATABASE: dict[str, Callable[[Effect], str]] = {
    Effect.Kind.CANDIDATE_INVITE: _invite_send,
    Effect.Kind.TASK: _task_create,
    Effect.Kind.STAGE_MOVE: _stage_move,
    Effect.Kind.NOTIFICATION: _notify,
}


def _load(effect_id: str) -> Effect | None:
    return (
        Effect.objects.select_related(
            "user",
            "interview__interview_template",
            "interview__request__template__task_template",
            "interview__request__sender",
            "interview__application__candidate",
            "interview__application__job__hiring_manager",
            "interview__application__current_stage",
            "interview__application__organization",
        )
        .filter(pk=effect_id)
        .first()
    )


def effect_run(*, effect_id: str) -> str:
    """Carry out one effect. Safe to call twice, late, or on two workers at once."""
    effect = _load(effect_id)
    if effect is None or effect.state in (Effect.State.DONE, Effect.State.FAILED):
        return effect.state if effect is not None else "missing"
    try:
        if effect.kind == Effect.Kind.CALENDAR_EVENT:
            # Calendar providers may talk to the network: never inside a transaction.
            result = _calendar_sync(effect)
            with transaction.atomic():
                _done(Effect.objects.select_for_update().get(pk=effect.pk), result)
        else:
            with transaction.atomic():
                locked = Effect.objects.select_for_update().get(pk=effect.pk)
                if locked.state in (Effect.State.DONE, Effect.State.FAILED):
                    return locked.state
                effect.state = locked.state
                _done(locked, _IN_DATABASE[effect.kind](effect))
    except (PermanentProviderError, HireSlotError) as error:
        return _failure(effect.pk, str(error), transient=False)
    except TransientProviderError as error:
        return _failure(effect.pk, str(error), transient=True)
    except Exception as error:
        # Unknown trouble is retried (it may be a database hiccup) and, if it persists, shown
        # as failed with a retry action, never lost.
        logger.exception("effect %s failed", effect.pk)
        return _failure(effect.pk, f"{type(error).__name__}: {error}", transient=True)
    return Effect.State.DONE


def _done(effect: Effect, result: str) -> None:
    effect.state = Effect.State.DONE
    effect.attempts += 1
    effect.done_at = clock.now()
    effect.result_ref = result[:255]
    effect.last_error = ""
    effect.next_attempt_at = None
    effect.save(
        update_fields=[
            "state",
            "attempts",
            "done_at",
            "result_ref",
            "last_error",
            "next_attempt_at",
            "updated_at",
        ]
    )


def _failure(effect_id: UUID, message: str, *, transient: bool) -> str:
    from hireslot.scheduling.tasks import effect_execute

    with transaction.atomic():
        effect = Effect.objects.select_for_update().get(pk=effect_id)
        if effect.state == Effect.State.DONE:
            return effect.state
        effect.attempts += 1
        effect.last_error = message[:2000]
        if transient and effect.attempts < MAX_EFFECT_ATTEMPTS:
            effect.state = Effect.State.RETRYING
            effect.next_attempt_at = clock.now() + backoff_delay(effect.attempts)
            effect_execute.using(run_after=effect.next_attempt_at).enqueue(effect_id=str(effect.pk))
        else:
            effect.state = Effect.State.FAILED
            effect.next_attempt_at = None
        effect.save(
            update_fields=["state", "attempts", "last_error", "next_attempt_at", "updated_at"]
        )
        return effect.state


@transaction.atomic
def effect_retry(*, effect: Effect) -> Effect:
    """A person's "Retry" on a failed effect: queue it again now."""
    from hireslot.scheduling.tasks import effect_execute

    locked = Effect.objects.select_for_update().get(pk=effect.pk)
    if locked.state != Effect.State.FAILED:
        raise HireSlotError("Only a failed step can be retried.")
    locked.state = Effect.State.PENDING
    locked.next_attempt_at = None
    locked.save(update_fields=["state", "next_attempt_at", "updated_at"])
    effect_execute.enqueue(effect_id=str(locked.pk))
    return locked
