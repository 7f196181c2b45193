"""Reads about people and organizations used by more than one caller."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from hireslot.accounts.models import Membership, Organization, Role, User
from hireslot.core.errors import HireSlotError


def memberships_of(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organization")


def membership_choose(
    memberships: list[Membership], *, preferred_organization_id: str | None
) -> Membership | None:
    """The membership the user last switched to, else their first one (by organization name)."""
    for membership in memberships:
        if str(membership.organization_id) == preferred_organization_id:
            return membership
    return memberships[0] if memberships else None


def organization_members(*, organization: Organization) -> QuerySet[User]:
    return User.objects.filter(memberships__organization=organization, is_active=True).order_by(
        "full_name", "email"
    )


def organization_interviewers(*, organization: Organization) -> QuerySet[User]:
    """Everyone who can sit on an interview panel: every active member, whatever the role."""
    return organization_members(organization=organization)


def organization_admins(*, organization: Organization) -> QuerySet[User]:
    return organization_members(organization=organization).filter(
        memberships__organization=organization, memberships__role=Role.ADMIN
    )


def membership_for_switch(*, user: User, organization_id: str) -> Membership:
    """The membership to switch to; refuses organizations the user does not belong to."""
    try:
        return Membership.objects.select_related("organization").get(
            user=user, organization_id=organization_id
        )
    except (Membership.DoesNotExist, ValidationError, ValueError) as exc:
        # A malformed id from a tampered form is refused the same way as a foreign one.
        raise HireSlotError("You are not a member of that organization.") from exc
