"""What each plan includes. The one place that decides; pages and services both ask here."""

from __future__ import annotations

from hireslot.accounts.models import Organization, Plan
from hireslot.core.errors import PlanRequiredError

SELF_SCHEDULING_PLANS = frozenset({Plan.SCALE, Plan.ENTERPRISE})


def organization_has_self_scheduling(organization: Organization) -> bool:
    return organization.plan in SELF_SCHEDULING_PLANS


def self_scheduling_plan_names() -> str:
    return " or ".join(Plan(p).label for p in Plan if p in SELF_SCHEDULING_PLANS)


def self_scheduling_require(*, organization: Organization) -> None:
    """Refuse, with a message naming the plans that include it, when the plan lacks it."""
    if not organization_has_self_scheduling(organization):
        raise PlanRequiredError(
            f"Self-scheduling is part of the {self_scheduling_plan_names()} plan; "
            f"{organization.name} is on the {Plan(organization.plan).label} plan. "
            "An administrator can upgrade the plan to use it."
        )
