"""The organization page: its members, and inviting new ones (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from hireslot.accounts.access import member_required
from hireslot.accounts.forms import MemberInviteForm
from hireslot.accounts.models import Membership, Role
from hireslot.accounts.plans import organization_has_self_scheduling, self_scheduling_plan_names
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.core.errors import HireSlotError
from hireslot.messaging.member_invites import member_invite, member_invite_send


def _render(request: MemberRequest, form: MemberInviteForm, *, status: int = 200) -> HttpResponse:
    organization = request.organization
    return render(
        request,
        "web/settings.html",
        {
            "self_scheduling_included": organization_has_self_scheduling(organization),
            "self_scheduling_plans": self_scheduling_plan_names(),
            "members": organization.memberships.select_related("user").order_by("user__full_name"),
            "invite_form": form,
        },
        status=status,
    )


@member_required()
def organization_settings(request: MemberRequest) -> HttpResponse:
    return _render(request, MemberInviteForm())


@require_POST
@member_required(Role.ADMIN)
def member_invite_view(request: MemberRequest) -> HttpResponse:
    form = MemberInviteForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        membership = member_invite(
            organization=request.organization,
            email=form.cleaned_data["email"],
            full_name=form.cleaned_data["full_name"],
            role=Role(form.cleaned_data["role"]),
            invited_by=request.user,
        )
    except HireSlotError as error:
        form.add_error(None, error.message)
        return _render(request, form, status=error.status_code)
    messages.success(request, f"Invitation sent to {membership.user.email}.")
    return redirect("web:settings")


@require_POST
@member_required(Role.ADMIN)
def member_invite_resend(request: MemberRequest, membership_id: str) -> HttpResponse:
    membership = get_scoped_or_404(Membership, request.organization, pk=membership_id)
    try:
        member_invite_send(membership=membership, invited_by=request.user)
    except HireSlotError as error:
        messages.error(request, error.message)
        return _render(request, MemberInviteForm(), status=error.status_code)
    messages.success(request, f"A new invitation is on its way to {membership.user.email}.")
    return redirect("web:settings")
