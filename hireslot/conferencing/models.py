"""People's conferencing accounts (Zoom); Jitsi and phone need none."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hireslot.calendars.models import AccountConnection


class ZoomConnection(AccountConnection):
    """A person's Zoom account, connected with user-level OAuth through the organization's app.
    Zoom rotates the refresh token on every refresh, so the newest pair is always stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="zoom_connection"
    )

    def __str__(self) -> str:
        return f"Zoom · {self.account}"
