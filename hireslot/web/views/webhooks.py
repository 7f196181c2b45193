"""Settings → Webhooks (admins): endpoints, their secrets (shown once), test events, the
delivery log and replays. Thin: every rule lives in ``messaging.webhooks``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hireslot.accounts.access import member_required
from hireslot.accounts.models import Role
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.core import clock
from hireslot.messaging.models import WebhookEndpoint, WebhookMessage
from hireslot.messaging.webhooks import (
    ALL_EVENTS,
    WEBHOOK_EVENT_TYPES,
    WebhookValidationError,
    webhook_delivery_list,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_disable,
    webhook_endpoint_enable,
    webhook_endpoint_list,
    webhook_endpoint_secret_rotate,
    webhook_message_replay,
    webhook_messages_replay_failed,
    webhook_test_send,
)

LOG_ROWS = 100
EVENT_CHOICES = [(ALL_EVENTS, "All events, including ones added later")] + [
    (kind, kind) for kind in WEBHOOK_EVENT_TYPES
]


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="Endpoint URL",
        max_length=2000,
        help_text="HireSlot POSTs signed JSON here (https in production).",
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/webhooks/hireslot"}),
    )
    description = forms.CharField(label="Description", max_length=500, required=False)
    event_types = forms.MultipleChoiceField(
        label="Events to send",
        choices=EVENT_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=[ALL_EVENTS],
    )


class ReplayForm(forms.Form):
    since = forms.DateTimeField(
        label="From (UTC)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    until = forms.DateTimeField(
        label="Until (UTC)", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )


def _endpoint(request: MemberRequest, endpoint_id: str) -> WebhookEndpoint:
    return get_scoped_or_404(WebhookEndpoint, request.organization, pk=endpoint_id)


def _as_utc(moment: datetime) -> datetime:
    # The form's times are UTC, as its labels say: the wall-clock time typed, whatever
    # zone the form attached to it.
    return moment.replace(tzinfo=UTC)


@member_required(Role.ADMIN)
def webhook_list(request: MemberRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    secret = ""
    created: WebhookEndpoint | None = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = webhook_endpoint_create(
                organization=request.organization,
                url=form.cleaned_data["url"],
                description=form.cleaned_data["description"],
                event_types=form.cleaned_data["event_types"],
            )
        except WebhookValidationError as error:
            for problem in error.errors:
                form.add_error(
                    problem.field if problem.field in form.fields else None, problem.message
                )
        else:
            form = EndpointForm()
    status = 200 if request.method == "GET" or form.is_valid() or secret else 400
    return render(
        request,
        "web/webhooks.html",
        {
            "endpoints": webhook_endpoint_list(organization=request.organization),
            "form": form,
            "created": created,
            "secret": secret,
        },
        status=status,
    )


@member_required(Role.ADMIN)
def webhook_detail(request: MemberRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    now = clock.now()
    return render(
        request,
        "web/webhook_detail.html",
        {
            "endpoint": endpoint,
            "deliveries": webhook_delivery_list(endpoint=endpoint)[:LOG_ROWS],
            "failed": WebhookMessage.objects.filter(
                endpoint=endpoint, state=WebhookMessage.State.FAILED
            ).count(),
            "replay_form": ReplayForm(
                initial={
                    "since": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
                    "until": now.strftime("%Y-%m-%dT%H:%M"),
                }
            ),
        },
    )


@require_POST
@member_required(Role.ADMIN)
def webhook_enable(request: MemberRequest, endpoint_id: str) -> HttpResponse:
    webhook_endpoint_enable(endpoint=_endpoint(request, endpoint_id))
    messages.success(request, "The endpoint is enabled.")
    return redirect("web:webhook-detail", endpoint_id)


@require_POST
@member_required(Role.ADMIN)
def webhook_disable(request: MemberRequest, endpoint_id: str) -> HttpResponse:
    webhook_endpoint_disable(
        endpoint=_endpoint(request, endpoint_id),
        reason=f"Disabled by {request.user.get_full_name() or request.user.email}.",
    )
    messages.success(request, "The endpoint is disabled; nothing is sent to it until enabled.")
    return redirect("web:webhook-detail", endpoint_id)


@require_POST
@member_required(Role.ADMIN)
def webhook_rotate(request: MemberRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    secret = webhook_endpoint_secret_rotate(endpoint=endpoint)
    return render(
        request,
        "web/webhook_secret.html",
        {"endpoint": endpoint, "secret": secret, "rotated": True},
    )


@require_POST
@member_required(Role.ADMIN)
def webhook_test(request: MemberRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    if not endpoint.enabled:
        messages.error(request, "Enable the endpoint first.")
    else:
        message = webhook_test_send(endpoint=endpoint)
        messages.success(
            request, f"Test event {message.message_id} is on its way; the log below shows it."
        )
    return redirect("web:webhook-detail", endpoint_id)


@member_required(Role.ADMIN)
def webhook_delete(request: MemberRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    if request.method == "POST":
        webhook_endpoint_delete(endpoint=endpoint)
        messages.success(request, f"The endpoint {endpoint.url} is deleted.")
        return redirect("web:webhooks")
    return render(request, "web/webhook_delete.html", {"endpoint": endpoint})


@require_POST
@member_required(Role.ADMIN)
def webhook_message_replay_view(
    request: MemberRequest, endpoint_id: str, message_id: str
) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    message = get_scoped_or_404(
        WebhookMessage, request.organization, endpoint=endpoint, message_id=message_id
    )
    webhook_message_replay(message=message)
    messages.success(request, f"{message.message_id} will be sent again.")
    return redirect("web:webhook-detail", endpoint_id)


@require_POST
@member_required(Role.ADMIN)
def webhook_replay_failed(request: MemberRequest, endpoint_id: str) -> HttpResponse:
    endpoint = _endpoint(request, endpoint_id)
    form = ReplayForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter both times, as YYYY-MM-DD HH:MM.")
        return redirect("web:webhook-detail", endpoint_id)
    since, until = _as_utc(form.cleaned_data["since"]), _as_utc(form.cleaned_data["until"])
    if until <= since:
        messages.error(request, "The end of the range must come after its start.")
        return redirect("web:webhook-detail", endpoint_id)
    count = webhook_messages_replay_failed(
        organization=request.organization, since=since, until=until, endpoint=endpoint
    )
    messages.success(
        request, f"{count} failed message{'s' if count != 1 else ''} will be sent again."
    )
    return redirect("web:webhook-detail", endpoint_id)
