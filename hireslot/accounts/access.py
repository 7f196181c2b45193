"""Who may open a recruiter page: signed in, a member of an organization, in the right role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hireslot.accounts.models import Role
from hireslot.accounts.plans import organization_has_self_scheduling, self_scheduling_plan_names

View = TypeVar("View", bound=Callable[..., HttpResponse])


def member_required(*roles: Role) -> Callable[[View], View]:
    """Require a signed-in member of the current organization (with one of ``roles`` if given).

    Someone signed in without any membership sees a page saying so (403) rather than an error.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                return render(request, "accounts/no_organization.html", status=403)
            if roles and membership.role not in roles:
                return render(
                    request,
                    "accounts/role_required.html",
                    {"roles": [Role(r).label for r in roles]},
                    status=403,
                )
            return view(request, *args, **kwargs)

        return cast(View, wrapper)

    return decorator


def self_scheduling_plan_required(view: View) -> View:
    """Show the plan requirement instead of a self-scheduling page on plans without it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        organization = getattr(request, "organization", None)
        if organization is not None and not organization_has_self_scheduling(organization):
            return render(
                request,
                "accounts/plan_required.html",
                {"feature": "Self-scheduling", "plans": self_scheduling_plan_names()},
                status=403,
            )
        return view(request, *args, **kwargs)

    return cast(View, wrapper)


RECRUITING_ROLES = (Role.ADMIN, Role.RECRUITER)
