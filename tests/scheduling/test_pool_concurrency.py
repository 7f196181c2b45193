"""Pools under concurrency: real threads, real HTTP requests, real database connections (run on
SQLite and PostgreSQL). Two candidates at one time with two free members both get someone;
a third is told the time was taken; nobody is ever booked twice or over a cap."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import pytest

from hireslot.accounts.models import AvailabilitySettings
from hireslot.recruiting.services import application_create, candidate_create
from hireslot.scheduling.models import InterviewerBooking, SchedulingRequest
from hireslot.scheduling.services import scheduling_request_send

from .conftest import Company
from .pool_company import pool_company_build
from .test_concurrency import _link, _race

pytestmark = pytest.mark.django_db(transaction=True)

START = "2026-03-03T15:00:00Z"


def requests_for(company: Company, count: int) -> list[SchedulingRequest]:
    found = []
    for index in range(count):
        candidate = candidate_create(
            organization=company.organization,
            first_name=f"Racer{index}",
            last_name="Pool",
            email=f"racer{index}@acme.example",
        )
        application = application_create(
            candidate=candidate, job=company.application.job, actor=company.recruiter
        )
        found.append(
            scheduling_request_send(
                application=application, template=company.template, sender=company.recruiter
            ).request
        )
    return found


def no_overlaps() -> None:
    holds = list(InterviewerBooking.objects.filter(active=True).order_by("interviewer", "start"))
    for earlier, later in pairwise(holds):
        if earlier.interviewer_id == later.interviewer_id:
            assert earlier.end <= later.start, "one person booked twice at once"


def test_three_candidates_one_time_two_free_members(company: Company) -> None:
    company.template.include_hiring_manager = False
    company.template.save()
    pool = pool_company_build(company, ["Ann Lee", "Bo Chen"])
    requests = requests_for(company, 3)

    codes = _race([(f"{_link(r)}/book", {"start": START, "tz": "UTC"}) for r in requests])

    assert Counter(codes) == {303: 2, 409: 1}
    holders = set(
        InterviewerBooking.objects.filter(active=True).values_list("interviewer_id", flat=True)
    )
    assert holders == {engineer.pk for engineer in pool.engineers}


def test_twenty_candidates_racing_for_a_pool_never_double_book_or_exceed_a_cap(
    company: Company,
) -> None:
    # Nora (fixed) plus one of four engineers who each take at most one interview a day
    pool = pool_company_build(company, ["Ann Lee", "Bo Chen", "Cy Park", "Di Ross"])
    AvailabilitySettings.objects.filter(user__in=pool.engineers).update(max_interviews_per_day=1)
    AvailabilitySettings.objects.filter(user=company.interviewer).update(
        max_interviews_per_day=None
    )
    requests = requests_for(company, 20)
    # Each candidate picks one of five times that morning, an hour apart
    times = [f"2026-03-03T{15 + index % 5}:00:00Z" for index in range(20)]

    codes = _race(
        [
            (f"{_link(r)}/book", {"start": t, "tz": "UTC"})
            for r, t in zip(requests, times, strict=True)
        ]
    )

    # Nora can take one per hour, each engineer one that day: four interviews at most
    assert set(codes) <= {303, 409}
    assert codes.count(303) == 4
    no_overlaps()
    per_engineer = Counter(
        InterviewerBooking.objects.filter(active=True, interviewer__in=pool.engineers).values_list(
            "interviewer_id", flat=True
        )
    )
    assert all(count <= 1 for count in per_engineer.values())
    assert len(per_engineer) == 4
