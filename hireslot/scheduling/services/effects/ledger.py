"""Writing effect rows and running them: claims, retries with backoff, failures, retry."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta
from uuid import UUID

from django.db import transaction
from django.db.models import F, Q

from hireslot.accounts.models import User
from hireslot.conferencing.providers import ConferencingKind
from hireslot.core import clock
from hireslot.core.backoff import backoff_delay
from hireslot.core.errors import HireSlotError
from hireslot.core.leases import lease_expiry
from hireslot.core.queries import row_or_none
from hireslot.core.remote import PermanentProviderError, TransientProviderError
from hireslot.core.work import work_enqueue
from hireslot.scheduling.conference import NETWORK_KINDS
from hireslot.scheduling.locks import effects_locked
from hireslot.scheduling.models import (
    Effect,
    Interview,
    LoopCalendar,
    LoopConference,
    WorkflowAction,
)
from hireslot.scheduling.services.effects.remote import (
    LinkPendingError,
    calendar_sync,
    conference_sync,
    link_host_keep,
    loop_meeting_lead_id,
)
from hireslot.scheduling.services.effects.steps import IN_DATABASE

logger = logging.getLogger(__name__)

MAX_EFFECT_ATTEMPTS = 8


def _actor_id(actor: User | None) -> str | None:
    return str(actor.pk) if actor is not None else None


def _notification_recipients(interview: Interview, interviewers: Sequence[User]) -> list[User]:
    request = interview.request
    template = request.template
    people: dict[object, User] = {}
    if template.notify_sender and request.sender is not None:
        people[request.sender.pk] = request.sender
    manager = interview.application.job.hiring_manager
    if template.notify_hiring_manager and manager is not None:
        people[manager.pk] = manager
    if template.notify_interviewers:
        people.update({user.pk: user for user in interviewers})
    # A booking's locked request knows whether the template names anyone (no query if not).
    if getattr(request, "notifies_others", True):
        people.update({user.pk: user for user in template.notify_users.all()})
    return sorted(people.values(), key=lambda user: str(user.pk))


def effects_write(
    *,
    interview: Interview,
    action: Effect.Action,
    actor: User | None,
    interviewers: Sequence[User] | None = None,
    released: Sequence[User] = (),
    loop_people: Sequence[User] = (),
    note: str = "",
    loop_invite: bool = False,
) -> list[Effect]:
    """Write (and enqueue) the effects of booking, rescheduling or cancelling ``interview``,
    in two statements: the effect rows, and one task that carries them out in turn.

    One task rather than one per effect: a worker's claim and bookkeeping per task cost
    about as much as a database effect itself. A step that fails or waits is retried on its
    own task and does not hold the others up.

    ``interviewers``: the request's, in id order, when the caller has them already.
    ``released``: people a reschedule took off the interview (a pool seat drawn again): only
    their calendar event is synced, which removes it, as they no longer hold the interview.

    A loop's session (``interview.loop``, decision 0025) writes its own calendar events and
    task; the loop's first session alone writes what concerns the loop as a whole: the stage
    move, the notifications (to ``loop_people``: everyone in the loop) and, when the
    candidate's calendar shows the loop as one event, the candidate's one invite (the loop's
    UID and SEQUENCE, its agenda in the description). ``loop_invite``: a change to a later
    session that this one event shows (a swapped seat) writes that invite too, on the first
    session, with the loop's new SEQUENCE.
    """

    request = interview.request
    template = request.template
    base = {"actor_id": _actor_id(actor), "sequence": interview.sequence}
    snapshot = {
        **base,
        "start": interview.start.isoformat(),
        "end": interview.end.isoformat(),
        "method": "CANCEL" if action == Effect.Action.CANCEL else "REQUEST",
    }
    if note:
        # The recruiter's words to the candidate about a move: in their updated invitation.
        snapshot["note"] = note

    def effect(kind: Effect.Kind, user: User | None = None, **payload: object) -> Effect:
        return Effect(
            organization_id=interview.organization_id,
            interview=interview,
            kind=kind,
            action=action,
            user=user,
            payload={**base, **payload},
        )

    if interviewers is None:
        interviewers = list(request.interviewers.order_by("pk"))
    kind = interview.conference_kind
    # A loop with one link for the whole loop has it made once, by its first session of that
    # kind: one Zoom meeting spanning the loop, or the Meet/Teams link of that session's host
    # event; the other sessions wait for it and carry it.
    shared = template.loop_conference == LoopConference.SHARED
    lead_id = loop_meeting_lead_id(interview, shared=shared)
    makes_link = lead_id in (None, interview.pk)
    host = None
    relinked: list[Interview] = []
    if kind in NETWORK_KINDS and makes_link:
        host, relinked = link_host_keep(interview, interviewers=interviewers, shared=shared)
    effects = []
    if kind == ConferencingKind.ZOOM and makes_link:
        # First, so the link exists before the events and the invite that carry it (with no
        # host it fails, saying why).
        effects.append(effect(Effect.Kind.CONFERENCE, host))
    effects += [
        effect(
            Effect.Kind.CALENDAR_EVENT,
            user,
            # Google Meet and Teams links come with the host's own calendar event.
            hosts_conference=(
                makes_link
                and host is not None
                and user.pk == host.pk
                and kind != ConferencingKind.ZOOM
            ),
        )
        for user in [*interviewers, *released]
    ]
    # Sessions sharing a link that is being made again: their events carry the new one.
    effects += [
        Effect(
            organization_id=session.organization_id,
            interview=session,
            kind=Effect.Kind.CALENDAR_EVENT,
            action=Effect.Action.RESCHEDULE,
            user=booking.interviewer,
            payload={"actor_id": _actor_id(actor), "sequence": session.sequence},
        )
        for session in relinked
        for booking in session.bookings.filter(active=True).select_related("interviewer")
    ]
    loop = interview.loop if interview.loop_id is not None else None
    lead = interview.loop_position == 0
    one_event = loop is not None and loop.calendar_mode == LoopCalendar.ONE_EVENT
    invited = interview
    if one_event and loop is not None and loop_invite and not lead:
        invited = Interview.objects.get(
            loop=loop, loop_position=0, status=Interview.Status.SCHEDULED
        )
    if one_event and loop is not None and (lead or loop_invite):
        snapshot = {
            **snapshot,
            "sequence": loop.sequence,
            "start": loop.start.isoformat(),
            "end": loop.end.isoformat(),
            "loop": str(loop.pk),
        }
    if lead or not one_event or loop_invite:
        effects.append(
            Effect(
                organization_id=interview.organization_id,
                interview=invited,
                kind=Effect.Kind.CANDIDATE_INVITE,
                action=action,
                payload=snapshot,
            )
        )
    if action == Effect.Action.BOOK:
        if template.task_template_id is not None:
            effects.append(effect(Effect.Kind.TASK))
        if template.workflow_action != WorkflowAction.NONE and lead:
            effects.append(effect(Effect.Kind.STAGE_MOVE))
    if lead:
        effects.extend(
            effect(Effect.Kind.NOTIFICATION, user)
            for user in _notification_recipients(interview, loop_people or interviewers)
        )
    Effect.objects.bulk_create(effects)
    work_enqueue("effects_execute", effect_ids=[str(row.pk) for row in _run_order(effects)])
    return effects


def _run_order(effects: list[Effect]) -> list[Effect]:
    """The video meeting and the calendar event that makes the video link first (others
    carry the link), then the candidate's invite and the other steps in the database, and
    the remaining interviewers' calendars (network calls) last."""

    def rank(effect: Effect) -> int:
        if effect.kind == Effect.Kind.CONFERENCE or effect.payload.get("hosts_conference"):
            return 0
        if effect.kind == Effect.Kind.CALENDAR_EVENT:
            return 2
        return 1

    return sorted(effects, key=rank)


def effects_run(*, effect_ids: Sequence[str]) -> list[str]:
    """Carry out several effects one after the other (each as ``effect_run`` would)."""
    return [effect_run(effect_id=effect_id) for effect_id in effect_ids]


def _load(effect_id: str) -> Effect | None:
    # What every kind reads. The rest (the request's template, the task template, the sender,
    # the stage) is read by the few kinds that need it, when they need it: a join of every
    # relation costs PostgreSQL more to plan than the queries it saves.
    return row_or_none(
        Effect.objects.select_related(
            "user__availability",
            "user__notification_preference",
            "interview__request",
            "interview__interview_template",
            "interview__application__candidate",
            "interview__application__job",
            "interview__application__organization",
        ).filter(pk=effect_id)
    )


def effect_run(*, effect_id: str) -> str:
    """Carry out one effect. Safe to call twice, late, or on two workers at once."""
    effect = _load(effect_id)
    if effect is None or effect.state in (Effect.State.DONE, Effect.State.FAILED):
        return effect.state if effect is not None else "missing"
    try:
        if effect.kind == Effect.Kind.CONFERENCE:
            if not _claim(effect):
                return "claimed by another worker"
            # Zoom has no idempotency key: the meeting id is saved the moment Zoom answers,
            # and only one worker at a time may ask.
            _done(effect.pk, conference_sync(effect))
        elif effect.kind == Effect.Kind.CALENDAR_EVENT:
            # Calendar providers may talk to the network: never inside a transaction.
            _done(effect.pk, calendar_sync(effect))
        else:
            with transaction.atomic():
                # Locked, so that a second run waits for this one and then finds it done.
                [state] = effects_locked(Effect.objects.filter(pk=effect.pk)).values_list(
                    "state", flat=True
                )
                if state in (Effect.State.DONE, Effect.State.FAILED):
                    return state
                effect.state = state
                _done(effect.pk, IN_DATABASE[effect.kind](effect))
    except LinkPendingError as error:
        return _wait(effect.pk, str(error), seconds=error.retry_after or 5.0)
    except (PermanentProviderError, HireSlotError) as error:
        return _failure(effect.pk, str(error), transient=False)
    except TransientProviderError as error:
        return _failure(effect.pk, str(error), transient=True, retry_after=error.retry_after)
    except Exception as error:
        # Unknown trouble is retried (it may be a database hiccup) and, if it persists, shown
        # as failed with a retry action, never lost.
        logger.exception("effect %s failed", effect.pk)
        return _failure(effect.pk, f"{type(error).__name__}: {error}", transient=True)
    return Effect.State.DONE


def _claim(effect: Effect) -> bool:
    """Hold the effect for this worker under a work lease (decision 0009); another claim
    waits for this one to end or lapse."""

    now = clock.now()
    claimed = (
        Effect.objects.filter(pk=effect.pk, state__in=[Effect.State.PENDING, Effect.State.RETRYING])
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=lease_expiry(now))
    )
    if not claimed:
        # Look again when the other worker's claim lapses, in case it died.
        work_enqueue("effect_execute", run_after=lease_expiry(now), effect_id=str(effect.pk))
    return bool(claimed)


def _wait(effect_id: UUID, message: str, *, seconds: float) -> str:
    """Not a failure: the effect needs the video link another effect is making."""

    with transaction.atomic():
        effect = effects_locked(Effect.objects.all()).get(pk=effect_id)
        if effect.state == Effect.State.DONE:
            return effect.state
        effect.state = Effect.State.RETRYING
        effect.last_error = message[:2000]
        effect.next_attempt_at = clock.now() + timedelta(seconds=seconds)
        effect.save(update_fields=["state", "last_error", "next_attempt_at", "updated_at"])
        work_enqueue("effect_execute", run_after=effect.next_attempt_at, effect_id=str(effect.pk))
        return effect.state


def _done(effect_id: UUID, result: str) -> None:
    """Mark the effect done: one UPDATE (in the caller's transaction, if any)."""
    now = clock.now()
    Effect.objects.filter(pk=effect_id).update(
        state=Effect.State.DONE,
        attempts=F("attempts") + 1,
        done_at=now,
        result_ref=result[:255],
        last_error="",
        next_attempt_at=None,
        claimed_until=None,
        updated_at=now,
    )


def _failure(
    effect_id: UUID, message: str, *, transient: bool, retry_after: float | None = None
) -> str:

    with transaction.atomic():
        effect = effects_locked(Effect.objects.all()).get(pk=effect_id)
        if effect.state == Effect.State.DONE:
            return effect.state
        effect.attempts += 1
        effect.last_error = message[:2000]
        effect.claimed_until = None
        if transient and effect.attempts < MAX_EFFECT_ATTEMPTS:
            effect.state = Effect.State.RETRYING
            # The provider's own advice (Retry-After) wins over our backoff when it gave one.
            delay = (
                timedelta(seconds=retry_after)
                if retry_after is not None
                else backoff_delay(effect.attempts)
            )
            effect.next_attempt_at = clock.now() + delay
            work_enqueue(
                "effect_execute", run_after=effect.next_attempt_at, effect_id=str(effect.pk)
            )
        else:
            effect.state = Effect.State.FAILED
            effect.next_attempt_at = None
        effect.save(
            update_fields=[
                "state",
                "attempts",
                "last_error",
                "next_attempt_at",
                "claimed_until",
                "updated_at",
            ]
        )
        return effect.state


@transaction.atomic
def effect_retry(*, effect: Effect) -> Effect:
    """A person's "Retry" on a failed effect: queue it again now."""

    locked = effects_locked(Effect.objects.all()).get(pk=effect.pk)
    if locked.state != Effect.State.FAILED:
        raise HireSlotError("Only a failed step can be retried.")
    locked.state = Effect.State.PENDING
    locked.next_attempt_at = None
    locked.save(update_fields=["state", "next_attempt_at", "updated_at"])
    work_enqueue("effect_execute", effect_id=str(locked.pk))
    return locked
