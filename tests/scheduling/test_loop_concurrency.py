"""Loops under concurrency (SQLite and PostgreSQL): real threads, real HTTP requests, real
database connections. A loop is booked whole or not at all, and nobody is ever booked twice."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import Any

import pytest
from django.test import Client

from hireslot.recruiting.services import application_create, candidate_create
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewerBooking,
    InterviewLoop,
    SchedulingRequest,
)
from hireslot.scheduling.services import scheduling_request_send
from hireslot.scheduling.services.booking import loops as loop_booking

from .conftest import Company
from .loop_company import LoopCompany, loop_company_build
from .test_concurrency import _link, _race

pytestmark = pytest.mark.django_db(transaction=True)

TEN = "2026-03-03T15:00:00Z"
TEN_THIRTY = "2026-03-03T15:30:00Z"


def loop_requests(loop: LoopCompany, count: int) -> list[SchedulingRequest]:
    company = loop.company
    found = []
    for index in range(count):
        candidate = candidate_create(
            organization=company.organization,
            first_name=f"Racer{index}",
            last_name="Loop",
            email=f"loop{index}@acme.example",
        )
        application = application_create(
            candidate=candidate, job=company.application.job, actor=company.recruiter
        )
        found.append(
            scheduling_request_send(
                application=application, template=loop.template, sender=company.recruiter
            ).request
        )
    return found


def no_overlaps() -> None:
    holds = list(InterviewerBooking.objects.filter(active=True).order_by("interviewer", "start"))
    for earlier, later in pairwise(holds):
        if earlier.interviewer_id == later.interviewer_id:
            assert earlier.end <= later.start, "one person booked twice at once"


def every_loop_whole(sessions: int) -> None:
    """Every live loop has all its sessions, each held; no session lives outside a loop."""
    for loop in InterviewLoop.objects.filter(status="scheduled"):
        live = list(loop.interviews.filter(status="scheduled"))
        assert len(live) == sessions
        for interview in live:
            assert interview.bookings.filter(active=True).exists()
    assert not Interview.objects.filter(loop__isnull=True).exists()


def test_two_candidates_racing_for_overlapping_loops_one_wins(company: Company) -> None:
    # Given two candidates whose loops both need Nora (intro and wrap-up) and Sam
    loop = loop_company_build(company)
    first, second = loop_requests(loop, 2)

    # When they book 10:00 and 10:30 at the same moment, five times over
    codes = _race(
        [
            (f"{_link(first)}/book", {"start": TEN, "tz": "UTC"}),
            (f"{_link(second)}/book", {"start": TEN_THIRTY, "tz": "UTC"}),
        ]
        * 5
    )

    # Then exactly one loop is booked, whole, and nobody is booked twice
    assert codes.count(303) == 1
    assert InterviewLoop.objects.count() == 1
    every_loop_whole(4)
    no_overlaps()


def test_twenty_threads_never_store_an_overlap_or_half_a_loop(company: Company) -> None:
    # Given twenty candidates and a pool of three engineers
    loop = loop_company_build(company, engineers=("Ann Lee", "Bo Chen", "Cy Park"))
    requests = loop_requests(loop, 20)
    starts = [f"2026-03-03T{hour:02d}:{minute:02d}:00Z" for hour in (14, 15) for minute in (0, 30)]

    # When all of them book at once, at four overlapping starts
    codes = _race(
        [
            (f"{_link(request)}/book", {"start": starts[index % 4], "tz": "UTC"})
            for index, request in enumerate(requests)
        ]
    )

    # Then at least one loop is booked, every booking is a whole loop, never an overlap
    assert set(codes) <= {303, 409}
    booked = Counter(codes)[303]
    assert booked >= 1
    assert InterviewLoop.objects.filter(status="scheduled").count() == booked
    assert SchedulingRequest.objects.filter(status="scheduled").count() == booked
    every_loop_whole(4)
    no_overlaps()


def test_a_loop_failing_midway_leaves_nothing_behind(
    company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a booking that dies while holding its third session's people
    loop = loop_company_build(company)
    [request] = loop_requests(loop, 1)
    held = loop_booking.interviewers_hold
    calls = []

    def dies_on_the_third(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the process died here")
        held(*args, **kwargs)

    monkeypatch.setattr(loop_booking, "interviewers_hold", dies_on_the_third)

    # When the candidate books
    with pytest.raises(RuntimeError):
        Client(raise_request_exception=True).post(
            f"{_link(request)}/book", {"start": TEN, "tz": "UTC"}
        )

    # Then nothing of it remains: no loop, no session, no hold, no effect, the link still open
    assert len(calls) == 3
    assert not InterviewLoop.objects.exists()
    assert not Interview.objects.exists()
    assert not InterviewerBooking.objects.exists()
    assert not Effect.objects.exists()
    request.refresh_from_db()
    assert request.status in SchedulingRequest.WAITING

    # And the same time books whole once the fault is gone
    monkeypatch.setattr(loop_booking, "interviewers_hold", held)
    answer = Client().post(f"{_link(request)}/book", {"start": TEN, "tz": "UTC"})
    assert answer.status_code == 303
    every_loop_whole(4)
