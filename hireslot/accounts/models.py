"""Organizations, people and their roles."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower

from hireslot.core.models import BaseModel
from hireslot.core.timezones import validate_time_zone
from hireslot.core.validators import validate_single_line


class Plan(models.TextChoices):
    STARTER = "starter", "Starter"
    SCALE = "scale", "Scale"
    ENTERPRISE = "enterprise", "Enterprise"


class Organization(BaseModel):
    name = models.CharField(max_length=200, validators=[validate_single_line])
    slug = models.SlugField(max_length=80, unique=True)
    plan = models.CharField(max_length=20, choices=Plan.choices, default=Plan.STARTER)
    default_time_zone = models.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone]
    )
    # Raster formats only: an uploaded SVG could carry script onto the public candidate page.
    logo = models.FileField(
        upload_to="logos/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "gif", "webp"])],
    )
    accent_color = models.CharField(
        max_length=7,
        default="#2563eb",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a color like #2563eb.")],
    )
    scheduling_sender_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="Shown as the sender of scheduling emails.",
        validators=[validate_single_line],
    )
    scheduling_sender_email = models.EmailField(
        blank=True, help_text="From/organizer address of scheduling emails and invites."
    )
    # Raised after every committed write that can change when its people are free (bookings,
    # busy time, working hours): candidate pages cached under an older value are never served
    # again (hireslot.accounts.availability_generation, hireslot.scheduling.candidate_cache).
    availability_generation = models.BigIntegerField(db_default=0, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        # Names reach email headers: refuse a line break however the account is made.
        user.clean_fields(
            exclude=[f.name for f in self.model._meta.fields if f.name != "full_name"]
        )
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # People type their address with whatever capitalisation; addresses are stored lowercased.
        return self.get(email__iexact=username)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(BaseModel, AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an email address."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May log in to the Django admin.")

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return (self.full_name.split() or [self.email])[0]


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    RECRUITER = "recruiter", "Recruiter"
    INTERVIEWER = "interviewer", "Interviewer"


class Membership(BaseModel):
    """A user's place in one organization; a user may belong to several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.INTERVIEWER)

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="accounts_membership_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organization} ({self.get_role_display()})"

    @property
    def can_recruit(self) -> bool:
        return self.role in {Role.ADMIN, Role.RECRUITER}

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class AvailabilityRules(BaseModel):
    """The rules for when candidates may book someone; shared by a person's own settings and
    an organization's defaults for new members."""

    # {"mon": [["09:00", "17:00"]], ...}: the engine's `weekly` shape, stored as-is.
    weekly_hours = models.JSONField(default=dict, blank=True)
    buffer_before_minutes = models.PositiveIntegerField(default=0)
    buffer_after_minutes = models.PositiveIntegerField(default=0)
    max_interviews_per_day = models.PositiveIntegerField(null=True, blank=True)
    # Counted in the person's own weeks (Monday to Monday in their time zone).
    max_interviews_per_week = models.PositiveIntegerField(null=True, blank=True)
    minimum_notice_minutes = models.PositiveIntegerField(default=24 * 60)
    booking_horizon_days = models.PositiveIntegerField(default=30)

    RULE_FIELDS = (
        "weekly_hours",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "max_interviews_per_day",
        "max_interviews_per_week",
        "minimum_notice_minutes",
        "booking_horizon_days",
    )

    class Meta:
        abstract = True


class AvailabilitySettings(AvailabilityRules):
    """When candidates may book a person ("My Settings"). Personal, not per organization:
    one person has one calendar and one working day, whichever organizations they work for."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="availability")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    # For phone interviews when the template names no number: the number candidates call.
    phone_number = models.CharField(
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ()./-]{5,40}$", "Use digits, spaces and + - ( ) only, e.g. +1 555 0100."
            )
        ],
    )

    class Meta:
        verbose_name_plural = "availability settings"

    def __str__(self) -> str:
        return f"Availability of {self.user}"


class DateOverride(BaseModel):
    """Different hours on one local date; no ranges means a day off."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="date_overrides")
    date = models.DateField()
    # [["10:00", "14:00"], ...] in the user's time zone; [] = not working that day.
    hours = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="accounts_override_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.date}"


class OrganizationAvailabilityDefaults(AvailabilityRules):
    """What a new member's My Settings start from; their time zone starts from the
    organization's default time zone."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="availability_defaults"
    )

    class Meta:
        verbose_name_plural = "organization availability defaults"

    def __str__(self) -> str:
        return f"Availability defaults of {self.organization}"


class PasswordResetEmail(BaseModel):
    """A password-reset email that went out; counted so one address gets only a few an hour."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_reset_emails")

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"Password reset for {self.user} at {self.created_at:%Y-%m-%d %H:%M}"
