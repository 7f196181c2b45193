from django.contrib import admin

from hireslot.messaging.models import EmailTemplate, OutgoingEmail


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin[EmailTemplate]):
    list_display = ["name", "subject", "organization"]
    list_filter = ["organization"]
    search_fields = ["name", "subject"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin[OutgoingEmail]):
    """Read-mostly: operators look up what was sent and why delivery failed."""

    list_display = ["subject", "to", "kind", "status", "attempts", "created_at", "organization"]
    list_filter = ["status", "kind", "calendar_method", "organization"]
    search_fields = ["to", "subject"]
    # An invite edited by hand would reach the candidate's calendar with a UID and SEQUENCE
    # the scheduling app no longer tracks; reschedule or cancel the interview instead.
    readonly_fields = ["attempts", "last_error", "sent_at", "calendar_ics", "calendar_method"]
