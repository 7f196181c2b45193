"""A template with a pool seat offers the times when its fixed people and at least one active
member of the pool are free; paused members are never offered; a fixed person is never the
pool's pick; pool changes drop cached answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hireslot.calendars.services import calendar_event_create
from hireslot.scheduling.models import PoolMember
from hireslot.scheduling.seats import seats_fill
from hireslot.scheduling.services import pool_member_add, pool_member_update
from hireslot.scheduling.slots import request_seated_slots, request_slots

from .conftest import NOW, Company
from .pool_company import pool_company_build

TUESDAY = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)  # 09:00 in New York


def day_starts(company: Company, day: datetime = TUESDAY) -> list[str]:
    request = company.send().request
    slots = request_slots(request=request, start=day, end=day + timedelta(hours=8), now=NOW)
    return [slot.start_at.strftime("%H:%M") for slot in slots]


def busy(user: object, start: datetime, hours: int) -> None:
    calendar_event_create(owner=user, title="Busy", start=start, end=start + timedelta(hours=hours))  # type: ignore[arg-type]


def test_times_are_offered_when_any_member_is_free(company: Company) -> None:
    pool = pool_company_build(company, ["Sam Okoro", "Lee Park"])
    # Sam is busy 09:00-11:00, Lee 10:00-12:00 (New York); interviews last 45 minutes
    busy(pool.engineers[0], TUESDAY, 2)
    busy(pool.engineers[1], TUESDAY + timedelta(hours=1), 2)

    starts = day_starts(company)

    # 09:00 with Lee, from 11:00 with Sam (Lee alone would wait until 12:00)
    assert starts[:4] == ["14:00", "16:00", "16:30", "17:00"]


def test_no_member_free_means_no_time(company: Company) -> None:
    pool = pool_company_build(company, ["Sam Okoro", "Lee Park"])
    busy(pool.engineers[0], TUESDAY, 8)
    busy(pool.engineers[1], TUESDAY, 8)

    assert day_starts(company) == []


def test_a_paused_member_is_never_offered(company: Company) -> None:
    pool = pool_company_build(company, ["Sam Okoro", "Lee Park"])
    busy(pool.engineers[0], TUESDAY, 8)
    pool_member_update(
        member=PoolMember.objects.get(user=pool.engineers[1]), weight=1, active=False
    )

    assert day_starts(company) == []


def test_a_fixed_person_in_the_pool_is_not_the_pools_pick(company: Company) -> None:
    # Nora (fixed: the hiring manager) is also in the pool; Sam, the only other, is busy
    pool = pool_company_build(company, ["Sam Okoro"])
    pool_member_add(pool=pool.pool, user=company.interviewer)
    busy(pool.engineers[0], TUESDAY, 8)

    assert day_starts(company) == []


def test_the_seat_reports_its_free_members_without_naming_them_as_fixed(company: Company) -> None:
    pool = pool_company_build(company, ["Sam Okoro", "Lee Park"])
    busy(pool.engineers[0], TUESDAY, 1)
    request = company.send().request

    seated = request_seated_slots(
        request=request, start=TUESDAY, end=TUESDAY + timedelta(hours=2), now=NOW
    )

    first = seated.slots[0]
    assert first.slot.interviewers == (str(company.interviewer.pk),)
    assert first.seats == ((str(pool.engineers[1].pk),),)


def test_two_seats_are_never_filled_by_one_person() -> None:
    assert seats_fill([["a"], ["a"]]) is None
    assert seats_fill([["a", "b"], ["a"]]) == ["b", "a"]
    assert seats_fill([["a"], ["a", "b"], ["b", "c"]]) == ["a", "b", "c"]
