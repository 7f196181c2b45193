"""A template's reschedule policy: a candidate moves their interview at most so many times;
every move's reason is on the timeline and in the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hireslot.scheduling.errors import ChangeTooLateError
from hireslot.scheduling.models import Interview, RequestEvent
from hireslot.scheduling.services import interview_book, interview_reschedule

from .conftest import Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def book(company: Company) -> Interview:
    request = company.send().request
    return interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")


def test_a_candidate_moves_at_most_the_templates_limit_the_team_always_can(
    company: Company,
) -> None:
    company.template.max_candidate_reschedules = 1
    company.template.save()
    interview = book(company)

    interview_reschedule(
        interview=interview,
        start=TUESDAY_10 + timedelta(days=1),
        actor=None,
        by_candidate=True,
        reason="A clash with my exam",
    )
    with pytest.raises(ChangeTooLateError, match="as often as allowed"):
        interview_reschedule(
            interview=interview,
            start=TUESDAY_10 + timedelta(days=2),
            actor=None,
            by_candidate=True,
        )
    interview_reschedule(
        interview=interview,
        start=TUESDAY_10 + timedelta(days=2),
        actor=company.recruiter,
        by_candidate=False,
        reason="Nora is travelling",
    )

    moves = RequestEvent.objects.filter(kind="rescheduled").order_by("created_at")
    assert [(event.by_candidate, event.reason) for event in moves] == [
        (True, "A clash with my exam"),
        (False, "Nora is travelling"),
    ]
    interview.refresh_from_db()
    assert interview.start == TUESDAY_10 + timedelta(days=2)


def test_without_a_limit_candidates_move_freely(company: Company) -> None:
    interview = book(company)
    for day in (1, 2, 3):
        interview_reschedule(
            interview=interview,
            start=TUESDAY_10 + timedelta(days=day),
            actor=None,
            by_candidate=True,
        )
    assert RequestEvent.objects.filter(kind="rescheduled", by_candidate=True).count() == 3
