from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from hireslot.accounts.admin import MembershipAdmin
from hireslot.accounts.models import Membership, User
from hireslot.core.errors import HireSlotError
from hireslot.messaging.member_invites import member_invite_send
from hireslot.messaging.models import (
    EmailTemplate,
    EmailTemplateTranslation,
    Notification,
    NotificationPreference,
    OutgoingEmail,
    OutgoingTextMessage,
    TextMessageConsent,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookMessage,
)


@admin.register(EmailTemplate)
class EmailTemplateAdmin(admin.ModelAdmin[EmailTemplate]):
    list_display = ["name", "subject", "organization"]
    list_filter = ["organization"]
    search_fields = ["name", "subject"]


@admin.register(EmailTemplateTranslation)
class EmailTemplateTranslationAdmin(admin.ModelAdmin[EmailTemplateTranslation]):
    list_display = ["template", "language", "subject", "organization"]
    list_filter = ["language", "organization"]
    search_fields = ["template__name", "subject"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin[OutgoingEmail]):
    """Read-mostly: operators look up what was sent and why delivery failed."""

    list_display = ["subject", "to", "kind", "status", "attempts", "created_at", "organization"]
    list_filter = ["status", "kind", "calendar_method", "organization"]
    search_fields = ["to", "subject"]
    # An invite edited by hand would reach the candidate's calendar with a UID and SEQUENCE
    # the scheduling app no longer tracks; reschedule or cancel the interview instead.
    readonly_fields = ["attempts", "last_error", "sent_at", "calendar_ics", "calendar_method"]


class MembershipWithInvitesAdmin(MembershipAdmin):
    """The membership admin with an action to send invitations. Registered here, not in
    accounts, because the invitation is an outgoing email and accounts sits below messaging."""

    actions = ["invitation_send"]

    @admin.action(description="Send a new invitation (set-password link)")
    def invitation_send(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        user = request.user if isinstance(request.user, User) else None
        sent = 0
        for membership in queryset.select_related("user", "organization"):
            try:
                member_invite_send(membership=membership, invited_by=user)
            except HireSlotError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(request, f"{sent} invitation(s) queued.", messages.SUCCESS)


admin.site.unregister(Membership)
admin.site.register(Membership, MembershipWithInvitesAdmin)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin[Notification]):
    list_display = ["verb", "recipient", "read_at", "organization"]
    list_filter = ["organization"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin[NotificationPreference]):
    list_display = ["user", "email_on_booked", "email_on_rescheduled", "email_on_cancelled"]
    raw_id_fields = ["user"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin[WebhookEndpoint]):
    """Operators look; admins manage endpoints on Settings → Webhooks. The secrets never show."""

    list_display = ["url", "enabled", "failing_since", "created_at", "organization"]
    list_filter = ["enabled", "organization"]
    search_fields = ["url", "description"]
    exclude = ["secrets"]
    readonly_fields = ["previous_secret_expires_at", "failing_since", "failure_alerted_at"]


@admin.register(WebhookMessage)
class WebhookMessageAdmin(admin.ModelAdmin[WebhookMessage]):
    list_display = [
        "message_id",
        "event_type",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
    ]
    list_filter = ["state", "event_type", "organization"]
    search_fields = ["message_id"]
    raw_id_fields = ["endpoint"]
    readonly_fields = ["message_id", "payload", "attempts", "delivered_at", "claimed_until"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ["message", "attempt", "succeeded", "status_code", "response_ms", "created_at"]
    list_filter = ["succeeded", "organization"]
    raw_id_fields = ["message", "endpoint"]


@admin.register(OutgoingTextMessage)
class OutgoingTextMessageAdmin(admin.ModelAdmin[OutgoingTextMessage]):
    """Read-mostly, as for email: what was texted, and why delivery failed."""

    list_display = ["to", "kind", "status", "attempts", "created_at", "organization"]
    list_filter = ["status", "kind", "organization"]
    search_fields = ["to", "body"]
    readonly_fields = ["provider_message_id", "sent_at", "claimed_until", "attempts", "last_error"]


@admin.register(TextMessageConsent)
class TextMessageConsentAdmin(admin.ModelAdmin[TextMessageConsent]):
    list_display = ["phone", "consented_at", "source", "opted_out_at", "organization"]
    list_filter = ["organization"]
    search_fields = ["phone"]
