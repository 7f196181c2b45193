"""Issue 14: booking a loop of four sessions costs a bounded number of statements; the count
is pinned so an N+1 shows up here (43 on SQLite and PostgreSQL on 4 December 2026, after the
loop asked once, not per session, whether any webhook endpoint wants the event: 46 before)."""

from __future__ import annotations

from typing import Any

from hireslot.scheduling.models import Interview, SchedulingRequest
from hireslot.scheduling.services import interview_book, scheduling_request_send

from .conftest import Company
from .loop_company import TUESDAY_10, loop_company_build

BOOK_STATEMENTS = 43


def fresh_request(company: Company) -> SchedulingRequest:
    loop = loop_company_build(company)
    sent = scheduling_request_send(
        application=company.application, template=loop.template, sender=company.recruiter
    )
    return SchedulingRequest.objects.get(pk=sent.request.pk)


def test_booking_a_four_session_loop_runs_at_most_the_pinned_statements(
    company: Company, django_assert_max_num_queries: Any
) -> None:
    request = fresh_request(company)

    with django_assert_max_num_queries(BOOK_STATEMENTS):
        interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")

    assert Interview.objects.filter(loop__isnull=False).count() == 4
