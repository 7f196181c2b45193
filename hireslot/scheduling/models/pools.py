"""Interviewer pools: named groups a self-schedule template draws one interviewer from."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from hireslot.accounts.tenancy import OrganizationScopedModel
from hireslot.core.models import BaseModel


class InterviewerPool(OrganizationScopedModel):
    """E.g. "Backend interviewers": trained people any one of whom may take a seat."""

    name = models.CharField(max_length=200)
    # Lower caps for this pool's interviews than the members' own (My Settings): the lower of
    # the two applies when a member is drawn from this pool; both count every interview.
    max_per_day = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    max_per_week = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(200)]
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="scheduling_pool_name"),
        ]

    def __str__(self) -> str:
        return self.name


class PoolMember(BaseModel):
    """One person in a pool. Paused members (on leave) stay in the pool but are never offered."""

    pool = models.ForeignKey(InterviewerPool, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pool_memberships"
    )
    # Relative share of the pool's interviews: weight 2 takes about twice as many as weight 1.
    weight = models.PositiveIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["user__full_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "user"], name="scheduling_pool_member_once"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="scheduling_pool_weight"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.pool}"


class TemplatePoolSeat(BaseModel):
    """A seat of a self-schedule template filled by one active member of ``pool`` at booking.
    The template's fixed people are its other seats (``SelfScheduleTemplate.interviewers``)."""

    template = models.ForeignKey(
        "scheduling.SelfScheduleTemplate", on_delete=models.CASCADE, related_name="pool_seats"
    )
    # PROTECT: a pool a template draws on cannot be deleted.
    pool = models.ForeignKey(InterviewerPool, on_delete=models.PROTECT, related_name="seats")
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "created_at"]

    def __str__(self) -> str:
        return f"One of {self.pool} for {self.template}"
