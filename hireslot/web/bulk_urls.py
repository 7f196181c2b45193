"""The job pipeline's sending controls and bulk sends (included from ``web.urls``)."""

from django.urls import URLPattern, path

from hireslot.web.views import bulk as bulk_views

urlpatterns: list[URLPattern] = [
    path(
        "jobs/<str:job_id>/stages/<str:stage_id>/template/",
        bulk_views.stage_template_assign_view,
        name="stage-template-assign",
    ),
    path(
        "jobs/<str:job_id>/applications/<str:application_id>/send/",
        bulk_views.pipeline_send,
        name="pipeline-send",
    ),
    path("jobs/<str:job_id>/bulk/", bulk_views.bulk_send_create, name="bulk-send-create"),
    path("bulk/<str:bulk_send_id>/", bulk_views.bulk_send_detail, name="bulk-send-detail"),
    path(
        "bulk/<str:bulk_send_id>/progress/",
        bulk_views.bulk_send_progress_partial,
        name="bulk-send-progress",
    ),
]
