from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hireslot.recruiting.models import Notification


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The bell's unread count, counted only on pages that show the bell."""
    organization = getattr(request, "organization", None)
    user = request.user
    if organization is None or not user.is_authenticated or getattr(user, "pk", None) is None:
        return {"unread_notification_count": 0}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: Notification.objects.filter(
                organization=organization, recipient=user, read_at__isnull=True
            ).count()
        )
    }
