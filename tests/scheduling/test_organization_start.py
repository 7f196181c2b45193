"""An organization made through the product starts with the starter templates; accounts, which
makes the row, knows nothing of scheduling (issue 10)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import Organization, Plan, User
from hireslot.accounts.services import organization_create
from hireslot.demo.services import demo_organization_seed
from hireslot.messaging.models import EmailTemplate
from hireslot.recruiting.models import InterviewTemplate, TaskTemplate
from hireslot.scheduling.models import SelfScheduleTemplate
from hireslot.scheduling.services import organization_start
from hireslot.scheduling.services.starter import (
    AVAILABILITY_NAME,
    INVITATION_NAME,
    MANAGER_INTERVIEW,
    NUDGE_NAME,
    TASK_NAME,
)

pytestmark = pytest.mark.django_db


def starters_of(organization: Organization) -> list[str]:
    return sorted(
        [
            *SelfScheduleTemplate.objects.filter(organization=organization).values_list(
                "name", flat=True
            ),
            *EmailTemplate.objects.filter(organization=organization).values_list("name", flat=True),
            *TaskTemplate.objects.filter(organization=organization).values_list("name", flat=True),
            *InterviewTemplate.objects.filter(organization=organization).values_list(
                "name", flat=True
            ),
        ]
    )


STARTERS = sorted(
    [
        MANAGER_INTERVIEW,
        INVITATION_NAME,
        AVAILABILITY_NAME,
        NUDGE_NAME,
        TASK_NAME,
        MANAGER_INTERVIEW,
    ]
)


def test_organization_start_creates_the_organization_with_its_starter_templates() -> None:
    organization = organization_start(
        name="Initech", plan=Plan.SCALE, scheduling_sender_email="jobs@initech.example"
    )

    assert (organization.slug, organization.plan) == ("initech", Plan.SCALE)
    assert organization.scheduling_sender_name == "Initech"
    assert starters_of(organization) == STARTERS
    template = SelfScheduleTemplate.objects.get(organization=organization)
    assert template.email_template.organization_id == organization.pk


def test_organization_create_alone_makes_no_templates() -> None:
    organization = organization_create(name="Bare")

    assert starters_of(organization) == []


def test_the_demo_organization_has_the_starter_templates() -> None:
    organization = demo_organization_seed().organization

    assert MANAGER_INTERVIEW in SelfScheduleTemplate.objects.filter(
        organization=organization
    ).values_list("name", flat=True)


def test_an_organization_added_in_the_admin_has_the_starter_templates() -> None:
    client = Client()
    client.force_login(User.objects.create_superuser("root@example.com", "pw-not-used-123"))

    response = client.post(
        reverse("admin:accounts_organization_add"),
        {
            "name": "Admin Made",
            "slug": "admin-made",
            "plan": Plan.SCALE,
            "default_time_zone": "UTC",
            "accent_color": "#1f6feb",
            "scheduling_sender_name": "",
            "scheduling_sender_email": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()
    organization = Organization.objects.get(slug="admin-made")
    assert starters_of(organization) == STARTERS


def test_editing_an_organization_in_the_admin_does_not_bring_back_deleted_starters() -> None:
    organization = organization_create(name="Edited", slug="edited")
    client = Client()
    client.force_login(User.objects.create_superuser("root@example.com", "pw-not-used-123"))

    response = client.post(
        reverse("admin:accounts_organization_change", args=[organization.pk]),
        {
            "name": "Edited again",
            "slug": "edited",
            "plan": organization.plan,
            "default_time_zone": "UTC",
            "accent_color": organization.accent_color,
            "scheduling_sender_name": "",
            "scheduling_sender_email": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()
    assert starters_of(organization) == []
