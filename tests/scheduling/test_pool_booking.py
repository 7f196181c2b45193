"""Booking a template with a pool seat draws the fairest free member inside the booking, records
why, keeps them on a reschedule when they are free, and never double-books anyone."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from hireslot.calendars.services import calendar_event_create
from hireslot.scheduling.documents import interview_document
from hireslot.scheduling.errors import SlotTakenError
from hireslot.scheduling.models import Effect, Interview, InterviewerBooking
from hireslot.scheduling.services import (
    interview_book,
    interview_cancel,
    interview_reschedule,
    pool_member_update,
)

from .conftest import Company, company_build
from .pool_company import PoolCompany, pool_company_build

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York


def book(company: Company, start: datetime = TUESDAY_10) -> Interview:
    return interview_book(request=company.send().request, start=start, candidate_time_zone="UTC")


def holders(interview: Interview) -> set[object]:
    return set(
        InterviewerBooking.objects.filter(interview=interview, active=True).values_list(
            "interviewer_id", flat=True
        )
    )


def test_the_least_loaded_free_member_is_drawn_and_the_reason_recorded(company: Company) -> None:
    pool = pool_company_build(company, ["Ann Lee", "Bo Chen", "Cy Park"])
    ann, bo, cy = pool.engineers
    # Ann already has two interviews this fortnight, Bo one; Cy is busy at 10:00
    for day, who in ((4, ann), (5, ann), (4, bo)):
        other = company_build(f"x{day}{who.email[:2]}")
        other.template.interviewers.set([who])
        other.template.include_hiring_manager = False
        other.template.save()
        book(other, datetime(2026, 3, day, 15, 0, tzinfo=UTC))
    calendar_event_create(
        owner=cy, title="1:1", start=TUESDAY_10, end=TUESDAY_10 + timedelta(hours=1)
    )

    interview = book(company)

    assert holders(interview) == {company.interviewer.pk, bo.pk}
    [seat] = interview.assignment
    assert seat["name"] == "Bo Chen" and seat["pool"] == "Engineering interviewers"
    assert seat["reason"] == (
        "eligible: Ann Lee, Bo Chen; Cy Park busy; "
        "chose Bo Chen: 1 interview in 4 weeks vs Ann Lee 2"
    )
    document = interview_document(interview)
    assert document["assignment"][0]["name"] == "Bo Chen"


def test_with_equal_availability_interviews_are_shared_evenly(company: Company) -> None:
    company.template.include_hiring_manager = False
    company.template.save()
    pool = pool_company_build(company, ["Ann Lee", "Bo Chen", "Cy Park"])

    interviews = [book(company)] + [
        book(company_pool_twin(company, pool), TUESDAY_10 + timedelta(hours=hour))
        for hour in (1, 2, 3, 4, 5)
    ]

    names = [interview.assignment[0]["name"] for interview in interviews]
    assert sorted(names) == ["Ann Lee", "Ann Lee", "Bo Chen", "Bo Chen", "Cy Park", "Cy Park"]
    # the second round goes to the least recently booked first: the same order again
    assert names[3:] == names[:3]


def company_pool_twin(company: Company, pool: PoolCompany) -> Company:
    """Another candidate of the same company, for the same template."""
    from hireslot.recruiting.services import application_create, candidate_create

    candidate = candidate_create(
        organization=company.organization,
        first_name="Bea",
        last_name="Tan",
        email=f"bea{Interview.objects.count()}@acme.example",
    )
    application = application_create(
        candidate=candidate, job=company.application.job, actor=company.recruiter
    )
    return Company(
        company.organization,
        company.recruiter,
        company.interviewer,
        candidate,
        application,
        company.template,
    )


def test_a_third_candidate_at_the_same_time_is_refused_when_both_members_are_taken(
    company: Company,
) -> None:
    # Nora is the fixed interviewer: take her off so the pool alone decides
    company.template.include_hiring_manager = False
    company.template.save()
    pool = pool_company_build(company, ["Ann Lee", "Bo Chen"])

    first = book(company)
    second = book(company_pool_twin(company, pool))
    with pytest.raises(SlotTakenError):
        book(company_pool_twin(company, pool))

    assert holders(first) | holders(second) == {e.pk for e in pool.engineers}


def test_a_reschedule_keeps_the_drawn_member_when_free_and_redraws_otherwise(
    company: Company,
) -> None:
    pool_company_build(company, ["Ann Lee", "Bo Chen"])
    interview = book(company)
    drawn = interview.assignment[0]["user_id"]

    moved = interview_reschedule(
        interview=interview, start=TUESDAY_10 + timedelta(hours=2), actor=None, by_candidate=True
    )
    assert moved.assignment[0]["user_id"] == drawn
    assert moved.assignment[0]["reason"].endswith("free at the new time")

    # the drawn member goes on leave: the next move draws the other one
    from hireslot.scheduling.models import PoolMember

    pool_member_update(member=PoolMember.objects.get(user_id=drawn), weight=1, active=False)
    again = interview_reschedule(
        interview=moved, start=TUESDAY_10 + timedelta(hours=4), actor=None, by_candidate=True
    )

    assert again.assignment[0]["user_id"] != drawn
    assert str(drawn) not in {str(pk) for pk in holders(again)}
    # the member taken off gets their calendar event removed
    assert Effect.objects.filter(
        interview=again, kind="calendar_event", user_id=drawn, action="reschedule"
    ).exists()


def test_cancelling_releases_the_drawn_member(company: Company) -> None:
    pool_company_build(company, ["Ann Lee"])
    interview = book(company)

    interview_cancel(interview=interview, actor=None, by_candidate=True)

    assert not InterviewerBooking.objects.filter(active=True).exists()
    calendar_users = set(
        Effect.objects.filter(
            interview=interview, kind="calendar_event", action="cancel"
        ).values_list("user_id", flat=True)
    )
    assert len(calendar_users) == 2


def test_never_over_a_pool_cap(company: Company) -> None:
    company.template.include_hiring_manager = False
    company.template.save()
    pool = pool_company_build(company, ["Ann Lee"])
    from hireslot.scheduling.services import pool_update

    pool_update(pool=pool.pool, name=pool.pool.name, max_per_day=1, max_per_week=None)
    book(company)

    with pytest.raises(SlotTakenError):
        book(company_pool_twin(company, pool), TUESDAY_10 + timedelta(hours=2))


def test_the_load_report_counts_the_drawn_members_week_and_the_pools_fairness(
    company: Company,
) -> None:
    from hireslot.scheduling.load_report import WEEKS_BEFORE, load_report

    company.template.include_hiring_manager = False
    company.template.save()
    pool = pool_company_build(company, ["Ann Lee", "Bo Chen"])
    pool_update_caps(pool)
    first = book(company)

    report = load_report(organization=company.organization, now=TUESDAY_10, pool=pool.pool)

    by_name = {row.user.get_full_name(): row for row in report.rows}
    drawn = first.assignment[0]["name"]
    assert by_name[drawn].counts[WEEKS_BEFORE] == 1  # this week
    assert by_name[drawn].weekly_cap == 4  # the pool's cap; members have none of their own
    assert by_name[drawn].cells()[WEEKS_BEFORE] == (1, "low")
    assert report.fairness == 1.0


def pool_update_caps(pool: PoolCompany) -> None:
    from hireslot.scheduling.services import pool_update

    pool_update(pool=pool.pool, name=pool.pool.name, max_per_day=None, max_per_week=4)


def test_thirty_candidates_booking_their_earliest_time_share_the_pool_evenly(
    company: Company,
) -> None:
    from hireslot.scheduling.slots import request_slots

    # Given a pool of three with the same hours and no fixed interviewer
    company.template.include_hiring_manager = False
    company.template.save()
    pool = pool_company_build(company, ["Ann Lee", "Bo Chen", "Cy Park"])
    now = TUESDAY_10 - timedelta(days=1)

    # When thirty candidates each book the earliest time they are offered
    for index in range(30):
        request = (company if index == 0 else company_pool_twin(company, pool)).send().request
        earliest = request_slots(request=request, start=now, end=now + timedelta(days=14), now=now)[
            0
        ]
        interview_book(request=request, start=earliest.start_at, candidate_time_zone="UTC", now=now)

    # Then nobody is booked twice at once, and the loads differ by at most one
    holds = list(InterviewerBooking.objects.filter(active=True).order_by("interviewer", "start"))
    for earlier, later in pairwise(holds):
        if earlier.interviewer_id == later.interviewer_id:
            assert earlier.end <= later.start
    loads = Counter(hold.interviewer_id for hold in holds)
    assert sum(loads.values()) == 30
    assert max(loads.values()) - min(loads.values()) <= 1
