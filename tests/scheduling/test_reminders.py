"""Reminders before interviews, told with time travel: the real database worker runs the
queue at each moment, as ``make run`` would, and the candidate's outbox shows what they got."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connections
from django_tasks_db.models import DBTaskResult

from hireslot.core.leases import work_sweep
from hireslot.messaging.models import OutgoingEmail
from hireslot.scheduling.models import Interview
from hireslot.scheduling.services import interview_book, interview_cancel, interview_reschedule
from hireslot.scheduling.services.reminders import reminder_send

from .conftest import Company, company_build, run_worker

# The worker closes its connections: each test runs in committed transactions.
pytestmark = pytest.mark.django_db(transaction=True)

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York (EST)
WEDNESDAY_10 = TUESDAY_10 + timedelta(days=1)


def book(company: Company, start: datetime = TUESDAY_10, zone: str = "Europe/Paris") -> Interview:
    request = company.send().request
    return interview_book(request=request, start=start, candidate_time_zone=zone)


def reminder_emails() -> list[OutgoingEmail]:
    return list(OutgoingEmail.objects.filter(kind="interview_reminder").order_by("created_at"))


def candidate_planned(interview: Interview) -> list[datetime]:
    return list(
        interview.reminders.filter(audience="candidate", state="planned").values_list(
            "due_at", flat=True
        )
    )


def work_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        run_worker()


def test_a_booking_gets_two_candidate_reminders_sent_at_their_moments(company: Company) -> None:
    # Given an interview booked for Tuesday 10:00 New York time by a candidate in Paris
    interview = book(company)
    run_worker()  # the booking's own effects (the invite)

    # Then two candidate email reminders are planned, a day and an hour before
    assert candidate_planned(interview) == [
        TUESDAY_10 - timedelta(hours=24),
        TUESDAY_10 - timedelta(hours=1),
    ]

    # When the worker runs just before the first moment, nothing is sent
    work_at(TUESDAY_10 - timedelta(hours=24, seconds=1))
    assert reminder_emails() == []

    # When it runs at the moment, the day-before reminder is sent, once
    work_at(TUESDAY_10 - timedelta(hours=24))
    work_at(TUESDAY_10 - timedelta(hours=23))
    [first] = reminder_emails()
    assert first.to == "ada@acme.example"
    # In the candidate's zone (Paris, 16:00) with the reschedule link and the join link
    assert "4:00" in first.subject and "Central European Time" in first.subject
    assert "/s/" in first.body_text and interview.conference_url in first.body_text

    # And the hour-before one at its own moment
    work_at(TUESDAY_10 - timedelta(hours=1))
    assert len(reminder_emails()) == 2
    states = set(interview.reminders.values_list("state", flat=True))
    assert states == {"sent"}


def test_across_a_dst_change_the_day_before_reminder_is_24_real_hours_before(
    company: Company,
) -> None:
    # Given a New York candidate booked for Monday 9 March 10:00 EDT: clocks went forward on
    # Sunday 8 March, so a day before is 10:00 EDT on Sunday, which is 14:00 UTC (not 15:00)
    monday = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    interview = book(company, start=monday, zone="America/New_York")

    assert candidate_planned(interview) == [
        datetime(2026, 3, 8, 14, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 13, 0, tzinfo=UTC),
    ]
    work_at(datetime(2026, 3, 8, 13, 59, tzinfo=UTC))
    assert reminder_emails() == []
    work_at(datetime(2026, 3, 8, 14, 0, tzinfo=UTC))
    [email] = reminder_emails()
    # Written in the candidate's zone: still 10:00 on their clock
    assert "Monday, March 9, 2026, 10:00" in email.subject


def test_a_reschedule_moves_the_planned_reminders(company: Company) -> None:
    interview = book(company)
    before = set(interview.reminders.values_list("pk", flat=True))

    moved = interview_reschedule(
        interview=interview, start=WEDNESDAY_10, actor=company.recruiter, by_candidate=False
    )

    # The same reminders, at the new moments
    assert set(moved.reminders.values_list("pk", flat=True)) == before
    assert candidate_planned(moved) == [
        WEDNESDAY_10 - timedelta(hours=24),
        WEDNESDAY_10 - timedelta(hours=1),
    ]
    # The old moments send nothing; the new ones do
    work_at(TUESDAY_10 - timedelta(hours=24))
    work_at(TUESDAY_10 - timedelta(hours=1))
    assert reminder_emails() == []
    work_at(WEDNESDAY_10 - timedelta(hours=24))
    work_at(WEDNESDAY_10 - timedelta(hours=1))
    assert len(reminder_emails()) == 2


def test_a_cancel_cancels_them_and_nothing_is_sent(company: Company) -> None:
    interview = book(company)

    interview_cancel(interview=interview, actor=company.recruiter, by_candidate=False)

    assert set(interview.reminders.values_list("state", flat=True)) == {"cancelled"}
    work_at(TUESDAY_10)
    assert reminder_emails() == []


def test_a_reschedule_just_before_a_reminder_never_sends_the_stale_one(company: Company) -> None:
    interview = book(company)
    work_at(TUESDAY_10 - timedelta(hours=24))  # the day-before one went out
    assert len(reminder_emails()) == 1

    # When, 40 minutes before the hour-before reminder, the interview moves a day later
    with time_machine.travel(TUESDAY_10 - timedelta(minutes=100), tick=False):
        interview_reschedule(
            interview=interview, start=WEDNESDAY_10, actor=company.recruiter, by_candidate=False
        )

    # Then the stale reminder's wake-up sends nothing
    work_at(TUESDAY_10 - timedelta(hours=1))
    assert len(reminder_emails()) == 1
    # And the new time gets its own two reminders, sent at their moments
    assert candidate_planned(interview) == [
        WEDNESDAY_10 - timedelta(hours=24),
        WEDNESDAY_10 - timedelta(hours=1),
    ]
    work_at(WEDNESDAY_10 - timedelta(hours=24))
    work_at(WEDNESDAY_10 - timedelta(hours=1))
    emails = reminder_emails()
    assert len(emails) == 3
    assert all("Wednesday, March 4" in email.subject for email in emails[1:])


def test_a_lost_wake_up_is_made_up_by_the_sweep_but_a_late_one_is_skipped(
    company: Company,
) -> None:
    interview = book(company)
    run_worker()
    # Given every wake-up lost (a queue emptied by hand)
    DBTaskResult.objects.all().delete()

    # When a worker's sweep runs five minutes after the first moment, it is sent
    with time_machine.travel(TUESDAY_10 - timedelta(hours=23, minutes=55), tick=False):
        work_sweep()
    assert len(reminder_emails()) == 1

    # When the next sweep comes only 40 minutes after the second moment (no worker ran)
    with time_machine.travel(TUESDAY_10 - timedelta(minutes=20), tick=False):
        work_sweep()

    # Then it is skipped, saying why, not sent late
    assert len(reminder_emails()) == 1
    late = interview.reminders.get(offset_minutes=60)
    assert late.state == "skipped"
    assert "not sent late" in late.reason


def test_booking_closer_than_a_reminder_skips_it_visibly(company: Company) -> None:
    with time_machine.travel(TUESDAY_10 - timedelta(hours=5), tick=False):
        interview = book(company)
    day_before = interview.reminders.get(offset_minutes=24 * 60)
    assert day_before.state == "skipped" and "Booked after" in day_before.reason
    assert candidate_planned(interview) == [TUESDAY_10 - timedelta(hours=1)]


def test_interviewer_reminders_when_the_template_asks(company: Company) -> None:
    company.template.remind_interviewers = True
    company.template.reminder_offsets_minutes = [30]
    company.template.save()
    interview = book(company)

    work_at(TUESDAY_10 - timedelta(minutes=30))

    assert sorted(email.to for email in reminder_emails()) == [
        "ada@acme.example",
        "nora@acme.example",
    ]
    to_nora = next(email for email in reminder_emails() if email.to == "nora@acme.example")
    assert "10:00" in to_nora.subject  # her own zone, New York
    assert f"/interviews/{interview.pk}/" in to_nora.body_text


def test_two_workers_racing_for_one_reminder_send_it_once() -> None:
    with time_machine.travel(datetime(2026, 3, 2, 12, 0, tzinfo=UTC), tick=False):
        company = company_build("race")
        interview = book(company)
    reminder = interview.reminders.get(offset_minutes=60)
    results: list[str] = []
    barrier = threading.Barrier(4)

    def worker() -> None:
        barrier.wait()
        try:
            results.append(reminder_send(reminder_id=str(reminder.pk), now=reminder.due_at))
        finally:
            connections.close_all()

    with time_machine.travel(reminder.due_at, tick=False):
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    # A run that starts after the winner committed finds it "already sent"; one that raced
    # it finds its claim taken: either way only the winner answers "sent".
    assert sorted(results).count("sent") == 1
    assert set(results) - {"sent"} <= {"claimed elsewhere", "already sent"}
    assert OutgoingEmail.objects.filter(kind="interview_reminder").count() == 1
    reminder.refresh_from_db()
    assert (reminder.state, reminder.attempts) == ("sent", 1)


def test_a_run_after_the_winner_says_already_sent_not_sent(company: Company) -> None:
    interview = book(company)
    reminder = interview.reminders.get(offset_minutes=60)

    first = reminder_send(reminder_id=str(reminder.pk), now=reminder.due_at)
    second = reminder_send(reminder_id=str(reminder.pk), now=reminder.due_at)

    assert (first, second) == ("sent", "already sent")
    assert OutgoingEmail.objects.filter(kind="interview_reminder").count() == 1


def test_the_sweep_mends_a_broken_chain_of_wake_ups(company: Company) -> None:
    book(company)
    run_worker()
    DBTaskResult.objects.all().delete()

    with time_machine.travel(TUESDAY_10 - timedelta(hours=23, minutes=58), tick=False):
        work_sweep()

    # The day-before reminder went out, and the hour-before one has its wake-up again
    assert len(reminder_emails()) == 1
    [wake_up] = DBTaskResult.objects.filter(task_path__endswith="reminders_wake_execute")
    assert wake_up.run_after == TUESDAY_10 - timedelta(hours=1)
