"""Reads of what members are told: their notifications and their email preferences."""

from __future__ import annotations

from django.db.models import QuerySet

from hireslot.accounts.models import Organization, User
from hireslot.accounts.tenancy import scoped
from hireslot.messaging.models import Notification, NotificationPreference

# The bell's page shows the latest ones; older notifications are rarely worth a scroll.
NOTIFICATIONS_SHOWN = 100


def notification_list(*, organization: Organization, recipient: User) -> QuerySet[Notification]:
    """The recipient's latest notifications in this organization, newest first."""
    return (
        scoped(Notification, organization)
        .filter(recipient=recipient)
        .select_related("target_type")[:NOTIFICATIONS_SHOWN]
    )


def notifications_unread_count(*, organization: Organization, recipient: User) -> int:
    return Notification.objects.filter(
        organization=organization, recipient=recipient, read_at__isnull=True
    ).count()


def notification_preference_of(*, user: User) -> NotificationPreference:
    """The user's preferences; the defaults (every email on), unsaved, if never set."""
    return NotificationPreference.objects.filter(user=user).first() or NotificationPreference(
        user=user
    )
