"""Resolve which organization a signed-in user is working in for this request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from hireslot.accounts import selectors

SESSION_KEY = "hireslot_organization_id"


class CurrentOrganizationMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_any: Any = request
        request_any.organization = None
        request_any.membership = None
        request_any.memberships = []
        if request.user.is_authenticated:
            memberships = list(selectors.memberships_of(user=request.user))
            request_any.memberships = memberships
            membership = selectors.membership_choose(
                memberships, preferred_organization_id=request.session.get(SESSION_KEY)
            )
            if membership is not None:
                request_any.organization = membership.organization
                request_any.membership = membership
        return self.get_response(request)
