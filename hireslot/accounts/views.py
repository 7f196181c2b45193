"""Thin views: switching organization."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hireslot.accounts import selectors
from hireslot.accounts.access import member_required
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
