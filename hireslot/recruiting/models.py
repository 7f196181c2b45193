"""The applicant-tracking core: jobs, their workflow, candidates and tasks."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import MinValueValidator
from django.db import models

from hireslot.accounts.tenancy import OrganizationScopedModel
from hireslot.core.languages import CANDIDATE_LANGUAGES
from hireslot.core.timezones import validate_time_zone
from hireslot.core.validators import validate_single_line
from hireslot.messaging.merge_fields import merge_template_validate

DEFAULT_STAGE_NAMES = ("Applied", "Phone Screen", "Manager Interview", "Onsite", "Offer")


class Job(OrganizationScopedModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    title = models.CharField(max_length=200, validators=[validate_single_line])
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    hiring_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_jobs",
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class WorkflowStage(OrganizationScopedModel):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=100, validators=[validate_single_line])
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="recruiting_stage_position"),
            models.UniqueConstraint(fields=["job", "name"], name="recruiting_stage_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Candidate(OrganizationScopedModel):
    first_name = models.CharField(max_length=100, validators=[validate_single_line])
    last_name = models.CharField(max_length=100, blank=True, validators=[validate_single_line])
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text="Optional; the scheduling page detects the candidate's zone anyway.",
    )
    # Pages and emails HireSlot writes for the candidate use it; blank: the browser's.
    language = models.CharField(
        max_length=10,
        blank=True,
        choices=CANDIDATE_LANGUAGES,
        help_text="Language of the scheduling page and emails; blank uses the browser's.",
    )
    # Every email HireSlot sent about the candidate (messaging ties emails to a generic
    # target); deleted with the candidate, and queryable as OutgoingEmail's ``candidate``.
    emails = GenericRelation(
        "messaging.OutgoingEmail",
        content_type_field="target_type",
        object_id_field="target_id",
        related_query_name="candidate",
    )

    class Meta:
        ordering = ["first_name", "last_name"]
        indexes = [models.Index(fields=["organization", "email"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Application(OrganizationScopedModel):
    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications")
    current_stage = models.ForeignKey(
        WorkflowStage, on_delete=models.PROTECT, related_name="applications"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "job"], name="recruiting_application_unique_candidate_job"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.job}"


class StageChange(OrganizationScopedModel):
    """One step of an application's stage history: who moved it, from where, to where, when."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.ForeignKey(
        WorkflowStage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_stage = models.ForeignKey(WorkflowStage, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.from_stage or '—'} → {self.to_stage}"


class Task(OrganizationScopedModel):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
    )
    due_at = models.DateTimeField(null=True, blank=True)
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="tasks"
    )
    done = models.BooleanField(default=False)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["done", "due_at", "created_at"]
        indexes = [models.Index(fields=["organization", "assignee", "done"])]

    def __str__(self) -> str:
        return self.title


class InterviewTemplate(OrganizationScopedModel):
    """What an interview is about; interviewers' calendar events link to its page."""

    name = models.CharField(max_length=200, validators=[validate_single_line])
    duration_minutes = models.PositiveIntegerField(
        default=45, validators=[MinValueValidator(5)], help_text="Length in minutes."
    )
    instructions = models.TextField(blank=True)
    questions = models.TextField(blank=True, help_text="One question per line.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="recruiting_interview_template_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]


class TaskTemplate(OrganizationScopedModel):
    """The task created when an interview is booked; title and description take merge fields."""

    class AssigneeRule(models.TextChoices):
        SENDER = "sender", "The person who sent the request"
        HIRING_MANAGER = "hiring_manager", "The job's hiring manager"
        SPECIFIC_USER = "specific_user", "A specific person"

    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, validators=[merge_template_validate])
    description = models.TextField(blank=True, validators=[merge_template_validate])
    assignee_rule = models.CharField(
        max_length=20, choices=AssigneeRule.choices, default=AssigneeRule.SENDER
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Used when the rule is 'a specific person'.",
    )
    due_offset_days = models.PositiveIntegerField(
        default=1, help_text="Days after the booking that the task is due."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="recruiting_task_template_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name
