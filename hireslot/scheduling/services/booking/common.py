"""The steps booking, moving and cancelling share, for one interview and for each session of
a loop alike (one path for one and for many): the checks before a change, the interview's
own rows, the request's status and timeline, and what every change announces."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import NoReturn

from django.db import IntegrityError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.models import User
from hireslot.calendars.connections import busy_live_conflict
from hireslot.conferencing.providers import (
    ConferencingKind,
    ConferencingNotAvailable,
    MeetingSpec,
    conferencing_provider,
)
from hireslot.core.errors import HireSlotError
from hireslot.core.languages import language_normalize
from hireslot.core.timezones import is_known_time_zone
from hireslot.messaging.webhooks import (
    INTERVIEW_CANCELLED,
    INTERVIEW_RESCHEDULED,
    INTERVIEW_SCHEDULED,
    CancelledBy,
)
from hireslot.recruiting.services import task_close_for_interview, task_due_move
from hireslot.scheduling.conference import LOCAL_KINDS, phone_number_for
from hireslot.scheduling.errors import (
    AlreadyBookedError,
    ChangeTooLateError,
    RequestClosedError,
    SlotNotOfferedError,
    SlotTakenError,
)
from hireslot.scheduling.locks import request_with_interviewers_lock
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewerBooking,
    InterviewLoop,
    RequestEvent,
    SchedulingRequest,
    SelfScheduleTemplate,
)
from hireslot.scheduling.selectors import interview_task_ids
from hireslot.scheduling.services.effects import effects_write
from hireslot.scheduling.services.reminders import reminders_cancel, reminders_plan
from hireslot.scheduling.services.reschedule_policy import reschedule_policy_check
from hireslot.scheduling.slots import availability_of
from hireslot.scheduling.webhook_events import interview_event_emit

TAKEN = "Sorry, that time was just taken or is no longer available."
WEBHOOK_EVENT = {
    Effect.Action.BOOK: INTERVIEW_SCHEDULED,
    Effect.Action.RESCHEDULE: INTERVIEW_RESCHEDULED,
    Effect.Action.CANCEL: INTERVIEW_CANCELLED,
}
CHANGED_STATUS = {
    RequestEvent.Kind.SCHEDULED: SchedulingRequest.Status.SCHEDULED,
    RequestEvent.Kind.RESCHEDULED: SchedulingRequest.Status.RESCHEDULED,
}


def zone_check(time_zone: str) -> None:
    if not is_known_time_zone(time_zone):
        raise HireSlotError(f"{time_zone} is not a known time zone.")


def interviewers_hold(interview: Interview, interviewers: list[User]) -> None:
    """Book ``interviewers`` for ``interview``'s time (one INSERT)."""
    try:
        # No savepoint: when PostgreSQL's exclusion constraint fails, the refusal raised here
        # rolls back the whole booking transaction anyway.
        InterviewerBooking.objects.bulk_create(
            InterviewerBooking(
                interview=interview, interviewer=user, start=interview.start, end=interview.end
            )
            for user in interviewers
        )
    except IntegrityError as error:
        raise SlotTakenError(gettext(TAKEN)) from error
    availability_generation_bump(user_ids=[user.pk for user in interviewers])


def cutoff_check(
    booked: Interview | InterviewLoop, request: SchedulingRequest, now: datetime, by_candidate: bool
) -> None:
    """Over, or (for the candidate) too close to the start to change."""
    if booked.end <= now:
        raise ChangeTooLateError(gettext("This interview is over."))
    cutoff = timedelta(minutes=request.template.change_cutoff_minutes)
    if by_candidate and booked.start - cutoff <= now:
        hours = request.template.change_cutoff_minutes / 60
        raise ChangeTooLateError(
            gettext(
                "Changes are not possible within %(hours)s hours of the start; "
                "please reply to your invitation email instead."
            )
            % {"hours": f"{hours:g}"}
        )


def request_lock(request: SchedulingRequest) -> tuple[SchedulingRequest, list[User]]:
    """The request, then its interviewers, locked in the lock order and read with everything
    the booking and its effects need (two queries)."""
    notify_users = SelfScheduleTemplate.notify_users.through.objects.filter(
        selfscheduletemplate_id=OuterRef("template_id")
    )
    return request_with_interviewers_lock(
        SchedulingRequest.objects.select_related(
            "organization",
            "sender",
            "template__interview_template",
            "application__candidate",
            "application__job__hiring_manager",
        )
        # Spares effects_write a query for the (usually empty) list of people to notify.
        .annotate(notifies_others=Exists(notify_users)),
        pk=request.pk,
    )


def request_open_check(*, request: SchedulingRequest, now: datetime) -> None:
    """Still waiting for the candidate's booking; else say why not."""
    if request.status in SchedulingRequest.BOOKED:
        raise AlreadyBookedError(
            gettext("This interview is already booked; you can reschedule it.")
        )
    if request.status not in SchedulingRequest.WAITING or request.expires_at <= now:
        raise RequestClosedError(gettext("This scheduling link is no longer available."))


def move_check(
    *,
    booked: Interview | InterviewLoop,
    request: SchedulingRequest,
    start: datetime,
    now: datetime,
    by_candidate: bool,
) -> None:
    """``booked`` may still move to ``start``: not too late, allowed, and a new time."""
    cutoff_check(booked, request, now, by_candidate)
    reschedule_policy_check(request=request, by_candidate=by_candidate)  # issue 17
    if start == booked.start:
        raise SlotNotOfferedError(gettext("That is the interview's current time; choose another."))


def slot_grid_check(*, start: datetime) -> None:
    """Offered starts are whole minutes on the template's grid."""
    if start.second or start.microsecond:
        raise SlotNotOfferedError(gettext("That time is not one of the offered times."))


def slot_refuse(*, start: datetime, now: datetime, rules_offer: Callable[[], bool]) -> NoReturn:
    """Why a start the engine does not offer now is refused: past (400), taken meanwhile
    (409: the rules alone would offer it; asked only when needed) or never offered (400)."""
    if start < now:
        raise SlotNotOfferedError(gettext("That time has already passed; please choose another."))
    if rules_offer():
        raise SlotTakenError(gettext("Sorry, that time was just taken or is no longer available."))
    raise SlotNotOfferedError(gettext("That time is not one of the offered times."))


def calendars_busy_check(
    *, users: Sequence[User], start: datetime, end: datetime, own_uid: str = ""
) -> None:
    """``users``' connected calendars asked about the window (with their buffers)."""
    buffers = {
        user.pk: (
            availability_of(user).buffer_before_minutes,
            availability_of(user).buffer_after_minutes,
        )
        for user in users
    }
    busy = busy_live_conflict(
        users=list(users), start=start, end=end, buffers=buffers, own_uid=own_uid
    )
    if busy is not None:
        raise SlotTakenError(gettext(TAKEN))


def meeting_attach(
    *,
    interview: Interview,
    request: SchedulingRequest,
    holders: list[User],
    key: str,
    topic: str,
) -> None:
    """A Jitsi or phone link made now (no network), so every effect has it; Zoom, Meet and
    Teams links are made by the effects (see scheduling.conference)."""
    kind = interview.conference_kind
    if kind not in LOCAL_KINDS:
        return
    try:
        provider = conferencing_provider(kind)
    except ConferencingNotAvailable as error:
        raise HireSlotError(str(error)) from error
    phone = (
        phone_number_for(template_number=request.template.phone_number, interviewers=holders)
        if kind == ConferencingKind.PHONE
        else ""
    )
    meeting = provider.meeting_create(
        spec=MeetingSpec(
            key=key,
            topic=topic,
            start=interview.start,
            duration_minutes=int((interview.end - interview.start).total_seconds() // 60),
            host_email=holders[0].email if holders else "",
            phone_number=phone,
        )
    )
    interview.conference_url = meeting.join_url
    interview.conference_id = meeting.meeting_id
    interview.conference_details = meeting.details


def interview_move_save(
    *,
    interview: Interview,
    start: datetime,
    end: datetime,
    candidate_time_zone: str | None,
    candidate_language: str,
    holders: list[User],
    shift: timedelta,
) -> None:
    """``interview`` at its new time (same UID, higher SEQUENCE; its ``assignment`` as the
    caller set it): held by ``holders`` alone, its tasks due ``shift`` later."""
    interview.start, interview.end = start, end
    interview.sequence += 1
    if candidate_time_zone:
        interview.candidate_time_zone = candidate_time_zone
    if language_normalize(candidate_language):
        interview.candidate_language = language_normalize(candidate_language)
    interview.save(
        update_fields=[
            "start",
            "end",
            "sequence",
            "candidate_time_zone",
            "candidate_language",
            "assignment",
            "updated_at",
        ]
    )
    interview.bookings.filter(active=True).update(active=False)
    interviewers_hold(interview, holders)
    task_due_move(task_ids=interview_task_ids(interview), by=shift)


def interview_cancel_save(*, interview: Interview, reason: str, now: datetime) -> None:
    """``interview`` cancelled: nobody holds its time, its tasks are closed and its planned
    reminders cancelled."""
    interview.status = Interview.Status.CANCELLED
    interview.cancelled_at = now
    interview.cancel_reason = reason[:2000]
    interview.sequence += 1
    interview.save(
        update_fields=["status", "cancelled_at", "cancel_reason", "sequence", "updated_at"]
    )
    interview.bookings.filter(active=True).update(active=False)
    task_close_for_interview(task_ids=interview_task_ids(interview), now=now)
    reminders_cancel(interview=interview, reason="The interview was cancelled.")  # issue 17


def request_change_record(
    *,
    request: SchedulingRequest,
    kind: RequestEvent.Kind,
    actor: User | None,
    by_candidate: bool,
    detail: str,
    reason: str = "",
) -> None:
    """The request's status after its interview was booked, moved or cancelled (a candidate's
    own cancel opens their link again until it expires; a company cancel closes it), and the
    timeline's entry for what happened."""
    if kind == RequestEvent.Kind.CANCELLED:
        status = request.reopened_status() if by_candidate else SchedulingRequest.Status.CANCELLED
    else:
        status = CHANGED_STATUS[kind]
    request.status = status
    request.save(update_fields=["status", "updated_at"])
    RequestEvent.objects.create(
        organization_id=request.organization_id,
        request=request,
        kind=kind,
        actor=actor,
        by_candidate=by_candidate,
        detail=detail,
        reason=reason,
    )


def interview_change_announce(
    *,
    interview: Interview,
    action: Effect.Action,
    actor: User | None,
    holders: list[User],
    now: datetime | None,
    released: Sequence[User] = (),
    loop_people: Sequence[User] = (),
    note: str = "",
    loop_invite: bool = False,
    previous: tuple[datetime, datetime] | None = None,
    cancelled_by: CancelledBy | None = None,
    wanted: bool | None = None,
) -> None:
    """What a booked, moved or cancelled interview tells the world: its effects (calendar
    events, emails), its reminders planned or moved (issue 17) and its webhook event
    (``wanted``: when the caller asked once for many sessions)."""
    effects_write(
        interview=interview,
        action=action,
        actor=actor,
        interviewers=holders,
        released=released,
        loop_people=loop_people,
        note=note,
        loop_invite=loop_invite,
    )
    if action != Effect.Action.CANCEL:
        reminders_plan(interview=interview, interviewers=holders, now=now)
    interview_event_emit(
        interview=interview,
        event_type=WEBHOOK_EVENT[action],
        previous=previous,
        cancelled_by=cancelled_by,
        reason=interview.cancel_reason if action == Effect.Action.CANCEL else "",
        wanted=wanted,
    )
