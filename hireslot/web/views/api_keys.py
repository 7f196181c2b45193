"""Settings → API keys (admins): make a key (its secret shown once), see when each was last
used, revoke one after confirming."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from hireslot.accounts.access import member_required
from hireslot.accounts.models import Role
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.api.keys import api_key_create, api_key_revoke, api_keys_of
from hireslot.api.models import ApiKey
from hireslot.core.errors import HireSlotError


class ApiKeyForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What will use it, e.g. “Greenhouse” or “nightly sync script”."
    )
    read_only = forms.BooleanField(
        required=False, label="Read-only", help_text="It can read everything but change nothing."
    )


def _page(
    request: MemberRequest, form: ApiKeyForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "web/api_keys.html",
        {"form": form, "keys": api_keys_of(organization=request.organization), "secret": secret},
        status=status,
    )


@member_required(Role.ADMIN)
def api_key_list(request: MemberRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, ApiKeyForm())
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        new = api_key_create(
            organization=request.organization,
            name=form.cleaned_data["name"],
            read_only=form.cleaned_data["read_only"],
            created_by=request.user,
        )
    except HireSlotError as error:
        form.add_error("name", error.message)
        return _page(request, form, status=error.status_code)
    # Shown on this answer only (never stored, never in a redirect's URL or the session).
    return _page(request, ApiKeyForm(), secret=new.secret, status=201)


@member_required(Role.ADMIN)
def api_key_revoke_confirm(request: MemberRequest, key_id: str) -> HttpResponse:
    key = get_scoped_or_404(ApiKey, request.organization, pk=key_id)
    if request.method == "POST":
        api_key_revoke(key=key)
        messages.success(request, f"Revoked “{key.name}”: it no longer works.")
        return redirect("web:api-keys")
    return render(request, "web/api_key_revoke.html", {"key": key})
