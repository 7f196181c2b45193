"""No interviewer is ever booked twice, whatever arrives at the same moment.

Real threads, real HTTP requests through Django's stack, real database connections: on SQLite
the IMMEDIATE transactions serialize the bookings; on PostgreSQL the row locks do, with the
exclusion constraint behind them.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.test import Client

from hireslot.core.tokens import link_token_derive
from hireslot.scheduling.models import Interview, InterviewerBooking, SchedulingRequest

from .conftest import Company, company_build

pytestmark = pytest.mark.django_db(transaction=True)

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
START = "2026-03-03T15:00:00Z"


def _race(posts: list[tuple[str, dict[str, str]]]) -> list[int]:
    """POST everything at once from separate threads; the status codes, in order."""
    barrier = threading.Barrier(len(posts))
    codes: list[int] = [0] * len(posts)

    def worker(index: int, url: str, data: dict[str, str]) -> None:
        client = Client()
        barrier.wait()
        try:
            codes[index] = client.post(url, data).status_code
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=worker, args=(i, url, data)) for i, (url, data) in enumerate(posts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return codes


def _link(request: SchedulingRequest) -> str:
    return f"/s/{link_token_derive(request.token_nonce)}"


def test_twenty_candidates_racing_for_one_slot_get_one_booking(
    company: Company,
) -> None:
    # Given twenty candidates for one interviewer, each with their own link
    requests = [company.send().request]
    for index in range(19):
        other = company_build(f"race{index}")
        other.template.interviewers.set([company.interviewer])
        other.template.include_hiring_manager = False
        other.template.save()
        requests.append(other.send().request)

    # When all of them book the same time at once
    codes = _race([(f"{_link(r)}/book", {"start": START, "tz": "UTC"}) for r in requests])

    # Then exactly one gets it and every other is told it was taken
    assert Counter(codes) == {303: 1, 409: 19}
    assert (
        InterviewerBooking.objects.filter(interviewer=company.interviewer, active=True).count() == 1
    )


def test_the_same_link_booked_twenty_times_at_once_books_once(company: Company) -> None:
    request = company.send().request

    codes = _race([(f"{_link(request)}/book", {"start": START, "tz": "UTC"})] * 20)

    assert Counter(codes) == {303: 1, 409: 19}
    assert Interview.objects.filter(request=request).count() == 1


def test_overlapping_times_racing_for_one_interviewer_never_both_stick(company: Company) -> None:
    other = company_build("overlap")
    other.template.interviewers.set([company.interviewer])
    other.template.include_hiring_manager = False
    other.template.save()
    first, second = company.send().request, other.send().request

    codes = _race(
        [
            (f"{_link(first)}/book", {"start": START, "tz": "UTC"}),
            (f"{_link(second)}/book", {"start": "2026-03-03T15:30:00Z", "tz": "UTC"}),
        ]
        * 5
    )

    assert codes.count(303) == 1
    holds = list(InterviewerBooking.objects.filter(interviewer=company.interviewer, active=True))
    assert len(holds) == 1


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="exclusion constraints exist on PostgreSQL only"
)
def test_postgresql_itself_refuses_overlapping_holds(company: Company) -> None:
    interview = Interview.objects.create(
        organization=company.organization,
        request=company.send().request,
        application=company.application,
        interview_template=company.template.interview_template,
        start=TUESDAY_10,
        end=TUESDAY_10 + timedelta(minutes=45),
        candidate_time_zone="UTC",
        conference_kind="jitsi",
    )
    InterviewerBooking.objects.create(
        interview=interview,
        interviewer=company.interviewer,
        start=TUESDAY_10,
        end=TUESDAY_10 + timedelta(minutes=45),
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewerBooking.objects.create(
            interview=interview,
            interviewer=company.interviewer,
            start=TUESDAY_10 + timedelta(minutes=30),
            end=TUESDAY_10 + timedelta(minutes=60),
        )
    # Touching ends are fine ([) ranges), and inactive holds never conflict.
    InterviewerBooking.objects.create(
        interview=interview,
        interviewer=company.interviewer,
        start=TUESDAY_10 + timedelta(minutes=45),
        end=TUESDAY_10 + timedelta(minutes=90),
    )
    InterviewerBooking.objects.create(
        interview=interview,
        interviewer=company.interviewer,
        start=TUESDAY_10,
        end=TUESDAY_10 + timedelta(minutes=45),
        active=False,
    )
    assert connection.vendor == "postgresql"
