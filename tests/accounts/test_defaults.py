"""Admins set the organization's availability defaults; new members start from them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import AvailabilitySettings, Membership, Organization, Role
from hireslot.accounts.services import member_create
from tests.factories import MembershipFactory

DEFAULTS = {
    "hours_mon": "08:00-16:00",
    "hours_fri": "08:00-12:00",
    "buffer_before_minutes": "5",
    "buffer_after_minutes": "5",
    "max_interviews_per_day": "2",
    "max_interviews_per_week": "6",
    "minimum_notice_minutes": "240",
    "booking_horizon_days": "21",
}


def test_an_admin_sets_defaults_that_a_new_member_inherits(
    client: Client, organization: Organization
) -> None:
    organization.default_time_zone = "Europe/Berlin"
    organization.save()
    admin = MembershipFactory(organization=organization, role=Role.ADMIN)
    client.force_login(admin.user)

    response = client.post(reverse("web:availability-defaults"), DEFAULTS)
    assert response.status_code == 302

    membership = member_create(
        organization=organization,
        email="new@example.com",
        full_name="New Person",
        role=Role.INTERVIEWER,
    )

    settings = AvailabilitySettings.objects.get(user=membership.user)
    assert settings.time_zone == "Europe/Berlin"
    assert settings.weekly_hours == {"mon": [["08:00", "16:00"]], "fri": [["08:00", "12:00"]]}
    assert (settings.max_interviews_per_day, settings.minimum_notice_minutes) == (2, 240)
    assert settings.max_interviews_per_week == 6
    assert settings.booking_horizon_days == 21


def test_a_new_organization_starts_with_weekday_office_hours(organization: Organization) -> None:
    membership = member_create(
        organization=organization, email="x@example.com", full_name="X", role=Role.RECRUITER
    )

    weekly = AvailabilitySettings.objects.get(user=membership.user).weekly_hours
    assert weekly["mon"] == [["09:00", "17:00"]] and "sat" not in weekly


def test_only_admins_may_change_the_defaults(recruiter_client: Client) -> None:
    response = recruiter_client.post(reverse("web:availability-defaults"), DEFAULTS)

    assert response.status_code == 403
    assert "Admin" in response.content.decode()


def test_invalid_defaults_are_explained(client: Client, organization: Organization) -> None:
    client.force_login(MembershipFactory(organization=organization, role=Role.ADMIN).user)

    response = client.post(
        reverse("web:availability-defaults"), {**DEFAULTS, "hours_mon": "16:00-08:00"}
    )

    assert response.status_code == 400
    assert "ends before it starts" in response.content.decode()


def test_an_existing_account_is_not_created_twice(
    recruiter: Membership, organization: Organization
) -> None:
    import pytest

    from hireslot.core.errors import HireSlotError

    with pytest.raises(HireSlotError, match="already has an account"):
        member_create(
            organization=organization,
            email=recruiter.user.email.upper(),
            full_name="Dup",
            role=Role.RECRUITER,
        )
