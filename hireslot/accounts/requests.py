"""The request a signed-in member's view receives, with its organization resolved."""

from __future__ import annotations

from django.http import HttpRequest

from hireslot.accounts.models import Membership, Organization, User


class MemberRequest(HttpRequest):
    """Set up by :class:`CurrentOrganizationMiddleware` and guaranteed by ``member_required``."""

    user: User
    organization: Organization
    membership: Membership
    memberships: list[Membership]
