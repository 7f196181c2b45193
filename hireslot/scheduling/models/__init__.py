"""Self-scheduling: templates, requests sent to candidates, booked interviews and the effects
ledger that carries out every consequence of a booking."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from hireslot.accounts.tenancy import OrganizationScopedModel
from hireslot.conferencing.providers import ConferencingKind
from hireslot.core.models import BaseModel
from hireslot.scheduling.conference import conference_kind_problem
from hireslot.scheduling.models.availability import RequestKind
from hireslot.scheduling.models.loops import LoopCalendar, LoopConference
from hireslot.scheduling.models.reminders import (
    default_nudge_days,
    default_reminder_offsets,
    nudge_days_problem,
    reminder_offsets_problem,
)


class WorkflowAction(models.TextChoices):
    NONE = "none", "Leave the candidate where they are"
    NEXT_STAGE = "next_stage", "Move to the next stage"
    NAMED_STAGE = "named_stage", "Move to the stage named below"


class SelfScheduleTemplate(OrganizationScopedModel):
    """Everything a self-scheduling request needs, chosen once and sent with one click."""

    name = models.CharField(max_length=200)
    email_template = models.ForeignKey(
        "messaging.EmailTemplate", on_delete=models.PROTECT, related_name="+"
    )
    task_template = models.ForeignKey(
        "recruiting.TaskTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The task created when the candidate books; none if empty.",
    )
    interview_template = models.ForeignKey(
        "recruiting.InterviewTemplate", on_delete=models.PROTECT, related_name="+"
    )
    duration_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(8 * 60)],
        help_text="Overrides the interview template's length when set.",
    )
    interviewers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        help_text="Several people make a panel: all of them must be free.",
    )
    # How many ``pool_seats`` it has, kept by ``self_schedule_template_save``: slot finding
    # takes the fixed-panel path without reading seats when it is 0.
    pool_seats_count = models.PositiveSmallIntegerField(default=0, editable=False)
    # How many ``loop_sessions`` it has (``self_schedule_template_save`` keeps it): 0 is a
    # single interview; otherwise a loop and the single-interview fields above are unused.
    loop_sessions_count = models.PositiveSmallIntegerField(default=0, editable=False)
    loop_calendar = models.CharField(
        max_length=12,
        choices=LoopCalendar.choices,
        default=LoopCalendar.ONE_EVENT,
        help_text="For a loop: what the candidate's calendar shows.",
    )
    loop_conference = models.CharField(
        max_length=12,
        choices=LoopConference.choices,
        default=LoopConference.SHARED,
        help_text="For a loop: one video link for every session, or one per session.",
    )
    loop_show_names = models.BooleanField(
        default=True,
        help_text="For a loop: the candidate's agenda names the people they will meet.",
    )
    include_hiring_manager = models.BooleanField(
        default=False, help_text="The job's hiring manager interviews too."
    )
    conferencing = models.CharField(
        max_length=20, choices=ConferencingKind.choices, default=ConferencingKind.JITSI
    )
    phone_number = models.CharField(
        max_length=40, blank=True, help_text="For phone interviews: the number to call."
    )
    workflow_action = models.CharField(
        max_length=20, choices=WorkflowAction.choices, default=WorkflowAction.NONE
    )
    move_to_stage_name = models.CharField(max_length=100, blank=True)
    notify_sender = models.BooleanField(default=True)
    notify_hiring_manager = models.BooleanField(default=False)
    notify_interviewers = models.BooleanField(default=True)
    notify_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", help_text="Also tell these people."
    )
    link_expiry_days = models.PositiveIntegerField(
        default=7, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    minimum_notice_minutes = models.PositiveIntegerField(
        null=True, blank=True, help_text="Empty: the longest of the interviewers' own settings."
    )
    booking_horizon_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="Empty: the shortest of the interviewers' own settings.",
    )
    # Divisors of an hour only: then every offered start lies on the same wall-clock grid
    # whatever day range a page asks for, so a booked start can be checked on its own.
    slot_interval_minutes = models.PositiveIntegerField(
        default=30,
        choices=[(minutes, f"Every {minutes} minutes") for minutes in (5, 10, 15, 20, 30, 60)],
    )
    change_cutoff_minutes = models.PositiveIntegerField(
        default=120, help_text="Candidates cannot reschedule or cancel closer to the start."
    )
    # --- Reminders (issue 17; scheduling.services.reminders) ---
    reminder_offsets_minutes = models.JSONField(
        default=default_reminder_offsets,
        blank=True,
        help_text="Minutes before the start the candidate is reminded (none if empty).",
    )
    remind_interviewers = models.BooleanField(
        default=False, help_text="Interviewers get the same reminders by email."
    )
    reminder_texts = models.BooleanField(
        default=False,
        help_text="Candidates who agreed to text messages are also reminded by text.",
    )
    nudge_after_days = models.JSONField(
        default=default_nudge_days,
        blank=True,
        help_text="Days after sending a candidate who has not booked is nudged (none if empty).",
    )
    nudge_email_template = models.ForeignKey(
        "messaging.EmailTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The nudge email; empty: the organization's “Nudge” template.",
    )
    nudge_unless_opened_hours = models.PositiveIntegerField(
        default=24, help_text="No nudge if the candidate opened the link this recently."
    )
    no_show_follow_up = models.CharField(
        max_length=12,
        choices=[
            ("notify", "Tell the team only"),
            ("new_link", "Email the candidate a fresh link to pick a new time"),
            ("stage", "Move the candidate to the stage named for no-shows"),
        ],
        default="notify",
    )
    no_show_stage_name = models.CharField(max_length=100, blank=True)
    notify_sender_on_expiry = models.BooleanField(
        default=False, help_text="Tell the sender when the link expires without a booking."
    )
    max_candidate_reschedules = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(20)],
        help_text="How many times a candidate may move their interview; empty: no limit.",
    )
    # --- Availability requests (issue 16; scheduling.services.availability) ---
    ask_availability = models.BooleanField(
        default=False,
        help_text="Ask for the candidate's availability instead of offering times.",
    )
    auto_schedule = models.BooleanField(
        default=False,
        help_text=(
            "When the candidate shares their availability, book the earliest time that fits "
            "everyone at once."
        ),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"], name="scheduling_template_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def interview_minutes(self) -> int:
        return self.duration_minutes or self.interview_template.duration_minutes

    def clean(self) -> None:
        """Refuse choices that could only fail later, when a candidate books."""
        errors: dict[str, str] = {}
        # A phone interview without a number here uses an interviewer's own (My Settings);
        # sending checks that one of them has it.
        if self.conferencing != ConferencingKind.PHONE and self.organization_id is not None:
            problem = conference_kind_problem(
                kind=self.conferencing, organization=self.organization
            )
            if problem:
                errors["conferencing"] = problem
        offsets_problem = reminder_offsets_problem(self.reminder_offsets_minutes)
        if offsets_problem:
            errors["reminder_offsets_minutes"] = offsets_problem
        nudges_problem = nudge_days_problem(self.nudge_after_days)
        if nudges_problem:
            errors["nudge_after_days"] = nudges_problem
        if self.no_show_follow_up == "stage" and not self.no_show_stage_name:
            errors["no_show_stage_name"] = "Name the stage to move no-shows to."
        if self.workflow_action == WorkflowAction.NAMED_STAGE and not self.move_to_stage_name:
            errors["move_to_stage_name"] = "Name the stage to move the candidate to."
        if errors:
            raise ValidationError(errors)


class StageTemplate(OrganizationScopedModel):
    """The self-schedule template a workflow stage sends with one click from the pipeline,
    preselected for a candidate in that stage. Scheduling holds the association (not a field
    on ``WorkflowStage``) because recruiting sits below scheduling and knows nothing of it."""

    stage = models.OneToOneField(
        "recruiting.WorkflowStage", on_delete=models.CASCADE, related_name="stage_template"
    )
    # PROTECT: a template a stage sends cannot be deleted (``template_users`` names the stage).
    template = models.ForeignKey(
        SelfScheduleTemplate, on_delete=models.PROTECT, related_name="stage_templates"
    )

    def __str__(self) -> str:
        return f"{self.stage} sends {self.template}"


class SchedulingRequest(OrganizationScopedModel):
    """One candidate's invitation to pick a time, reached through a secret link."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        OPENED = "opened", "Opened"
        # An ``ask_availability`` request before the candidate answered (opening it only
        # records ``opened_at``), and any request once they shared their availability.
        AVAILABILITY_REQUESTED = "availability_requested", "Availability requested"
        AVAILABILITY_RECEIVED = "availability_received", "Availability received"
        SCHEDULED = "scheduled", "Scheduled"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"
        FAILED = "failed", "Delivery failed"

    # Its link works and nothing is booked: it can expire, be resent, booked.
    WAITING = (
        Status.PENDING,
        Status.OPENED,
        Status.AVAILABILITY_REQUESTED,
        Status.AVAILABILITY_RECEIVED,
    )
    BOOKED = (Status.SCHEDULED, Status.RESCHEDULED)

    application = models.ForeignKey(
        "recruiting.Application", on_delete=models.CASCADE, related_name="scheduling_requests"
    )
    template = models.ForeignKey(
        SelfScheduleTemplate, on_delete=models.PROTECT, related_name="requests"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The link's token is never stored: only its digest (for lookup) and the nonce it is
    # derived from with the server's key (so later emails can carry the same link).
    token_digest = models.CharField(max_length=64, unique=True)
    token_nonce = models.CharField(max_length=64)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING)
    kind = models.CharField(
        max_length=20, choices=RequestKind.choices, default=RequestKind.OFFER_TIMES
    )
    expires_at = models.DateTimeField()
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    duration_minutes = models.PositiveIntegerField()
    email = models.ForeignKey(
        "messaging.OutgoingEmail", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    # When its expiry was announced (``scheduling_request.expired``); cleared by a resend
    # that gives it a fresh expiry.
    expiry_announced_at = models.DateTimeField(null=True, blank=True)
    # Expired and cancelled requests stay on the home page until someone dismisses them.
    dismissed_at = models.DateTimeField(null=True, blank=True)
    bulk_send = models.ForeignKey(
        "BulkSend", on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return f"{self.template} for {self.application}"

    def reopened_status(self) -> str:
        """Its status once the candidate cancelled their interview and the link is open
        again: an availability request asks for availability again (issue 16)."""
        if self.kind == RequestKind.ASK_AVAILABILITY:
            return self.Status.AVAILABILITY_REQUESTED
        return self.Status.OPENED

    def status_at(self, now: datetime) -> str:
        """The status a person should see: a waiting link past its expiry is expired, and
        one whose email could not be delivered has failed."""
        if self.status in self.WAITING:
            if self.expires_at <= now:
                return self.Status.EXPIRED
            if self.email is not None and self.email.status == "failed":
                return self.Status.FAILED
        return self.status


class RequestEvent(OrganizationScopedModel):
    """The request's timeline: what happened, by whom, when."""

    class Kind(models.TextChoices):
        SENT = "sent", "Sent"
        OPENED = "opened", "Opened"
        SCHEDULED = "scheduled", "Scheduled"
        RESCHEDULED = "rescheduled", "Rescheduled"
        CANCELLED = "cancelled", "Cancelled"
        AVAILABILITY_RECEIVED = "availability_received", "Availability received"

    request = models.ForeignKey(SchedulingRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    by_candidate = models.BooleanField(default=False)
    detail = models.TextField(blank=True)
    # Why it was moved (or cancelled), as the person said it (issue 17).
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Interview(OrganizationScopedModel):
    """A booked time. Rescheduling moves this row (same calendar UID, higher sequence)."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    request = models.ForeignKey(
        SchedulingRequest, on_delete=models.CASCADE, related_name="interviews"
    )
    application = models.ForeignKey(
        "recruiting.Application", on_delete=models.CASCADE, related_name="interviews"
    )
    interview_template = models.ForeignKey(
        "recruiting.InterviewTemplate", on_delete=models.PROTECT, related_name="+"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    candidate_time_zone = models.CharField(max_length=64)
    # The language the candidate booked in (the page's): their emails and invites use it.
    candidate_language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    sequence = models.PositiveIntegerField(default=0)
    conference_kind = models.CharField(max_length=20, choices=ConferencingKind.choices)
    conference_url = models.CharField(max_length=500, blank=True)
    conference_id = models.CharField(max_length=200, blank=True)
    conference_details = models.CharField(max_length=500, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(blank=True)
    # A session of a booked loop, at ``loop_position`` (0, 1, …); a single interview has no
    # loop and position 0. Position 0 is the request's "live interview" (the one link shows).
    loop = models.ForeignKey(
        "scheduling.InterviewLoop",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interviews",
    )
    loop_position = models.PositiveSmallIntegerField(default=0)
    # Who was drawn from each pool seat and why, one entry per seat:
    # {"pool_id", "pool", "user_id", "name", "reason"} (``scheduling.assignment``).
    assignment = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["organization", "status", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="scheduling_interview_ends_after_start"
            ),
            # One live interview per request: a loop's first session stands for the loop.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="scheduled", loop_position=0),
                name="scheduling_one_live_interview_per_request",
            ),
            models.UniqueConstraint(
                fields=["loop", "loop_position"],
                condition=Q(status="scheduled"),
                name="scheduling_one_live_session_per_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interview_template} at {self.start:%Y-%m-%d %H:%M}Z"

    @property
    def uid(self) -> str:
        """The iCalendar UID: the same for every version of this interview's events."""
        return f"{self.pk}@hireslot"


class InterviewerBooking(BaseModel):
    """One interviewer's hold on a time range. On PostgreSQL an exclusion constraint (added in
    the migration) refuses two active holds of one person that overlap."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="bookings")
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interview_bookings"
    )
    start = models.DateTimeField()
    end = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["interviewer", "active", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="scheduling_booking_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.interviewer} {self.start:%Y-%m-%d %H:%M}Z"


class Effect(OrganizationScopedModel):
    """One consequence of a booking, carried out by the worker; its state is shown to people."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", "Video meeting"
        CALENDAR_EVENT = "calendar_event", "Interviewer calendar event"
        CANDIDATE_INVITE = "candidate_invite", "Candidate invite email"
        TASK = "task", "Task"
        STAGE_MOVE = "stage_move", "Workflow stage move"
        NOTIFICATION = "notification", "Notification"

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        RETRYING = "retrying", "Retrying"
        FAILED = "failed", "Failed"

    class Action(models.TextChoices):
        BOOK = "book", "Booked"
        RESCHEDULE = "reschedule", "Rescheduled"
        CANCEL = "cancel", "Cancelled"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="effects")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    action = models.CharField(max_length=12, choices=Action.choices)
    # The interviewer whose calendar, or the person to notify.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, related_name="+"
    )
    # What the effect must carry out, fixed when it was written (times, sequence, actor).
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # What it made: the calendar event id, the email or task id.
    result_ref = models.CharField(max_length=255, blank=True)
    # A worker that calls a provider without an idempotency key (Zoom) holds the effect until
    # then, so two workers never both create.
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "kind"]
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_action_display()}): {self.state}"


class BulkSend(OrganizationScopedModel):
    """Sending one template to many candidates, carried out by the worker; its items are the
    per-candidate results people watch fill in."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Sending"
        DONE = "done", "Done"

    template = models.ForeignKey(SelfScheduleTemplate, on_delete=models.PROTECT, related_name="+")
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.template} to {self.total} candidates"


class BulkSendItem(BaseModel):
    class Outcome(models.TextChoices):
        WAITING = "waiting", "Waiting"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Skipped"
        FAILED = "failed", "Failed"

    bulk_send = models.ForeignKey(BulkSend, on_delete=models.CASCADE, related_name="items")
    application = models.ForeignKey(
        "recruiting.Application", on_delete=models.CASCADE, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.WAITING)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulk_send", "application"], name="scheduling_bulk_item_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application}: {self.outcome}"


from hireslot.scheduling.models.availability import (  # noqa: E402
    AvailabilityWindow,
    CandidateAvailability,
)
from hireslot.scheduling.models.loops import (  # noqa: E402
    InterviewLoop,
    LoopSession,
    LoopSessionSeat,
)
from hireslot.scheduling.models.pools import (  # noqa: E402
    InterviewerPool,
    PoolMember,
    TemplatePoolSeat,
)
from hireslot.scheduling.models.reminders import NoShow, Nudge, Reminder  # noqa: E402

__all__ = [
    "AvailabilityWindow",
    "BulkSend",
    "BulkSendItem",
    "CandidateAvailability",
    "Effect",
    "Interview",
    "InterviewLoop",
    "InterviewerBooking",
    "InterviewerPool",
    "LoopCalendar",
    "LoopConference",
    "LoopSession",
    "LoopSessionSeat",
    "NoShow",
    "Nudge",
    "PoolMember",
    "Reminder",
    "RequestEvent",
    "RequestKind",
    "SchedulingRequest",
    "SelfScheduleTemplate",
    "StageTemplate",
    "TemplatePoolSeat",
    "WorkflowAction",
]
