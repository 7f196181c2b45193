"""A template's reschedule policy for candidates: how many times they may move their
interview themselves, and whether they must say why when they move or cancel it (the cut-off
before the start is ``change_cutoff_minutes``, checked in ``booking``). Recruiters and the API
are not limited."""

from __future__ import annotations

from django.utils.translation import gettext

from hireslot.scheduling.errors import ChangeTooLateError, ReasonMissingError
from hireslot.scheduling.models import RequestEvent, SchedulingRequest


def candidate_reschedules_of(request: SchedulingRequest) -> int:
    return RequestEvent.objects.filter(
        request_id=request.pk, kind=RequestEvent.Kind.RESCHEDULED, by_candidate=True
    ).count()


def reschedule_policy_check(*, request: SchedulingRequest, by_candidate: bool) -> None:
    """Refuse (409) a candidate's reschedule past the template's limit; in the caller's
    transaction, which holds the request's lock, so two tabs cannot both pass."""
    limit = request.template.max_candidate_reschedules
    if not by_candidate or limit is None:
        return
    if candidate_reschedules_of(request) >= limit:
        raise ChangeTooLateError(
            gettext(
                "You have moved this interview as often as allowed; please reply to your "
                "invitation email to change it again."
            )
        )


def candidate_reason_check(*, request: SchedulingRequest, by_candidate: bool, reason: str) -> None:
    """Refuse (400) a candidate's reschedule or cancel without a reason when the template
    asks for one; called before anything is written."""
    if by_candidate and request.template.candidate_reason_required and not reason.strip():
        raise ReasonMissingError(gettext("Please tell us why you are making this change."))
