"""Plan gating: Scale and Enterprise include self-scheduling, Starter does not."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from hireslot.accounts.access import self_scheduling_plan_required
from hireslot.accounts.models import Organization, Plan
from hireslot.accounts.plans import organization_has_self_scheduling, self_scheduling_require
from hireslot.core.errors import PlanRequiredError


@pytest.mark.parametrize(
    ("plan", "included"), [(Plan.STARTER, False), (Plan.SCALE, True), (Plan.ENTERPRISE, True)]
)
def test_which_plans_include_self_scheduling(plan: Plan, included: bool) -> None:
    assert organization_has_self_scheduling(Organization(plan=plan)) is included


def test_services_refuse_on_starter_with_a_message_naming_the_plans() -> None:
    organization = Organization(name="Tiny Co", plan=Plan.STARTER)

    with pytest.raises(PlanRequiredError) as refused:
        self_scheduling_require(organization=organization)

    assert "Scale or Enterprise" in refused.value.message
    assert "Tiny Co is on the Starter plan" in refused.value.message
    assert refused.value.status_code == 403


def test_services_allow_on_scale() -> None:
    self_scheduling_require(organization=Organization(plan=Plan.SCALE))


@pytest.mark.django_db
def test_pages_explain_the_plan_instead_of_showing_the_feature(rf: RequestFactory) -> None:
    @self_scheduling_plan_required
    def feature(request: object) -> HttpResponse:
        return HttpResponse("the feature")

    request = rf.get("/")
    request.organization = Organization(name="Tiny Co", plan=Plan.STARTER)  # type: ignore[attr-defined]
    request.user = type("U", (), {"is_authenticated": True})()  # type: ignore[assignment]

    response = feature(request)

    assert response.status_code == 403
    body = response.content.decode()
    assert "the feature" not in body
    assert "Self-scheduling is not part of your plan" in body
    assert "Scale or Enterprise" in body


def test_settings_page_says_whether_the_plan_includes_self_scheduling(
    recruiter_client: Client, organization: Organization
) -> None:
    assert "Included in your plan" in recruiter_client.get(reverse("web:settings")).content.decode()

    organization.plan = Plan.STARTER
    organization.save()

    body = recruiter_client.get(reverse("web:settings")).content.decode()
    assert "Not included" in body and "Scale or Enterprise" in body
