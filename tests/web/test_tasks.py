"""Tasks: the booking's task follows its interview (closed on cancel, due date moved on
reschedule), and a checkbox completes a task on Home, the candidate page and the Tasks page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import Client

from hireslot.recruiting.models import Task
from hireslot.recruiting.services import task_create
from hireslot.scheduling.models import Effect, Interview
from hireslot.scheduling.services import (
    effect_run,
    interview_book,
    interview_cancel,
    interview_reschedule,
)
from tests.scheduling.conftest import Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def _booked_with_task(company: Company) -> tuple[Interview, Task]:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    effect_run(effect_id=str(Effect.objects.get(interview=interview, kind="task").pk))
    return interview, Task.objects.get(application=company.application)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_cancelling_the_interview_closes_its_task(company: Company) -> None:
    interview, task = _booked_with_task(company)
    other = task_create(organization=company.organization, title="Call references")

    interview_cancel(interview=interview, actor=company.recruiter, by_candidate=False)

    task.refresh_from_db()
    other.refresh_from_db()
    assert task.done and task.done_at is not None
    assert not other.done  # only the booking's own task
    home = _client(company.recruiter).get("/").content.decode()
    assert task.title not in home


def test_rescheduling_moves_the_task_due_date_with_the_interview(company: Company) -> None:
    interview, task = _booked_with_task(company)
    due = task.due_at
    assert due is not None

    interview_reschedule(
        interview=interview,
        start=TUESDAY_10 + timedelta(days=1),
        actor=company.recruiter,
        by_candidate=False,
    )

    task.refresh_from_db()
    assert task.due_at == due + timedelta(days=1)
    assert not task.done


def test_a_task_step_that_runs_after_the_cancel_creates_no_task(company: Company) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    interview_cancel(interview=interview, actor=company.recruiter, by_candidate=False)

    effect_run(effect_id=str(Effect.objects.get(interview=interview, kind="task").pk))

    assert not Task.objects.filter(application=company.application).exists()


def test_ticking_the_checkbox_completes_the_task_and_unticking_undoes_it(
    company: Company,
) -> None:
    _, task = _booked_with_task(company)
    client = _client(company.recruiter)
    assert f'id="task-box-{task.pk}"' in client.get("/").content.decode()
    candidate_page = client.get(f"/candidates/{company.candidate.pk}/").content.decode()
    assert f'id="task-box-{task.pk}"' in candidate_page

    row = client.post(f"/tasks/{task.pk}/done/", {"done": "1"}, headers={"HX-Request": "true"})
    task.refresh_from_db()
    assert task.done
    assert "Done. Untick to undo." in row.content.decode()
    assert "checked" in row.content.decode()
    assert task.title not in client.get("/").content.decode()

    client.post(f"/tasks/{task.pk}/done/", {}, headers={"HX-Request": "true"})
    task.refresh_from_db()
    assert not task.done

    # Without JavaScript the form posts and comes back to its page.
    back = client.post(f"/tasks/{task.pk}/done/", {"done": "1", "next": "/tasks/"})
    assert back.status_code == 302 and back["Location"] == "/tasks/"


def test_only_the_assignee_or_a_recruiter_completes_a_task(company: Company) -> None:
    task = task_create(
        organization=company.organization, title="Send the offer", assignee=company.recruiter
    )

    refused = _client(company.interviewer).post(f"/tasks/{task.pk}/done/", {"done": "1"})

    assert refused.status_code == 403
    task.refresh_from_db()
    assert not task.done


def test_the_tasks_page_shows_mine_or_everyones_due_today_or_overdue(company: Company) -> None:
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # the travel fixture's clock
    overdue = task_create(
        organization=company.organization,
        title="Overdue thing",
        assignee=company.recruiter,
        due_at=now - timedelta(hours=3),
    )
    today = task_create(
        organization=company.organization,
        title="Today thing",
        assignee=company.recruiter,
        due_at=now + timedelta(hours=2),
    )
    later = task_create(
        organization=company.organization,
        title="Next week thing",
        assignee=company.recruiter,
        due_at=now + timedelta(days=7),
    )
    theirs = task_create(
        organization=company.organization, title="Thing for Nora", assignee=company.interviewer
    )
    client = _client(company.recruiter)

    mine = client.get("/tasks/").content.decode()
    everyone = client.get("/tasks/?who=everyone").content.decode()
    due_today = client.get("/tasks/?when=today").content.decode()
    late = client.get("/tasks/?when=overdue").content.decode()

    assert all(t.title in mine for t in (overdue, today, later)) and theirs.title not in mine
    assert theirs.title in everyone
    assert today.title in due_today and overdue.title not in due_today
    assert later.title not in due_today
    assert overdue.title in late and today.title not in late
    assert "Overdue · due" in mine and "Today · due" in mine
    assert "in 2 h" in mine and "3 h ago" in mine
