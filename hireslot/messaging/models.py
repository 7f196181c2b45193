"""Email templates that recruiters write."""

from __future__ import annotations

from django.db import models

from hireslot.core.models import OrganizationScopedModel
from hireslot.messaging.merge_fields import merge_template_validate


class EmailTemplate(OrganizationScopedModel):
    """Subject and body with merge fields such as ``{{ candidate.first_name }}``."""

    name = models.CharField(max_length=200)
    subject = models.CharField(max_length=300, validators=[merge_template_validate])
    body = models.TextField(validators=[merge_template_validate])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="messaging_email_template_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name
