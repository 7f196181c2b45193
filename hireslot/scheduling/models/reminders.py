"""Reminders before interviews: one row per (interview, audience, person, channel, offset),
planned when it is booked, moved when it moves, cancelled when it is cancelled, and sent
once by whichever worker claims it first (decision 0030)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from hireslot.accounts.tenancy import OrganizationScopedModel

# Candidate email reminders a day and an hour before the start (the default template).
DEFAULT_REMINDER_OFFSETS = [24 * 60, 60]


def default_reminder_offsets() -> list[int]:
    return list(DEFAULT_REMINDER_OFFSETS)


MAX_REMINDER_OFFSET = 14 * 24 * 60


def reminder_offsets_problem(offsets: object) -> str:
    """What is wrong with a template's reminder offsets, or nothing."""
    if not isinstance(offsets, list) or not all(
        isinstance(offset, int) and not isinstance(offset, bool) for offset in offsets
    ):
        return "Reminder times are a list of whole minutes before the start."
    if any(offset < 5 or offset > MAX_REMINDER_OFFSET for offset in offsets):
        return "Each reminder is between 5 minutes and 14 days before the start."
    if len(set(offsets)) != len(offsets) or len(offsets) > 5:
        return "At most five reminders, each at a different time."
    return ""


class Reminder(OrganizationScopedModel):
    class Audience(models.TextChoices):
        CANDIDATE = "candidate", "Candidate"
        INTERVIEWER = "interviewer", "Interviewer"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "Text message"

    class State(models.TextChoices):
        PLANNED = "planned", "Planned"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        CANCELLED = "cancelled", "Cancelled"
        FAILED = "failed", "Failed"

    interview = models.ForeignKey(
        "scheduling.Interview", on_delete=models.CASCADE, related_name="reminders"
    )
    audience = models.CharField(max_length=12, choices=Audience.choices)
    # The interviewer reminded (empty for the candidate).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    offset_minutes = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    # The start it reminds of: sending checks the interview still starts then.
    interview_start = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    reason = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The email or text it queued.
    result_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["due_at", "audience", "channel"]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"{self.audience} {self.channel} reminder at {self.due_at:%Y-%m-%d %H:%M}Z"


def default_nudge_days() -> list[int]:
    return [1, 3]


def nudge_days_problem(days: object) -> str:
    if not isinstance(days, list) or not all(
        isinstance(day, int) and not isinstance(day, bool) for day in days
    ):
        return "Nudges are a list of whole days after sending."
    if any(day < 1 or day > 90 for day in days) or len(set(days)) != len(days) or len(days) > 5:
        return "At most five nudges, each on a different day between 1 and 90 days after sending."
    return ""


class Nudge(OrganizationScopedModel):
    """A reminder to a candidate who has not booked yet, planned when the request is sent."""

    State = Reminder.State

    request = models.ForeignKey(
        "scheduling.SchedulingRequest", on_delete=models.CASCADE, related_name="nudges"
    )
    after_days = models.PositiveIntegerField()
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PLANNED)
    reason = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    result_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["state", "due_at"])]

    def __str__(self) -> str:
        return f"nudge at {self.due_at:%Y-%m-%d %H:%M}Z: {self.state}"


class NoShow(OrganizationScopedModel):
    """Someone did not come to an interview, as a person who was there says."""

    class Who(models.TextChoices):
        CANDIDATE = "candidate", "The candidate"
        INTERVIEWER = "interviewer", "An interviewer"

    interview = models.OneToOneField(
        "scheduling.Interview", on_delete=models.CASCADE, related_name="no_show"
    )
    who = models.CharField(max_length=12, choices=Who.choices)
    note = models.TextField(blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The fresh request offering a new time, when the template's follow-up made one.
    follow_up_request = models.ForeignKey(
        "scheduling.SchedulingRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.who} did not come"
