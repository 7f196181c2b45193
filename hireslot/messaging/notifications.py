"""Telling a member that something happened: the one writer of notifications.

``notification_send`` puts a row in the recipient's bell and, when the caller gives an email,
queues it through the outgoing-email outbox in the caller's transaction unless the
recipient's preferences mute that topic. The rules (decision 0013):

- the bell always shows the notification, whatever the preferences;
- an interview booked, rescheduled or cancelled is emailed unless the matching
  ``NotificationPreference`` field is off (no preference row: every default is on);
- a broken connection cannot be muted: until it is reconnected candidates cannot book the
  person, and the alert is sent once per outage;
- a failing or disabled webhook endpoint cannot be muted either: integrations miss changes
  until an admin acts, and the alert is sent once per run of failures;
- a notification sent without an email (an undelivered email to a candidate) stays in the bell.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from hireslot.accounts.models import Organization, User
from hireslot.core import clock
from hireslot.messaging.models import Notification, NotificationPreference
from hireslot.messaging.services import outgoing_email_queue


class NotificationTopic(enum.StrEnum):
    """What a notification is about: it decides which preference, if any, mutes its email."""

    INTERVIEW_BOOKED = "interview_booked"
    INTERVIEW_RESCHEDULED = "interview_rescheduled"
    INTERVIEW_CANCELLED = "interview_cancelled"
    INTERVIEW_NO_SHOW = "interview_no_show"
    REQUEST_EXPIRED = "request_expired"
    CONNECTION_BROKEN = "connection_broken"
    EMAIL_UNDELIVERED = "email_undelivered"
    WEBHOOK_FAILING = "webhook_failing"


# The preference field that mutes each topic's email. A topic missing here cannot be muted.
_MUTED_BY: dict[NotificationTopic, str] = {
    NotificationTopic.INTERVIEW_BOOKED: "email_on_booked",
    NotificationTopic.INTERVIEW_RESCHEDULED: "email_on_rescheduled",
    NotificationTopic.INTERVIEW_CANCELLED: "email_on_cancelled",
}

# The outgoing email's ``kind`` (what operators filter on in the admin).
_EMAIL_KIND: dict[NotificationTopic, str] = {
    NotificationTopic.CONNECTION_BROKEN: "connection_alert",
    NotificationTopic.WEBHOOK_FAILING: "webhook_alert",
}


@dataclass(frozen=True)
class NotificationEmail:
    """The email that goes with a notification, to the recipient's address."""

    subject: str
    body_text: str


def notification_topic_mutable(topic: NotificationTopic) -> bool:
    """Whether a recipient's preferences can stop this topic's email."""
    return topic in _MUTED_BY


def notification_email_wanted(*, recipient: User, topic: NotificationTopic) -> bool:
    """Whether the recipient's preferences let this topic's email go out."""
    field = _MUTED_BY.get(topic)
    if field is None:
        return True
    try:
        # The reverse accessor, so a preference the caller already joined
        # (``select_related("user__notification_preference")``) costs no query.
        preference = recipient.notification_preference
    except NotificationPreference.DoesNotExist:
        return True
    return bool(getattr(preference, field))


# No savepoint: inside a caller's transaction (an effect, a broken connection) the row and the
# email simply join it, at no extra statement; called alone, both commit together.
@transaction.atomic(savepoint=False)
def notification_send(
    *,
    organization: Organization,
    recipient: User,
    verb: str,
    topic: NotificationTopic,
    target: models.Model | None = None,
    email: NotificationEmail | None = None,
) -> Notification:
    """Put ``verb`` in the recipient's bell (linked to ``target``) and queue ``email`` unless
    the recipient's preferences mute ``topic``; both in one transaction."""
    notification = Notification.objects.create(
        organization=organization,
        recipient=recipient,
        verb=verb[: Notification._meta.get_field("verb").max_length],
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
    )
    if email is not None and notification_email_wanted(recipient=recipient, topic=topic):
        outgoing_email_queue(
            organization=organization,
            to=recipient.email,
            subject=email.subject,
            body_text=email.body_text,
            kind=_EMAIL_KIND.get(topic, "notification"),
        )
    return notification


def notifications_mark_read(*, recipient: User, organization: Organization) -> int:
    return Notification.objects.filter(
        organization=organization, recipient=recipient, read_at__isnull=True
    ).update(read_at=clock.now())


def notification_preference_update(
    *,
    user: User,
    email_on_booked: bool,
    email_on_rescheduled: bool,
    email_on_cancelled: bool,
) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "email_on_booked": email_on_booked,
            "email_on_rescheduled": email_on_rescheduled,
            "email_on_cancelled": email_on_cancelled,
        },
    )
    return preference
