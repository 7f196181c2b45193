"""Busy time: the cache that slot listing reads, the built-in calendar, and people's
connected calendars (with the OAuth apps they sign in through).

Every calendar provider (the built-in calendar, Google, Microsoft 365, CalDAV, ICS feeds)
writes busy instants into the cache; slot listing never calls a provider.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from hireslot.accounts.tenancy import OrganizationScopedModel
from hireslot.core.encryption import EncryptedJSONField
from hireslot.core.models import BaseModel


class BusySource(models.TextChoices):
    BUILT_IN = "built_in", "HireSlot calendar"
    GOOGLE = "google", "Google Calendar"
    MICROSOFT = "microsoft", "Microsoft 365"
    CALDAV = "caldav", "CalDAV"
    ICS_FEED = "ics_feed", "ICS feed"


class BusyInterval(BaseModel):
    """One busy instant range [start, end) of a person, in UTC, from one source."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="busy_intervals"
    )
    source = models.CharField(max_length=20, choices=BusySource.choices)
    # The source's own id for what made this busy (event id), so a refresh can replace it.
    source_ref = models.CharField(max_length=255, blank=True)
    # The uid of the HireSlot interview behind this busy time, if any. Slot listing leaves
    # these rows out because it is given booked interviews directly (and a reschedule must not
    # be blocked by the interview's own current time).
    interview_uid = models.CharField(max_length=255, blank=True, db_index=True)
    # Which part of the source this came from ("primary", "calendar:<id>", "address:<email>";
    # empty when the source is read whole), so an update that covers only one part (a
    # Microsoft push reads the primary calendar) replaces that part and nothing else.
    scope = models.CharField(max_length=320, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["user", "start", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="calendars_busy_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} busy {self.start:%Y-%m-%d %H:%M} to {self.end:%H:%M} ({self.source})"


class BusySync(BaseModel):
    """When a person's busy time from one source was last refreshed, and how that went."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="busy_syncs"
    )
    source = models.CharField(max_length=20, choices=BusySource.choices)
    refreshed_at = models.DateTimeField()
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source"], name="calendars_one_sync_per_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_source_display()} refreshed {self.refreshed_at}"


class CalendarEvent(BaseModel):
    """An event on HireSlot's built-in calendar: the calendar of anyone with no external one."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_events"
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    location = models.CharField(max_length=500, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    # Free events (reminders, all-hands one may skip) do not block bookings.
    busy = models.BooleanField(default=True)
    # Set on interview events only: the iCalendar UID ("<interview uuid>@hireslot") that lets
    # a retried or rescheduled booking find its event again instead of adding a second one.
    uid = models.CharField(max_length=255, blank=True, db_index=True)
    # iCalendar SEQUENCE of the stored version: an older retry arriving after a reschedule
    # carries a lower number and must not move the event back.
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["start"]
        indexes = [models.Index(fields=["owner", "start"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="calendars_event_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["owner", "uid"],
                condition=~Q(uid=""),
                name="calendars_event_uid_unique_per_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class OAuthProvider(models.TextChoices):
    GOOGLE = "google", "Google"
    MICROSOFT = "microsoft", "Microsoft 365"
    ZOOM = "zoom", "Zoom"


class OAuthApp(OrganizationScopedModel):
    """An OAuth client an admin installed for the organization (Integrations page)."""

    provider = models.CharField(max_length=20, choices=OAuthProvider.choices)
    client_id = models.CharField(max_length=300)
    # {"client_secret": "..."}; encrypted at rest.
    secrets = EncryptedJSONField(blank=True)
    # Microsoft: "organizations" (work accounts), "common" (also personal) or a tenant id.
    tenant = models.CharField(max_length=100, blank=True, default="organizations")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "provider"], name="calendars_one_app_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} app of {self.organization}"

    @property
    def client_secret(self) -> str:
        return str(self.secrets.get("client_secret", ""))


class ConnectionStatus(models.TextChoices):
    ACTIVE = "active", "Connected"
    NEEDS_RECONNECT = "needs_reconnect", "Needs reconnecting"
    BROKEN = "broken", "Broken"


class AccountConnection(BaseModel):
    """A person's account at a remote service (a calendar, Zoom): what every connection has,
    so marking one broken and alerting its owner (``calendars.connections.connection_break``)
    works on any of them.

    Personal like My Settings (decision 0002); ``organization`` names whose OAuth app issued
    the tokens, so refreshing uses the same client.
    """

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The account as the person knows it: an email address, a CalDAV user, a feed's name.
    account = models.CharField(max_length=300)
    # Tokens ({"access_token", "refresh_token", "expires_at", "scope"}), or CalDAV
    # {"url", "username", "password"}, or {"url"} of a secret ICS feed; encrypted at rest.
    credentials = EncryptedJSONField(blank=True)
    status = models.CharField(
        max_length=20, choices=ConnectionStatus.choices, default=ConnectionStatus.ACTIVE
    )
    last_error = models.TextField(blank=True)
    # When the owner was last told it broke (so one outage alerts once).
    alerted_at = models.DateTimeField(null=True, blank=True)
    # Each kind declares its own ``user`` (a person has many calendars but one Zoom); every
    # one has this column. An annotation only: it adds no field.
    user_id: UUID

    class Meta:
        abstract = True


class CalendarConnection(AccountConnection):
    """A person's external calendar: where busy time comes from and interview events go."""

    class Provider(models.TextChoices):
        GOOGLE = "google", "Google Calendar"
        MICROSOFT = "microsoft", "Microsoft 365"
        CALDAV = "caldav", "CalDAV"
        ICS_FEED = "ics_feed", "ICS feed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_connections"
    )
    provider = models.CharField(max_length=20, choices=Provider.choices)
    last_synced_at = models.DateTimeField(null=True, blank=True)
    # Provider calendar ids whose events count as busy; empty = the primary calendar.
    busy_calendars = models.JSONField(default=list, blank=True)
    # Where interview events go; empty = the primary calendar. One connection per person
    # receives events (``receives_events``).
    event_calendar = models.CharField(max_length=500, blank=True)
    receives_events = models.BooleanField(default=False)
    # Incremental sync and push state (sync tokens, delta links, watch channels, subscriptions).
    # A subscription's secret (Graph's clientState) is kept only as its SHA-256 digest.
    sync_state = models.JSONField(default=dict, blank=True)
    # Set just before a Graph subscription is created and cleared after: only until then
    # does the webhook echo Graph's validation token for this connection.
    push_validation_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["provider", "account"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "provider", "account"], name="calendars_connection_unique"
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(receives_events=True),
                name="calendars_one_event_calendar_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} · {self.account}"
