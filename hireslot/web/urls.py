from django.urls import include, path

from hireslot.web.views import connections as integrations
from hireslot.web.views import home as views
from hireslot.web.views import notifications
from hireslot.web.views import requests as scheduling
from hireslot.web.views import settings as members

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    # Template management and bulk sending keep their own URL modules.
    path("", include("hireslot.web.template_urls")),
    path("", include("hireslot.web.bulk_urls")),
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications-read"),
    path("candidates/", views.candidate_list, name="candidate-list"),
    path("candidates/<str:candidate_id>/", views.candidate_detail, name="candidate-detail"),
    path(
        "applications/<str:application_id>/self-schedule/compose/",
        scheduling.request_compose,
        name="request-compose",
    ),
    path(
        "applications/<str:application_id>/self-schedule/",
        scheduling.request_send,
        name="request-send",
    ),
    path("requests/<str:request_id>/cancel/", scheduling.request_cancel, name="request-cancel"),
    path("requests/<str:request_id>/resend/", scheduling.request_resend, name="request-resend"),
    path("requests/<str:request_id>/dismiss/", scheduling.request_dismiss, name="request-dismiss"),
    path("interviews/<str:interview_id>/", scheduling.interview_detail, name="interview-detail"),
    path(
        "interviews/<str:interview_id>/cancel/",
        scheduling.interview_cancel_view,
        name="interview-cancel",
    ),
    path(
        "interviews/<str:interview_id>/reschedule/",
        scheduling.interview_reschedule_view,
        name="interview-reschedule",
    ),
    path(
        "interviews/<str:interview_id>/effects/<str:effect_id>/retry/",
        scheduling.effect_retry_view,
        name="effect-retry",
    ),
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<str:job_id>/", views.job_detail, name="job-detail"),
    path(
        "templates/interviews/<str:template_id>/",
        views.interview_template_detail,
        name="interview-template-detail",
    ),
    path("settings/", views.my_settings, name="my-settings"),
    path("settings/connections/", integrations.connections, name="connections"),
    path(
        "settings/connections/caldav/", integrations.connection_caldav_add, name="connection-caldav"
    ),
    path("settings/connections/ics/", integrations.connection_ics_add, name="connection-ics"),
    path("settings/connections/zoom/remove/", integrations.zoom_remove, name="zoom-remove"),
    path(
        "settings/connections/<slug:provider>/connect/",
        integrations.connection_start,
        name="connection-start",
    ),
    path(
        "settings/connections/<slug:provider>/callback",
        integrations.connection_callback,
        name="connection-callback",
    ),
    path(
        "settings/connections/<str:connection_id>/refresh/",
        integrations.connection_refresh,
        name="connection-refresh",
    ),
    path(
        "settings/connections/<str:connection_id>/calendars/",
        integrations.connection_calendars,
        name="connection-calendars",
    ),
    path(
        "settings/connections/<str:connection_id>/events/",
        integrations.connection_for_events,
        name="connection-for-events",
    ),
    path(
        "settings/connections/<str:connection_id>/remove/",
        integrations.connection_remove,
        name="connection-remove",
    ),
    path("settings/integrations/", integrations.integrations, name="integrations"),
    path("settings/overrides/", views.date_override_add, name="date-override-add"),
    path(
        "settings/overrides/<str:override_id>/delete/",
        views.date_override_remove,
        name="date-override-delete",
    ),
    path("settings/organization/", members.organization_settings, name="settings"),
    path("settings/organization/members/", members.member_invite_view, name="member-invite"),
    path(
        "settings/organization/members/<str:membership_id>/invite/",
        members.member_invite_resend,
        name="member-invite-resend",
    ),
    path(
        "settings/organization/availability/",
        views.organization_availability_defaults_edit,
        name="availability-defaults",
    ),
    path("branding/<slug:slug>/logo", views.organization_logo, name="organization-logo"),
]
