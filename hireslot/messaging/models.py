"""Email templates that recruiters write, every email and text message sent (and who agreed
to texts), members' notifications, and webhooks (endpoints, the outbox of messages, and every
delivery attempt)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from hireslot.accounts.tenancy import OrganizationScopedModel
from hireslot.core.encryption import EncryptedJSONField
from hireslot.core.languages import CANDIDATE_LANGUAGES
from hireslot.core.models import BaseModel
from hireslot.core.validators import validate_single_line
from hireslot.messaging.merge_fields import merge_template_validate


class EmailTemplate(OrganizationScopedModel):
    """Subject and body with merge fields such as ``{{ candidate.first_name }}``."""

    name = models.CharField(max_length=200, validators=[validate_single_line])
    subject = models.CharField(
        max_length=300, validators=[validate_single_line, merge_template_validate]
    )
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


class EmailTemplateTranslation(OrganizationScopedModel):
    """The same email in one more language, sent instead of the template's own text to a
    candidate who reads that language (decision: email templates per language). The
    template stays the one thing chosen, used and protected from deletion; its versions are
    deleted with it."""

    template = models.ForeignKey(
        EmailTemplate, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(max_length=10, choices=CANDIDATE_LANGUAGES)
    subject = models.CharField(
        max_length=300, validators=[validate_single_line, merge_template_validate]
    )
    body = models.TextField(validators=[merge_template_validate])

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "language"], name="messaging_email_template_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} ({self.get_language_display()})"


class OutgoingEmail(OrganizationScopedModel):
    """Every email HireSlot sends on an organization's behalf: stored first (it shows on the
    candidate's timeline), then delivered by the worker through the configured backend."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Retrying"
        FAILED = "failed", "Failed"

    class CalendarMethod(models.TextChoices):
        # The iTIP method (RFC 5546) of the attached invite; it must match the METHOD inside
        # calendar_ics, because clients read it from the MIME part's Content-Type.
        REQUEST = "REQUEST", "Request (new or changed invite)"
        CANCEL = "CANCEL", "Cancel"

    # Whom the email is about (the candidate, for scheduling emails): a generic target, so
    # messaging, below every app that sends email, needs none of them. recruiting.Candidate
    # reads its emails back through a GenericRelation (``candidate.emails``, and
    # ``OutgoingEmail.objects.filter(candidate=...)``), which also deletes them with it.
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.UUIDField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(max_length=50, help_text="What the email is for, e.g. request.")
    from_name = models.CharField(max_length=200)
    from_address = models.EmailField()
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    calendar_ics = models.TextField(
        blank=True, help_text="An iCalendar object sent as a calendar invite (iMIP)."
    )
    calendar_method = models.CharField(max_length=10, choices=CalendarMethod.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # While ``sending``: the delivering worker's lease (decision 0009). A row still sending
    # after it is claimed again, so a worker killed mid-send never strands it.
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]
        constraints = [
            # An invite without a method (or a method without an invite) could not be sent
            # as a valid iMIP message.
            models.CheckConstraint(
                condition=models.Q(calendar_ics="", calendar_method="")
                | (
                    ~models.Q(calendar_ics="") & models.Q(calendar_method__in=["REQUEST", "CANCEL"])
                ),
                name="messaging_outgoing_email_calendar_method",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"


class OutgoingTextMessage(OrganizationScopedModel):
    """Every text message HireSlot sends on an organization's behalf: stored first, then
    delivered by the worker through the configured provider (the email outbox, for phones).
    Only ever written for a number whose owner agreed to texts and has not replied STOP."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Retrying"
        FAILED = "failed", "Failed"

    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.UUIDField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(max_length=50, help_text="What the message is for, e.g. reminder.")
    to = models.CharField(max_length=20, help_text="E.164, e.g. +14155550123.")
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_message_id = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # While ``sending``: the delivering worker's lease (decision 0009), as for email.
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"]),
            models.Index(fields=["to", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.to}"


class TextMessageConsent(OrganizationScopedModel):
    """A person's agreement to get text messages from an organization at one number, and
    whether they have since replied STOP. Texts go only to numbers with a consent that is not
    opted out; the provider's own STOP filtering is the second line, not the first."""

    phone = models.CharField(max_length=20, help_text="E.164, e.g. +14155550123.")
    consented_at = models.DateTimeField()
    source = models.CharField(max_length=100, help_text="Where they agreed, e.g. booking page.")
    opted_out_at = models.DateTimeField(null=True, blank=True)
    opt_out_keyword = models.CharField(max_length=20, blank=True)

    class Meta:
        ordering = ["-consented_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "phone"], name="messaging_text_consent_phone"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.phone} ({'opted out' if self.opted_out_at else 'consented'})"


class Notification(OrganizationScopedModel):
    """Something a member should know about ("Ada booked a Manager Interview"). Written only
    by ``messaging.notifications.notification_send``."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(max_length=200)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    target_id = models.UUIDField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Moved from recruiting (issue 10) without moving a row: the table and its index keep
        # the names recruiting gave them.
        db_table = "recruiting_notification"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="recruiting__recipie_528eaf_idx")
        ]

    def __str__(self) -> str:
        return self.verb

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(BaseModel):
    """Which notifications also come by email; in-app notifications always appear, and
    topics with no field here (a broken connection) are always emailed (decision 0013)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email_on_booked = models.BooleanField("Email me when an interview is booked", default=True)
    email_on_rescheduled = models.BooleanField(
        "Email me when an interview is rescheduled", default=True
    )
    email_on_cancelled = models.BooleanField(
        "Email me when an interview is cancelled", default=True
    )

    class Meta:
        db_table = "recruiting_notificationpreference"

    def __str__(self) -> str:
        return f"Notification preferences of {self.user}"


class WebhookEndpoint(OrganizationScopedModel):
    """Where an organization wants to be told of changes (Standard Webhooks, decision
    0022). Its secrets are encrypted at rest; during a rotation the previous one
    keeps signing until ``previous_secret_expires_at``."""

    url = models.CharField(max_length=2000)
    description = models.CharField(max_length=500, blank=True)
    # Event types it receives; ["*"] for every type.
    event_types = models.JSONField(default=list)
    # {"current": "whsec_...", "previous": "whsec_..." (during a rotation)}.
    secrets = EncryptedJSONField()
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    # Since when every attempt has failed (None while the last attempt succeeded).
    failing_since = models.DateTimeField(null=True, blank=True)
    # When the admins were told it fails (once per run of failures).
    failure_alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.url


class WebhookMessage(OrganizationScopedModel):
    """One event for one endpoint: the outbox row, written in the transaction of the change
    that caused it. ``message_id`` is the ``webhook-id`` header, the same on every retry and
    replay."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="messages")
    message_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=100)
    # The whole body: {"type", "timestamp", "data"}; sent as JSON with sorted keys.
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    # ``attempts`` when the current round began (a replay starts the retry schedule again).
    round_started_after = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    # While a worker sends it: that worker's lease (decision 0009).
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="messaging_webhook_due"),
            models.Index(fields=["organization", "state", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.message_id}"


class WebhookDelivery(OrganizationScopedModel):
    """One attempt to deliver a message: what the delivery log shows."""

    message = models.ForeignKey(WebhookMessage, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    attempt = models.PositiveIntegerField()
    succeeded = models.BooleanField(default=False)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    # The first bytes of the response (at most 1 KB, as text).
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["endpoint", "created_at"])]

    def __str__(self) -> str:
        return f"attempt {self.attempt} of message {self.message.message_id}"
