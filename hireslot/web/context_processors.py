from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from hireslot.messaging.selectors import notifications_unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The bell's unread count, counted only on pages that show the bell."""
    organization = getattr(request, "organization", None)
    user = request.user
    if organization is None or not user.is_authenticated or getattr(user, "pk", None) is None:
        return {"unread_notification_count": 0}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: notifications_unread_count(organization=organization, recipient=user)
        )
    }
