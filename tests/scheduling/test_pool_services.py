"""Interviewer pools: named per organization, members with weights, paused and resumed; every
change raises the organization's availability generation so cached answers are dropped."""

from __future__ import annotations

import pytest

from hireslot.accounts.models import Organization, Role
from hireslot.core.errors import HireSlotError
from hireslot.scheduling.models import InterviewerPool, PoolMember, TemplatePoolSeat
from hireslot.scheduling.services import (
    PoolInUseError,
    pool_create,
    pool_delete,
    pool_member_add,
    pool_member_remove,
    pool_member_update,
    pool_update,
)
from tests.factories import MembershipFactory, OrganizationFactory

from .conftest import Company

pytestmark = pytest.mark.django_db(transaction=True)


def generation(organization: Organization) -> int:
    return Organization.objects.get(pk=organization.pk).availability_generation


def test_a_pool_is_created_with_members_weights_and_caps(company: Company) -> None:
    before = generation(company.organization)

    pool = pool_create(organization=company.organization, name="  Backend   interviewers ")
    member = pool_member_add(pool=pool, user=company.interviewer, weight=2)
    pool_update(pool=pool, name="Backend interviewers", max_per_day=2, max_per_week=5)

    saved = InterviewerPool.objects.get(pk=pool.pk)
    assert (saved.name, saved.max_per_day, saved.max_per_week) == ("Backend interviewers", 2, 5)
    assert (member.weight, member.active) == (2, True)
    assert generation(company.organization) == before + 3


def test_pausing_keeps_the_member_and_resuming_brings_them_back(company: Company) -> None:
    pool = pool_create(organization=company.organization, name="Bar raisers")
    member = pool_member_add(pool=pool, user=company.interviewer)

    pool_member_update(member=member, weight=1, active=False)
    assert PoolMember.objects.get(pk=member.pk).active is False
    pool_member_update(member=member, weight=3, active=True)

    assert PoolMember.objects.values_list("weight", "active").get(pk=member.pk) == (3, True)
    pool_member_remove(member=member)
    assert not PoolMember.objects.exists()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c, p: pool_create(organization=c.organization, name=" "), "Give the pool a name"),
        (lambda c, p: pool_create(organization=c.organization, name="Pool"), "already exists"),
        (
            lambda c, p: pool_update(pool=p, name="Pool", max_per_day=0, max_per_week=None),
            "daily cap must be between 1 and 50",
        ),
        (lambda c, p: pool_member_add(pool=p, user=c.interviewer, weight=0), "from 1 to 10"),
        (lambda c, p: pool_member_add(pool=p, user=c.recruiter), "already in"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    company: Company, call: object, message: str
) -> None:
    pool = pool_create(organization=company.organization, name="Pool")
    pool_member_add(pool=pool, user=company.recruiter)

    with pytest.raises(HireSlotError, match=message):
        call(company, pool)  # type: ignore[operator]


def test_only_members_of_the_organization_can_join(company: Company) -> None:
    pool = pool_create(organization=company.organization, name="Pool")
    outsider = MembershipFactory(organization=OrganizationFactory(), role=Role.INTERVIEWER)

    with pytest.raises(HireSlotError, match="Only members"):
        pool_member_add(pool=pool, user=outsider.user)
    assert not PoolMember.objects.exists()


def test_a_pool_a_template_draws_on_cannot_be_deleted(company: Company) -> None:
    pool = pool_create(organization=company.organization, name="Pool")
    TemplatePoolSeat.objects.create(template=company.template, pool=pool)

    with pytest.raises(PoolInUseError, match="Manager Interview"):
        pool_delete(pool=pool)

    TemplatePoolSeat.objects.all().delete()
    pool_delete(pool=pool)
    assert not InterviewerPool.objects.exists()


def test_the_template_form_keeps_pool_seats_and_a_copy_has_them_too(company: Company) -> None:
    from hireslot.scheduling.services.templates import (
        self_schedule_template_save,
        template_duplicate,
    )

    pool = pool_create(organization=company.organization, name="Pool")
    self_schedule_template_save(
        template=company.template, interviewers=[], notify_users=[], pools=[pool, pool]
    )

    copy = template_duplicate(template=company.template)

    assert copy.pool_seats_count == 2
    assert [seat.pool_id for seat in copy.pool_seats.all()] == [pool.pk, pool.pk]


def test_a_template_cannot_draw_on_another_organizations_pool(company: Company) -> None:
    from hireslot.scheduling.services.templates import self_schedule_template_save

    foreign = pool_create(organization=OrganizationFactory(), name="Theirs")

    with pytest.raises(HireSlotError, match="belongs to another organization"):
        self_schedule_template_save(
            template=company.template, interviewers=[], notify_users=[], pools=[foreign]
        )
    assert not TemplatePoolSeat.objects.exists()
