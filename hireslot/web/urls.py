"""Every recruiter page, grouped by page as hireslot.web.views is (namespace "web")."""

from django.urls import URLPattern, path

from hireslot.web.views import (
    api_keys,
    availability,
    bulk,
    candidates,
    connections,
    coordinator,
    emails,
    follow_ups,
    home,
    interviews,
    jobs,
    loops,
    notifications,
    pools,
    requests,
    settings,
    task_list,
    templates,
    webhooks,
)

app_name = "web"


def _template_patterns(prefix: str, kind: str, edit_suffix: str) -> list[URLPattern]:
    """Create, edit, duplicate and delete for one kind of template (``kind`` is passed to
    the view and names the URLs: web:<kind>-template-edit)."""
    base = f"templates/{prefix}/"
    kwargs = {"kind": kind}
    return [
        path(f"{base}new/", templates.template_create, kwargs, f"{kind}-template-create"),
        path(
            f"{base}<str:template_id>/{edit_suffix}",
            templates.template_edit,
            kwargs,
            f"{kind}-template-edit",
        ),
        path(
            f"{base}<str:template_id>/duplicate/",
            templates.template_duplicate,
            kwargs,
            f"{kind}-template-duplicate",
        ),
        path(
            f"{base}<str:template_id>/delete/",
            templates.template_delete,
            kwargs,
            f"{kind}-template-delete",
        ),
    ]


urlpatterns: list[URLPattern] = [
    # Home
    path("", home.home, name="home"),
    # Candidates
    path("candidates/", candidates.candidate_list, name="candidate-list"),
    path("candidates/<str:candidate_id>/", candidates.candidate_detail, name="candidate-detail"),
    path("candidates/<str:candidate_id>/edit/", candidates.candidate_edit, name="candidate-edit"),
    # Jobs
    path("jobs/", jobs.job_list, name="job-list"),
    path("jobs/<str:job_id>/", jobs.job_detail, name="job-detail"),
    # Sending from a job's pipeline, and bulk sends
    path(
        "jobs/<str:job_id>/stages/<str:stage_id>/template/",
        bulk.stage_template_assign,
        name="stage-template-assign",
    ),
    path(
        "jobs/<str:job_id>/applications/<str:application_id>/send/",
        bulk.pipeline_send,
        name="pipeline-send",
    ),
    path("jobs/<str:job_id>/bulk/", bulk.bulk_send_create, name="bulk-send-create"),
    path("bulk/<str:bulk_send_id>/", bulk.bulk_send_detail, name="bulk-send-detail"),
    path("bulk/<str:bulk_send_id>/progress/", bulk.bulk_send_progress, name="bulk-send-progress"),
    # Self-schedule requests
    path(
        "applications/<str:application_id>/self-schedule/compose/",
        requests.request_compose,
        name="request-compose",
    ),
    path(
        "applications/<str:application_id>/self-schedule/preview/",
        requests.request_compose_preview,
        name="request-compose-preview",
    ),
    path(
        "applications/<str:application_id>/self-schedule/",
        requests.request_send,
        name="request-send",
    ),
    # Coordinator scheduling: the recruiter books for the candidate (no link sent)
    path(
        "applications/<str:application_id>/schedule/",
        coordinator.coordinator_page,
        name="coordinator-page",
    ),
    path(
        "applications/<str:application_id>/schedule/<str:template_id>/slots/",
        coordinator.coordinator_slots,
        name="coordinator-slots",
    ),
    path(
        "applications/<str:application_id>/schedule/book/",
        coordinator.coordinator_book,
        name="coordinator-book",
    ),
    # A candidate's shared availability: review it, book a time that fits
    path(
        "requests/<str:scheduling_request_id>/availability/",
        availability.request_availability,
        name="request-availability",
    ),
    path(
        "requests/<str:scheduling_request_id>/book/",
        availability.request_book,
        name="request-book",
    ),
    path(
        "requests/<str:scheduling_request_id>/cancel/",
        requests.request_cancel,
        name="request-cancel",
    ),
    path(
        "requests/<str:scheduling_request_id>/resend/",
        requests.request_resend,
        name="request-resend",
    ),
    path(
        "requests/<str:scheduling_request_id>/undismiss/",
        requests.request_undismiss,
        name="request-undismiss",
    ),
    path(
        "requests/<str:scheduling_request_id>/dismiss/",
        requests.request_dismiss,
        name="request-dismiss",
    ),
    # Tasks
    path("tasks/", task_list.task_list, name="task-list"),
    path("tasks/<str:task_id>/done/", task_list.task_done, name="task-done"),
    # Sent emails, whole (the development console links here)
    path("emails/<str:email_id>/", emails.email_detail, name="email-detail"),
    # Interviews
    path("interviews/<str:interview_id>/", interviews.interview_detail, name="interview-detail"),
    # issue 17: no-shows and nudges
    path(
        "interviews/<str:interview_id>/no-show/",
        follow_ups.interview_no_show,
        name="interview-no-show",
    ),
    path("nudges/<str:nudge_id>/cancel/", follow_ups.nudge_cancel, name="nudge-cancel"),
    path(
        "interviews/<str:interview_id>/cancel/",
        interviews.interview_cancel,
        name="interview-cancel",
    ),
    path(
        "interviews/<str:interview_id>/swap/",
        interviews.interview_swap,
        name="interview-swap",
    ),
    path(
        "interviews/<str:interview_id>/steps/",
        interviews.interview_steps,
        name="interview-steps",
    ),
    path(
        "interviews/<str:interview_id>/slots/",
        interviews.interview_slots,
        name="interview-slots",
    ),
    path(
        "interviews/<str:interview_id>/reschedule/",
        interviews.interview_reschedule,
        name="interview-reschedule",
    ),
    path(
        "interviews/<str:interview_id>/effects/<str:effect_id>/retry/",
        interviews.effect_retry,
        name="effect-retry",
    ),
    # Templates. Order matters twice: the email preview before the email editor, which
    # would take "preview" for an id, and the interview editors ("new/") before the
    # interview template's own page, templates/interviews/<id>/, which calendar events link to.
    path("templates/", templates.template_list, name="template-list"),
    path(
        "templates/email/preview/",
        templates.email_template_preview,
        name="email-template-preview",
    ),
    *_template_patterns("self-schedule", "self-schedule", ""),
    path(
        "templates/self-schedule/<str:template_id>/sessions/",
        loops.loop_sessions_edit,
        name="self-schedule-template-sessions",
    ),
    *_template_patterns("email", "email", ""),
    path(
        "templates/email/<str:template_id>/languages/new/",
        templates.email_translation_create,
        name="email-translation-create",
    ),
    path(
        "templates/email/<str:template_id>/languages/<str:language>/",
        templates.email_translation_edit,
        name="email-translation-edit",
    ),
    path(
        "templates/email/<str:template_id>/languages/<str:language>/delete/",
        templates.email_translation_delete,
        name="email-translation-delete",
    ),
    *_template_patterns("task", "task", ""),
    *_template_patterns("interviews", "interview", "edit/"),
    path(
        "templates/interviews/<str:template_id>/",
        templates.interview_template_detail,
        name="interview-template-detail",
    ),
    # Settings: mine, then the organization's
    path("settings/", settings.my_settings, name="my-settings"),
    path("settings/overrides/", settings.date_override_add, name="date-override-add"),
    path(
        "settings/overrides/<str:override_id>/delete/",
        settings.date_override_remove,
        name="date-override-delete",
    ),
    path("settings/organization/", settings.organization_settings, name="settings"),
    path(
        "settings/organization/brand/", settings.organization_brand_edit, name="organization-brand"
    ),
    path("settings/organization/members/", settings.member_invite, name="member-invite"),
    path(
        "settings/organization/members/<str:membership_id>/invite/",
        settings.member_invite_resend,
        name="member-invite-resend",
    ),
    path(
        "settings/organization/availability/",
        settings.organization_availability_defaults_edit,
        name="availability-defaults",
    ),
    # Interviewer pools (recruiters and admins)
    path("settings/pools/", pools.pool_list, name="pools"),
    path("settings/pools/load/", pools.pool_load, name="pool-load"),
    path("settings/pools/<str:pool_id>/", pools.pool_detail, name="pool-detail"),
    path("settings/pools/<str:pool_id>/delete/", pools.pool_remove, name="pool-delete"),
    path("settings/pools/<str:pool_id>/members/", pools.pool_member_create, name="pool-member-add"),
    path(
        "settings/pools/<str:pool_id>/members/<str:member_id>/",
        pools.pool_member_edit,
        name="pool-member-edit",
    ),
    path("branding/<slug:slug>/logo", settings.organization_logo, name="organization-logo"),
    # Connections (calendars and Zoom, each person's) and integrations (the OAuth apps)
    path("settings/connections/", connections.connection_list, name="connections"),
    path(
        "settings/connections/caldav/", connections.connection_caldav_add, name="connection-caldav"
    ),
    path("settings/connections/ics/", connections.connection_ics_add, name="connection-ics"),
    # Before the <connection_id> patterns, which would take "zoom" for an id.
    path("settings/connections/zoom/remove/", connections.zoom_remove, name="zoom-remove"),
    path(
        "settings/connections/<slug:provider>/connect/",
        connections.connection_start,
        name="connection-start",
    ),
    path(
        "settings/connections/<slug:provider>/callback",
        connections.connection_callback,
        name="connection-callback",
    ),
    path(
        "settings/connections/<str:connection_id>/refresh/",
        connections.connection_refresh,
        name="connection-refresh",
    ),
    path(
        "settings/connections/<str:connection_id>/calendars/",
        connections.connection_calendars,
        name="connection-calendars",
    ),
    path(
        "settings/connections/<str:connection_id>/events/",
        connections.connection_for_events,
        name="connection-for-events",
    ),
    path(
        "settings/connections/<str:connection_id>/remove/",
        connections.connection_remove,
        name="connection-remove",
    ),
    path("settings/integrations/", connections.integrations, name="integrations"),
    path("settings/webhooks/", webhooks.webhook_list, name="webhooks"),
    path("settings/webhooks/<str:endpoint_id>/", webhooks.webhook_detail, name="webhook-detail"),
    path(
        "settings/webhooks/<str:endpoint_id>/enable/",
        webhooks.webhook_enable,
        name="webhook-enable",
    ),
    path(
        "settings/webhooks/<str:endpoint_id>/disable/",
        webhooks.webhook_disable,
        name="webhook-disable",
    ),
    path(
        "settings/webhooks/<str:endpoint_id>/rotate/",
        webhooks.webhook_rotate,
        name="webhook-rotate",
    ),
    path("settings/webhooks/<str:endpoint_id>/test/", webhooks.webhook_test, name="webhook-test"),
    path(
        "settings/webhooks/<str:endpoint_id>/delete/",
        webhooks.webhook_delete,
        name="webhook-delete",
    ),
    path(
        "settings/webhooks/<str:endpoint_id>/replay-failed/",
        webhooks.webhook_replay_failed,
        name="webhook-replay-failed",
    ),
    path(
        "settings/webhooks/<str:endpoint_id>/messages/<str:message_id>/replay/",
        webhooks.webhook_message_replay_view,
        name="webhook-message-replay",
    ),
    # API keys (admins)
    path("settings/api-keys/", api_keys.api_key_list, name="api-keys"),
    path(
        "settings/api-keys/<str:key_id>/revoke/",
        api_keys.api_key_revoke_confirm,
        name="api-key-revoke",
    ),
    # Notifications
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications-read"),
]
