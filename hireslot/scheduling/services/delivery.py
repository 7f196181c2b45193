"""Telling the recruiter when an email to a candidate could not be delivered (issue 9, item 6).

Registered with ``messaging.services.delivery_failure_register`` in ``scheduling.tasks``:
messaging knows that an email failed, scheduling knows who is waiting on it — the person who
sent the scheduling request it belongs to (the request's own email, or the invite of the
interview booked from it).
"""

from __future__ import annotations

from hireslot.messaging.models import OutgoingEmail
from hireslot.messaging.notifications import NotificationTopic, notification_send
from hireslot.recruiting.models import Candidate
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
    candidate = email.target
    if request is None or request.sender is None or not isinstance(candidate, Candidate):
        return False
    # Bell only (no email): the failure also shows on the candidate's page, where the
    # recruiter acts on it.
    notification_send(
        organization=email.organization,
        recipient=request.sender,
        verb=f"Email to {candidate.name} not delivered: {email.subject}",
        topic=NotificationTopic.EMAIL_UNDELIVERED,
        target=candidate,
    )
    return True
