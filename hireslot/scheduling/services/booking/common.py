"""What booking a single interview and booking a loop share: the candidate's zone, holding
interviewers' time, and the change cut-off."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.models import User
from hireslot.core.errors import HireSlotError
from hireslot.core.timezones import is_known_time_zone
from hireslot.scheduling.errors import ChangeTooLateError, SlotTakenError
from hireslot.scheduling.locks import request_with_interviewers_lock
from hireslot.scheduling.models import (
    Interview,
    InterviewerBooking,
    InterviewLoop,
    SchedulingRequest,
    SelfScheduleTemplate,
)

TAKEN = "Sorry, that time was just taken or is no longer available."


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
