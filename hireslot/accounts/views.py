"""Thin views: switching organization, asking for a password reset, accepting an invitation."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetConfirmView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hireslot.accounts import selectors, services
from hireslot.accounts.access import member_required
from hireslot.accounts.forms import PasswordResetRequestForm
from hireslot.accounts.invites import invite_token_generator
from hireslot.accounts.middleware import SESSION_KEY
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.throttling import login_failures_forget
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


class PasswordResetConfirm(PasswordResetConfirmView):
    """Django's view; a new password also lifts the account's login pause."""

    def form_valid(self, form: SetPasswordForm[Any]) -> HttpResponse:
        response = super().form_valid(form)
        login_failures_forget(email=form.user.email)
        return response


class InviteAcceptView(PasswordResetConfirmView):
    """A new member's invitation link: choose a password, and be logged in.

    Django's reset flow with the invitation token: the token moves from the URL to the session
    before the form is shown, so it does not leak through the Referer header.
    """

    token_generator = invite_token_generator
    template_name = "registration/invite_accept.html"
    reset_url_token = "set-password"  # noqa: S105 (a URL segment, not a password)
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("web:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "invite_days": settings.HIRESLOT_INVITE_DAYS}

    def render_to_response(self, context: dict[str, Any], **kwargs: Any) -> HttpResponse:
        # A used or expired link is gone for good: 410, with a page that says what to do.
        if not context.get("validlink"):
            kwargs["status"] = 410
        return super().render_to_response(context, **kwargs)
