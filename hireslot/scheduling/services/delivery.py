"""Telling the recruiter when an email to a candidate could not be delivered (issue 9, item 6).

Registered with ``messaging.services.delivery_failure_register`` in ``scheduling.tasks``:
messaging knows that an email failed, scheduling knows who is waiting on it — the person who
sent the scheduling request it belongs to (the request's own email, or the invite of the
interview booked from it).
"""

from __future__ import annotations

from hireslot.messaging.models import OutgoingEmail
from hireslot.recruiting.services import notification_create
from hireslot.scheduling.models import Effect, SchedulingRequest


def email_failure_notify(email: OutgoingEmail) -> bool:
    """Put a notification in the request sender's bell; True when someone was told."""
    request = SchedulingRequest.objects.select_related("sender").filter(email_id=email.pk).first()
    if request is None:
        effect = (
            Effect.objects.select_related("interview__request__sender")
            .filter(kind=Effect.Kind.CANDIDATE_INVITE, result_ref=str(email.pk))
            .first()
        )
        request = effect.interview.request if effect is not None else None
    if request is None or request.sender is None or email.candidate is None:
        return False
    notification_create(
        organization=email.organization,
        recipient=request.sender,
        verb=f"Email to {email.candidate.name} not delivered: {email.subject}"[:200],
        target=email.candidate,
    )
    return True
