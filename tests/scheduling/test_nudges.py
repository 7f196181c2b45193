"""Nudges to candidates who have not booked: sent at their moments by the real worker, and
never once the candidate booked, the request was cancelled or expired, or the candidate
opened the link lately."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from hireslot.core.errors import HireSlotError
from hireslot.messaging.models import OutgoingEmail
from hireslot.scheduling.models import Nudge, SchedulingRequest
from hireslot.scheduling.services import (
    interview_book,
    scheduling_request_cancel,
    scheduling_request_open,
)
from hireslot.scheduling.services.nudges import nudge_cancel

from .conftest import NOW, Company, run_worker

pytestmark = pytest.mark.django_db(transaction=True)

DAY = timedelta(days=1)


def nudge_emails() -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(kind="scheduling_nudge").order_by("created_at"))


def work_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        run_worker()


def states(request: SchedulingRequest) -> list[tuple[str, str]]:
    return [(nudge.state, nudge.reason) for nudge in request.nudges.order_by("due_at")]


def test_an_unbooked_request_is_nudged_after_one_and_three_days(company: Company) -> None:
    request = company.send().request
    run_worker()

    assert [nudge.due_at for nudge in request.nudges.all()] == [NOW + DAY, NOW + 3 * DAY]
    work_at(NOW + DAY - timedelta(seconds=1))
    assert nudge_emails() == []
    work_at(NOW + DAY)
    [email] = nudge_emails()
    assert email.to == "ada@acme.example"
    assert email.subject == "Still time to pick your Manager Interview with Acme acme"
    assert "/s/" in email.body_text
    work_at(NOW + 3 * DAY)
    assert len(nudge_emails()) == 2
    assert [state for state, _ in states(request)] == ["sent", "sent"]


def test_nudges_stop_when_the_candidate_books(company: Company) -> None:
    request = company.send().request
    work_at(NOW + DAY)
    assert len(nudge_emails()) == 1

    with time_machine.travel(NOW + 2 * DAY, tick=False):
        interview_book(
            request=request,
            start=datetime(2026, 3, 5, 15, 0, tzinfo=UTC),
            candidate_time_zone="UTC",
        )

    work_at(NOW + 3 * DAY)
    assert len(nudge_emails()) == 1
    assert states(request) == [("sent", ""), ("cancelled", "The candidate booked.")]


def test_no_nudge_after_expiry_nor_after_a_cancel(company: Company) -> None:
    company.template.link_expiry_days = 2
    company.template.save()
    request = company.send().request
    # The three-day nudge would come after the link expired: it is not planned at all
    assert [nudge.after_days for nudge in request.nudges.all()] == [1]

    scheduling_request_cancel(request=request, actor=company.recruiter)
    work_at(NOW + DAY)
    assert nudge_emails() == []
    assert states(request) == [("cancelled", "The request was cancelled.")]


def test_a_candidate_who_opened_the_link_lately_is_not_nudged(company: Company) -> None:
    request = company.send().request
    with time_machine.travel(NOW + timedelta(hours=20), tick=False):
        scheduling_request_open(request=request)

    work_at(NOW + DAY)

    assert nudge_emails() == []
    assert states(request)[0] == ("skipped", "The candidate opened the link recently.")


def test_a_recruiter_cancels_a_nudge_by_hand(company: Company) -> None:
    request = company.send().request
    first = request.nudges.order_by("due_at").first()
    assert first is not None

    nudge_cancel(nudge=first, actor=company.recruiter)
    work_at(NOW + DAY)

    assert nudge_emails() == []
    assert states(request)[0] == ("cancelled", "Cancelled by Riley Chen.")
    with pytest.raises(HireSlotError):
        nudge_cancel(nudge=first, actor=company.recruiter)
    assert Nudge.objects.filter(state="planned").count() == 1


def test_an_availability_request_is_nudged_to_share_when_they_are_free(company: Company) -> None:
    company.template.ask_availability = True
    company.template.save()
    request = company.send().request
    run_worker()

    work_at(NOW + DAY)

    [email] = nudge_emails()
    assert email.subject == (
        "Still time to share when you are free for your Manager Interview with Acme acme"
    )
    assert "tell us when you could do" in email.body_text
    assert states(request)[0][0] == "sent"
