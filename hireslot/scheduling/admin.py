from django import forms
from django.contrib import admin
from django.http import HttpRequest

from hireslot.accounts.admin import OrganizationAdmin
from hireslot.accounts.models import Organization
from hireslot.scheduling.models import (
    AvailabilityWindow,
    BulkSend,
    BulkSendItem,
    CandidateAvailability,
    Effect,
    Interview,
    InterviewerBooking,
    InterviewerPool,
    InterviewLoop,
    LoopSession,
    LoopSessionSeat,
    NoShow,
    Nudge,
    PoolMember,
    Reminder,
    RequestEvent,
    SchedulingRequest,
    SelfScheduleTemplate,
    StageTemplate,
    TemplatePoolSeat,
)
from hireslot.scheduling.services.starter import starter_templates_ensure


class OrganizationStartAdmin(OrganizationAdmin):
    """An organization added in the admin starts like one from ``organization_start``: with
    the starter templates. It replaces accounts' registration because accounts sits below
    scheduling and cannot seed them itself."""

    def save_model(
        self,
        request: HttpRequest,
        obj: Organization,
        form: forms.ModelForm[Organization],
        change: bool,
    ) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            starter_templates_ensure(organization=obj)


admin.site.unregister(Organization)
admin.site.register(Organization, OrganizationStartAdmin)


@admin.register(SelfScheduleTemplate)
class SelfScheduleTemplateAdmin(admin.ModelAdmin[SelfScheduleTemplate]):
    list_display = ["name", "interview_template", "conferencing", "organization"]
    list_filter = ["organization", "conferencing"]
    filter_horizontal = ["interviewers", "notify_users"]


class PoolMemberInline(admin.TabularInline[PoolMember, InterviewerPool]):
    model = PoolMember
    raw_id_fields = ["user"]
    extra = 0


@admin.register(InterviewerPool)
class InterviewerPoolAdmin(admin.ModelAdmin[InterviewerPool]):
    list_display = ["name", "organization", "max_per_day", "max_per_week"]
    list_filter = ["organization"]
    inlines = [PoolMemberInline]


@admin.register(PoolMember)
class PoolMemberAdmin(admin.ModelAdmin[PoolMember]):
    list_display = ["user", "pool", "weight", "active"]
    list_filter = ["active"]
    raw_id_fields = ["user", "pool"]


@admin.register(TemplatePoolSeat)
class TemplatePoolSeatAdmin(admin.ModelAdmin[TemplatePoolSeat]):
    list_display = ["template", "pool", "position"]
    raw_id_fields = ["template", "pool"]


@admin.register(LoopSession)
class LoopSessionAdmin(admin.ModelAdmin[LoopSession]):
    list_display = ["template", "position", "interview_template", "gap_after_minutes"]
    raw_id_fields = ["template", "interview_template"]
    filter_horizontal = ["interviewers"]


@admin.register(LoopSessionSeat)
class LoopSessionSeatAdmin(admin.ModelAdmin[LoopSessionSeat]):
    list_display = ["session", "pool", "position"]
    raw_id_fields = ["session", "pool"]


@admin.register(InterviewLoop)
class InterviewLoopAdmin(admin.ModelAdmin[InterviewLoop]):
    list_display = ["name", "application", "start", "status", "sequence"]
    list_filter = ["status", "organization"]
    raw_id_fields = ["request", "application"]


@admin.register(StageTemplate)
class StageTemplateAdmin(admin.ModelAdmin[StageTemplate]):
    list_display = ["stage", "template", "organization"]
    list_filter = ["organization"]
    raw_id_fields = ["stage", "template"]


@admin.register(SchedulingRequest)
class SchedulingRequestAdmin(admin.ModelAdmin[SchedulingRequest]):
    list_display = ["application", "template", "kind", "status", "expires_at", "created_at"]
    list_filter = ["status", "kind", "organization"]
    # The digest and nonce are secrets' inputs: never shown, never edited.
    exclude = ["token_digest", "token_nonce"]
    raw_id_fields = ["application", "sender", "email"]


class AvailabilityWindowInline(admin.TabularInline[AvailabilityWindow, CandidateAvailability]):
    model = AvailabilityWindow
    extra = 0


@admin.register(CandidateAvailability)
class CandidateAvailabilityAdmin(admin.ModelAdmin[CandidateAvailability]):
    """What a candidate said they could do (issue 16), with its windows."""

    list_display = ["request", "time_zone", "submitted_at"]
    raw_id_fields = ["request"]
    inlines = [AvailabilityWindowInline]


@admin.register(AvailabilityWindow)
class AvailabilityWindowAdmin(admin.ModelAdmin[AvailabilityWindow]):
    """One window on its own (support looking one up by time); edited with its availability."""

    list_display = ["availability", "start", "end"]
    raw_id_fields = ["availability"]


@admin.register(RequestEvent)
class RequestEventAdmin(admin.ModelAdmin[RequestEvent]):
    list_display = ["request", "kind", "actor", "by_candidate", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["request", "actor"]


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin[Interview]):
    list_display = ["interview_template", "application", "start", "status", "sequence"]
    list_filter = ["status", "organization"]
    raw_id_fields = ["request", "application", "loop"]


@admin.register(InterviewerBooking)
class InterviewerBookingAdmin(admin.ModelAdmin[InterviewerBooking]):
    list_display = ["interviewer", "start", "end", "active"]
    raw_id_fields = ["interview", "interviewer"]


@admin.register(Effect)
class EffectAdmin(admin.ModelAdmin[Effect]):
    list_display = ["interview", "kind", "action", "state", "attempts", "next_attempt_at"]
    list_filter = ["state", "kind"]
    raw_id_fields = ["interview", "user"]


class BulkSendItemInline(admin.TabularInline[BulkSendItem, BulkSend]):
    model = BulkSendItem
    raw_id_fields = ["application"]
    extra = 0


@admin.register(BulkSend)
class BulkSendAdmin(admin.ModelAdmin[BulkSend]):
    list_display = ["template", "sender", "status", "total", "created_at"]
    list_filter = ["status", "organization"]
    inlines = [BulkSendItemInline]


@admin.register(BulkSendItem)
class BulkSendItemAdmin(admin.ModelAdmin[BulkSendItem]):
    list_display = ["bulk_send", "application", "outcome", "reason"]
    list_filter = ["outcome"]
    raw_id_fields = ["bulk_send", "application"]


# Issue 17: reminders, nudges, no-shows.
@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin[Reminder]):
    list_display = ["interview", "audience", "channel", "due_at", "state", "reason", "attempts"]
    list_filter = ["state", "audience", "channel"]
    raw_id_fields = ["interview", "user"]


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin[Nudge]):
    list_display = ["request", "after_days", "due_at", "state", "reason"]
    list_filter = ["state"]
    raw_id_fields = ["request"]


@admin.register(NoShow)
class NoShowAdmin(admin.ModelAdmin[NoShow]):
    list_display = ["interview", "who", "marked_by", "created_at"]
    list_filter = ["who"]
    raw_id_fields = ["interview", "marked_by", "follow_up_request"]
