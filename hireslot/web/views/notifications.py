"""The notification bell's page: what happened, and which notifications also come by email."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hireslot.accounts.access import member_required
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import scoped
from hireslot.recruiting import services as recruiting_services
from hireslot.recruiting.models import Notification, NotificationPreference


class NotificationPreferenceForm(forms.ModelForm[NotificationPreference]):
    class Meta:
        model = NotificationPreference
        fields = ["email_on_booked", "email_on_rescheduled", "email_on_cancelled"]


@member_required()
def notification_list(request: MemberRequest) -> HttpResponse:
    preference = recruiting_services.notification_preference_of(user=request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        recruiting_services.notification_preference_update(
            preference=preference,
            **{name: form.cleaned_data[name] for name in NotificationPreferenceForm.Meta.fields},
        )
        messages.success(request, "Your email preferences are saved.")
        return redirect("web:notifications")
    notifications = (
        scoped(Notification, request.organization)
        .filter(recipient=request.user)
        .select_related("target_type")[:100]
    )
    return render(request, "web/notifications.html", {"notifications": notifications, "form": form})


@require_POST
@member_required()
def notifications_read(request: MemberRequest) -> HttpResponse:
    recruiting_services.notifications_mark_read(
        recipient=request.user, organization=request.organization
    )
    return redirect("web:notifications")
