"""API keys: how a script or an applicant-tracking system acts for one organization."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hireslot.accounts.tenancy import OrganizationScopedModel


class ApiKey(OrganizationScopedModel):
    """One organization's key. The secret is shown once, when made; only its SHA-256 is kept
    (the secret has 256 bits of entropy, so a plain hash is as strong as a slow one and costs
    nothing per request). ``prefix`` is the secret's start, for people to tell keys apart."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=20)
    secret_digest = models.CharField(max_length=64, unique=True)
    read_only = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written at most once a minute (ApiKeyAuth), so a busy key costs no write per request.
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
