"""The notification bell's page: what happened, and which notifications also come by email."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hireslot.accounts.access import member_required
from hireslot.accounts.requests import MemberRequest
from hireslot.messaging import notifications, selectors
from hireslot.messaging.models import NotificationPreference


class NotificationPreferenceForm(forms.ModelForm[NotificationPreference]):
    class Meta:
        model = NotificationPreference
        fields = ["email_on_booked", "email_on_rescheduled", "email_on_cancelled"]


@member_required()
def notification_list(request: MemberRequest) -> HttpResponse:
    preference = selectors.notification_preference_of(user=request.user)
    form = NotificationPreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        notifications.notification_preference_update(
            user=request.user,
            **{name: form.cleaned_data[name] for name in NotificationPreferenceForm.Meta.fields},
        )
        messages.success(request, "Your email preferences are saved.")
        return redirect("web:notifications")
    shown = selectors.notification_list(organization=request.organization, recipient=request.user)
    return render(request, "web/notifications.html", {"notifications": shown, "form": form})


@require_POST
@member_required()
def notifications_read(request: MemberRequest) -> HttpResponse:
    notifications.notifications_mark_read(recipient=request.user, organization=request.organization)
    return redirect("web:notifications")
