"""Writes about organizations and people."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from hireslot.accounts.models import (
    AvailabilitySettings,
    Membership,
    Organization,
    Plan,
    Role,
    User,
)


@transaction.atomic
def organization_create(
    *,
    name: str,
    slug: str | None = None,
    plan: Plan = Plan.STARTER,
    default_time_zone: str = "UTC",
    scheduling_sender_name: str = "",
    scheduling_sender_email: str = "",
) -> Organization:
    organization = Organization(
        name=name,
        slug=slug or slugify(name),
        plan=plan,
        default_time_zone=default_time_zone,
        scheduling_sender_name=scheduling_sender_name or name,
        scheduling_sender_email=scheduling_sender_email,
    )
    organization.full_clean()
    organization.save()
    return organization


@transaction.atomic
def user_create(
    *, email: str, full_name: str, password: str | None, time_zone: str = "UTC"
) -> User:
    user = User.objects.create_user(email=email, password=password, full_name=full_name)
    settings = AvailabilitySettings(user=user, time_zone=time_zone)
    settings.full_clean()
    settings.save()
    return user


def membership_add(*, user: User, organization: Organization, role: Role) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    return membership
