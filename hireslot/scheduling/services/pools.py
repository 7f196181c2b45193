"""Writing interviewer pools and their members.

Every change raises the organization's availability generation (``accounts.
availability_generation``): which people a pool seat may draw, and their caps, change what
open links offer, so cached candidate answers must not outlive it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.models import Membership, Organization, User
from hireslot.core.errors import HireSlotError
from hireslot.scheduling.models import InterviewerPool, PoolMember

NAME_MAX_LENGTH = 200


class PoolInUseError(HireSlotError):
    status_code = 409


def _name_clean(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise HireSlotError("Give the pool a name.")
    if len(name) > NAME_MAX_LENGTH:
        raise HireSlotError(f"Use at most {NAME_MAX_LENGTH} characters for the name.")
    return name


def _cap_check(value: int | None, *, label: str, most: int) -> None:
    if value is not None and not 1 <= value <= most:
        raise HireSlotError(f"The {label} must be between 1 and {most}, or empty for none.")


def _pool_save(pool: InterviewerPool) -> InterviewerPool:
    _cap_check(pool.max_per_day, label="daily cap", most=50)
    _cap_check(pool.max_per_week, label="weekly cap", most=200)
    try:
        with transaction.atomic():
            pool.save()
    except IntegrityError as error:
        raise HireSlotError(f"A pool named “{pool.name}” already exists.") from error
    availability_generation_bump(organization_ids=[pool.organization_id])
    return pool


@transaction.atomic
def pool_create(
    *,
    organization: Organization,
    name: str,
    max_per_day: int | None = None,
    max_per_week: int | None = None,
) -> InterviewerPool:
    return _pool_save(
        InterviewerPool(
            organization=organization,
            name=_name_clean(name),
            max_per_day=max_per_day,
            max_per_week=max_per_week,
        )
    )


@transaction.atomic
def pool_update(
    *, pool: InterviewerPool, name: str, max_per_day: int | None, max_per_week: int | None
) -> InterviewerPool:
    pool.name = _name_clean(name)
    pool.max_per_day, pool.max_per_week = max_per_day, max_per_week
    return _pool_save(pool)


@transaction.atomic
def pool_delete(*, pool: InterviewerPool) -> None:
    """Delete a pool no template draws on; otherwise say which templates do (409)."""
    templates = sorted(
        {seat.template.name for seat in pool.seats.select_related("template")}
        | {
            seat.session.template.name
            for seat in pool.loop_seats.select_related("session__template")
        }
    )
    if templates:
        names = ", ".join(f"“{name}”" for name in templates)
        raise PoolInUseError(
            f"“{pool.name}” cannot be deleted: the self-schedule template {names} draws on it."
        )
    organization_id = pool.organization_id
    pool.delete()
    availability_generation_bump(organization_ids=[organization_id])


def _weight_check(weight: int) -> None:
    if not 1 <= weight <= 10:
        raise HireSlotError("The weight must be a whole number from 1 to 10.")


@transaction.atomic
def pool_member_add(*, pool: InterviewerPool, user: User, weight: int = 1) -> PoolMember:
    _weight_check(weight)
    if not Membership.objects.filter(organization_id=pool.organization_id, user=user).exists():
        raise HireSlotError("Only members of the organization can join its pools.")
    try:
        with transaction.atomic():
            member = PoolMember.objects.create(pool=pool, user=user, weight=weight)
    except IntegrityError as error:
        raise HireSlotError(f"{user} is already in “{pool.name}”.") from error
    availability_generation_bump(organization_ids=[pool.organization_id])
    return member


@transaction.atomic
def pool_member_update(*, member: PoolMember, weight: int, active: bool) -> PoolMember:
    """Change a member's weight, or pause them (on leave: never offered) and resume them."""
    _weight_check(weight)
    member.weight, member.active = weight, active
    member.save(update_fields=["weight", "active", "updated_at"])
    availability_generation_bump(organization_ids=[member.pool.organization_id])
    return member


@transaction.atomic
def pool_member_remove(*, member: PoolMember) -> None:
    organization_id = member.pool.organization_id
    member.delete()
    availability_generation_bump(organization_ids=[organization_id])
