"""Telling the sender that a link expired unused, when the template asks
(``SelfScheduleTemplate.notify_sender_on_expiry``). Run by the expiry announce sweep
(``requests.scheduling_requests_expiry_announce``), in its transaction, once per expiry."""

from __future__ import annotations

from django.conf import settings

from hireslot.messaging.models import Notification
from hireslot.messaging.notifications import NotificationEmail, NotificationTopic, notification_send
from hireslot.scheduling.models import SchedulingRequest


def request_expiry_notify(*, request: SchedulingRequest) -> Notification | None:
    if not request.template.notify_sender_on_expiry or request.sender is None:
        return None
    candidate = request.application.candidate
    verb = (
        f"{candidate.name}'s link for the {request.template.interview_template.name} "
        "expired without a booking"
    )
    return notification_send(
        organization=request.organization,
        recipient=request.sender,
        verb=verb,
        topic=NotificationTopic.REQUEST_EXPIRED,
        target=candidate,
        email=NotificationEmail(
            subject=verb,
            body_text=(
                f"{verb}.\n\nSend it again or choose another way to schedule:\n"
                f"{settings.HIRESLOT_BASE_URL}/candidates/{candidate.pk}/\n"
            ),
        ),
    )
