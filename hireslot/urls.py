from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from hireslot.accounts import views as account_views
from hireslot.accounts.forms import LoginForm
from hireslot.calendars import views as calendar_views
from hireslot.messaging.text_messages.inbound import text_message_inbound
from hireslot.web.views import health as web_health

# A database outage is a 503 with Retry-After (JSON for JSON clients), rendered without it.
handler500 = "hireslot.core.views.server_error"
# Branded, in the candidate's language under /s/; JSON for JSON clients (web.views.errors).
handler400 = "hireslot.web.views.errors.bad_request"
handler403 = "hireslot.web.views.errors.permission_denied"
handler404 = "hireslot.web.views.errors.page_not_found"

urlpatterns = [
    path("healthz", web_health.health, name="health"),
    path("admin/", admin.site.urls),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/password_reset/", account_views.password_reset, name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/invite/<uidb64>/<token>/",
        account_views.InviteAcceptView.as_view(),
        name="invite_accept",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("organization/switch", account_views.organization_switch, name="organization-switch"),
    # Replies to the installation's text message number (STOP / START), signed by the
    # provider; before the calendar hooks, whose pattern it would match.
    path("hooks/text-messages/inbound", text_message_inbound, name="text-message-inbound"),
    # Calendar providers' push notifications (checked against each connection's secret).
    path("hooks/<slug:provider>/<str:connection_id>", calendar_views.push_hook, name="push-hook"),
    # REST API v1 (API keys; its errors are JSON): hireslot/api, docs/api.md.
    path("api/v1/", include("hireslot.api.urls")),
    # Candidates' secret links: no login, the token is the credential.
    path("s/", include("hireslot.scheduling.urls")),
    path("", include("hireslot.web.urls")),
]
