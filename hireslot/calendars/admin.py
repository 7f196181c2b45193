from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hireslot.calendars.models import (
    BusyInterval,
    BusySync,
    CalendarConnection,
    CalendarEvent,
    OAuthApp,
)
from hireslot.calendars.services import calendar_event_delete, calendar_event_update


@admin.register(BusyInterval)
class BusyIntervalAdmin(admin.ModelAdmin[BusyInterval]):
    list_display = ["user", "source", "start", "end"]
    list_filter = ["source"]
    search_fields = ["user__email"]


@admin.register(BusySync)
class BusySyncAdmin(admin.ModelAdmin[BusySync]):
    list_display = ["user", "source", "refreshed_at", "last_error"]
    list_filter = ["source"]


@admin.register(CalendarEvent)
class CalendarEventAdmin(admin.ModelAdmin[CalendarEvent]):
    list_display = ["title", "owner", "start", "end", "busy"]
    search_fields = ["title", "owner__email"]

    def save_model(self, request: HttpRequest, obj: CalendarEvent, form: Any, change: bool) -> None:
        # Through the service, so the busy cache follows edits made here.
        if not change:
            obj.save()
        calendar_event_update(event=obj, start=obj.start, end=obj.end, title=obj.title)

    def delete_model(self, request: HttpRequest, obj: CalendarEvent) -> None:
        calendar_event_delete(event=obj)


@admin.register(OAuthApp)
class OAuthAppAdmin(admin.ModelAdmin[OAuthApp]):
    list_display = ["provider", "organization", "client_id"]
    list_filter = ["provider"]
    # The client secret is set on the Integrations page and never shown again.
    exclude = ["secrets"]


@admin.register(CalendarConnection)
class CalendarConnectionAdmin(admin.ModelAdmin[CalendarConnection]):
    list_display = ["user", "provider", "account", "status", "last_synced_at", "receives_events"]
    list_filter = ["provider", "status"]
    exclude = ["credentials"]
    raw_id_fields = ["user"]
    readonly_fields = ["last_error", "last_synced_at", "alerted_at", "sync_state"]
