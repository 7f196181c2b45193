from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def current_organization(request: HttpRequest) -> dict[str, Any]:
    """Expose the current organization and the user's other organizations to every page."""
    organization = getattr(request, "organization", None)
    if organization is None:
        return {"current_organization": None, "my_memberships": []}
    return {
        "current_organization": organization,
        "current_membership": getattr(request, "membership", None),
        "my_memberships": getattr(request, "memberships", []),
    }
