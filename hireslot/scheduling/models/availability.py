"""Availability requests (issue 16): what a candidate says they could do instead of picking
one of the offered times."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from hireslot.accounts.tenancy import OrganizationScopedModel
from hireslot.core.models import BaseModel


class RequestKind(models.TextChoices):
    """What the candidate's link asks of them."""

    OFFER_TIMES = "offer_times", "Offer times to pick from"
    ASK_AVAILABILITY = "ask_availability", "Ask for the candidate's availability"


class CandidateAvailability(OrganizationScopedModel):
    """The times a candidate said they could do, for one request: one row per request; sending
    again replaces its windows (``candidate_availability_submit``)."""

    request = models.OneToOneField(
        "scheduling.SchedulingRequest", on_delete=models.CASCADE, related_name="availability"
    )
    # The zone the candidate thought in: how their windows are shown back to people.
    time_zone = models.CharField(max_length=64)
    note = models.TextField(blank=True)
    submitted_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Availability for {self.request_id}"


class AvailabilityWindow(BaseModel):
    """One range ``[start, end)`` the candidate could do, as instants."""

    availability = models.ForeignKey(
        CandidateAvailability, on_delete=models.CASCADE, related_name="windows"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="scheduling_window_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.start:%Y-%m-%d %H:%M}Z to {self.end:%Y-%m-%d %H:%M}Z"
