"""The weekly cap in My Settings reaches slot finding: a person at their cap for a week (in
their own time zone) is offered no more times that week, whatever booked them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hireslot.accounts.models import AvailabilitySettings
from hireslot.scheduling.services import interview_book
from hireslot.scheduling.slots import request_slots

from .conftest import Company, company_build

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York


def test_an_interviewer_at_their_weekly_cap_is_offered_nothing_more_that_week(
    company: Company,
) -> None:
    # Given Nora allows one interview a week and a candidate books her on Tuesday
    AvailabilitySettings.objects.filter(user=company.interviewer).update(max_interviews_per_week=1)
    interview_book(request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC")

    # When a second company's candidate asks for her times over the next two weeks
    other = company_build("other")
    other.template.interviewers.set([company.interviewer])
    other.template.include_hiring_manager = False
    other.template.save()
    now = TUESDAY_10 - timedelta(days=1)
    slots = request_slots(
        request=other.send().request, start=now, end=now + timedelta(days=14), now=now
    )

    # Then nothing is offered before next Monday (New York time), and next week is open
    assert slots
    first = slots[0].start_at
    assert first >= datetime(2026, 3, 9, 4, 0, tzinfo=UTC)  # Monday 9 March 00:00 EDT
