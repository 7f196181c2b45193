from django.urls import path

from hireslot.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("candidates/", views.candidate_list, name="candidate-list"),
    path("candidates/<str:candidate_id>/", views.candidate_detail, name="candidate-detail"),
    path("jobs/", views.job_list, name="job-list"),
    path("jobs/<str:job_id>/", views.job_detail, name="job-detail"),
    path("templates/", views.template_list, name="template-list"),
    path(
        "templates/interviews/<str:template_id>/",
        views.interview_template_detail,
        name="interview-template-detail",
    ),
    path("settings/", views.organization_settings, name="settings"),
    path("branding/<slug:slug>/logo", views.organization_logo, name="organization-logo"),
]
