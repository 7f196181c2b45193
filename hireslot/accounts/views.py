"""Thin views: switching organization, asking for a password reset."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hireslot.accounts import selectors, services
from hireslot.accounts.access import member_required
from hireslot.accounts.forms import PasswordResetRequestForm
from hireslot.accounts.middleware import SESSION_KEY
from hireslot.accounts.requests import MemberRequest
from hireslot.core.errors import HireSlotError


@require_POST
@member_required()
def organization_switch(request: MemberRequest) -> HttpResponse:
    try:
        membership = selectors.membership_for_switch(
            user=request.user, organization_id=request.POST.get("organization", "")
        )
    except HireSlotError as error:
        messages.error(request, error.message)
        return HttpResponse(error.message, status=400)
    request.session[SESSION_KEY] = str(membership.organization_id)
    messages.success(request, f"You are now working in {membership.organization.name}.")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)


def password_reset(request: HttpRequest) -> HttpResponse:
    """The same answer, in the same time, whether or not an account uses the address."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        return redirect("password_reset_done")
    return render(
        request,
        "registration/password_reset_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
