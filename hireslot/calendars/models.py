"""Busy time: the cache that slot listing reads, and the built-in calendar that fills it.

Calendar providers (built-in now; Google, Microsoft, CalDAV and ICS feeds later) write busy
instants here; slot listing never calls a provider.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

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
