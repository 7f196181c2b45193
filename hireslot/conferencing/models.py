"""People's conferencing accounts (Zoom); Jitsi and phone need none."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hireslot.calendars.models import ConnectionStatus
from hireslot.core.encryption import EncryptedJSONField
from hireslot.core.models import BaseModel


class ZoomConnection(BaseModel):
    """A person's Zoom account, connected with user-level OAuth through the organization's app.
    Zoom rotates the refresh token on every refresh, so the newest pair is always stored."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="zoom_connection"
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    account = models.CharField(max_length=300)
    credentials = EncryptedJSONField(blank=True)
    status = models.CharField(
        max_length=20, choices=ConnectionStatus.choices, default=ConnectionStatus.ACTIVE
    )
    last_error = models.TextField(blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Zoom · {self.account}"
