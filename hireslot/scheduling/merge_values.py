"""The values a scheduling request's merge fields take (``{{ candidate_first_name }}`` …).

Read by the request's email when it is sent or sent again, and by the task a booking
creates; a pure read, so both the send path and the effects import it without importing
each other.
"""

from __future__ import annotations

from hireslot.accounts.models import User
from hireslot.messaging.merge_fields import MergeValues
from hireslot.recruiting.models import Application
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.models import SchedulingRequest


def merge_values_for(
    *, request: SchedulingRequest, application: Application, sender: User | None
) -> MergeValues:
    """The request's values; without a sender, the organization signs the email."""
    candidate = application.candidate
    return MergeValues(
        candidate_first_name=candidate.first_name,
        candidate_last_name=candidate.last_name,
        candidate_email=candidate.email,
        job_title=application.job.title,
        organization_name=application.organization.name,
        # A loop is named as a whole ("Onsite"), its length from first start to last end.
        interview_name=(
            request.template.name
            if request.template.loop_sessions_count
            else request.template.interview_template.name
        ),
        interview_duration=request.duration_minutes,
        sender_name=sender.get_full_name() if sender else application.organization.name,
        sender_email=sender.email if sender else "",
        scheduling_link=scheduling_link(request),
    )
