"""Interview loops: a self-schedule template made of ordered sessions booked as one.

A loop template (``SelfScheduleTemplate`` with ``loop_sessions``) offers one start time for
back-to-back sessions; booking it makes an ``InterviewLoop`` with one ``Interview`` per session,
each with its own bookings, calendar events and effects (decision 0025).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from hireslot.accounts.tenancy import OrganizationScopedModel
from hireslot.conferencing.providers import ConferencingKind
from hireslot.core.models import BaseModel


class LoopCalendar(models.TextChoices):
    ONE_EVENT = "one_event", "One event for the whole loop, the agenda in its description"
    PER_SESSION = "per_session", "One event per session"


class LoopConference(models.TextChoices):
    SHARED = "shared", "One video link for the whole loop"
    PER_SESSION = "per_session", "A video link per session"


class LoopSession(BaseModel):
    """One session of a loop template, in ``position`` order: what it is about (its interview
    template), who sits in it (people, the job's hiring manager, pool seats), how long it
    lasts and the break after it."""

    template = models.ForeignKey(
        "scheduling.SelfScheduleTemplate", on_delete=models.CASCADE, related_name="loop_sessions"
    )
    position = models.PositiveIntegerField(default=0)
    interview_template = models.ForeignKey(
        "recruiting.InterviewTemplate", on_delete=models.PROTECT, related_name="+"
    )
    duration_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)],
        help_text="Overrides the interview template's length when set.",
    )
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    include_hiring_manager = models.BooleanField(default=False)
    # Blank: the loop template's own ``conferencing``.
    conferencing = models.CharField(max_length=20, choices=ConferencingKind.choices, blank=True)
    gap_after_minutes = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(4 * 60)],
        help_text="The break after this session (ignored after the last one).",
    )

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return f"{self.position + 1}. {self.interview_template}"

    @property
    def minutes(self) -> int:
        return self.duration_minutes or self.interview_template.duration_minutes


class LoopSessionSeat(BaseModel):
    """A seat of one loop session filled at booking by one active member of ``pool``."""

    session = models.ForeignKey(LoopSession, on_delete=models.CASCADE, related_name="pool_seats")
    # PROTECT: a pool a loop draws on cannot be deleted.
    pool = models.ForeignKey(
        "scheduling.InterviewerPool", on_delete=models.PROTECT, related_name="loop_seats"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return f"One of {self.pool} for {self.session}"


class InterviewLoop(OrganizationScopedModel):
    """A booked loop: its sessions are ``interviews`` (by ``loop_position``). Moving it moves
    them all; its ``sequence`` versions the candidate's one invite (one-event mode)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    request = models.ForeignKey(
        "scheduling.SchedulingRequest", on_delete=models.CASCADE, related_name="loops"
    )
    application = models.ForeignKey(
        "recruiting.Application", on_delete=models.CASCADE, related_name="interview_loops"
    )
    name = models.CharField(max_length=200)
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0)
    # Fixed at booking from the template, so editing the template never changes a booked loop.
    calendar_mode = models.CharField(
        max_length=12, choices=LoopCalendar.choices, default=LoopCalendar.ONE_EVENT
    )
    candidate_time_zone = models.CharField(max_length=64)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="scheduling_loop_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="scheduled"),
                name="scheduling_one_live_loop_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} at {self.start:%Y-%m-%d %H:%M}Z"

    @property
    def uid(self) -> str:
        """The candidate's one-event invite UID: the same for every version of the loop."""
        return f"loop-{self.pk}@hireslot"
