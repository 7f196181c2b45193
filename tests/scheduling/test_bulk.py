"""Bulk sending: the click records every candidate in a few queries, the worker sends them one
transaction each, records sent / skipped (with the reason) / failed (with the error), and a
second run changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from hireslot.accounts.models import Plan
from hireslot.core.errors import HireSlotError, PlanRequiredError
from hireslot.recruiting.models import Application, WorkflowStage
from hireslot.recruiting.services import application_create, candidate_create, job_create
from hireslot.scheduling.models import BulkSend, BulkSendItem, SchedulingRequest
from hireslot.scheduling.selectors import stage_template_of
from hireslot.scheduling.services import bulk as bulk_services
from hireslot.scheduling.services.bulk import (
    bulk_send_progress,
    bulk_send_run,
    bulk_send_start,
    stage_template_assign,
)
from hireslot.scheduling.services.requests import (
    RequestBatch,
    SentRequest,
    scheduling_request_send,
)
from tests.scheduling.conftest import Company, company_build, person, run_worker


def applicants(company: Company, count: int, *, start: int = 0) -> list[Application]:
    """``count`` more candidates for the company's job, each with an email address."""
    return [
        application_create(
            candidate=candidate_create(
                organization=company.organization,
                first_name=f"Cand{number:04d}",
                email=f"cand{number}@example.com",
            ),
            job=company.application.job,
            actor=company.recruiter,
        )
        for number in range(start, start + count)
    ]


def start(company: Company, applications: list[Application]) -> BulkSend:
    return bulk_send_start(
        organization=company.organization,
        template=company.template,
        applications=applications,
        sender=company.recruiter,
    )


def outcomes(bulk_send: BulkSend) -> dict[str, tuple[str, str]]:
    return {
        item.application.candidate.name: (item.outcome, item.reason)
        for item in BulkSendItem.objects.filter(bulk_send=bulk_send).select_related(
            "application__candidate"
        )
    }


def test_start_records_every_candidate_in_a_fixed_number_of_queries(company: Company) -> None:
    few = applicants(company, 5)
    many = applicants(company, 60, start=100)

    with CaptureQueriesContext(connection) as small:
        first = start(company, few)
    with CaptureQueriesContext(connection) as large:
        second = start(company, many + many[:3])  # a candidate chosen twice counts once

    assert len(large.captured_queries) == len(small.captured_queries)
    assert (first.total, second.total) == (5, 60)
    assert BulkSendItem.objects.filter(bulk_send=second).count() == 60
    assert set(BulkSendItem.objects.values_list("outcome", flat=True)) == {"waiting"}
    assert second.status == BulkSend.Status.QUEUED
    tasks = DBTaskResult.objects.filter(task_path__endswith="bulk_send_execute")
    assert tasks.count() == 2  # one task per bulk send, not one per candidate
    assert SchedulingRequest.objects.count() == 0  # nothing is sent until the worker runs


def test_start_refuses_nothing_chosen_another_organization_and_plans_without_it(
    company: Company,
) -> None:
    other = company_build("other")
    with pytest.raises(HireSlotError, match="at least one"):
        start(company, [])
    with pytest.raises(HireSlotError, match="another organization"):
        start(company, [other.application])
    with pytest.raises(HireSlotError, match="another organization"):
        bulk_send_start(
            organization=company.organization,
            template=other.template,
            applications=[company.application],
            sender=company.recruiter,
        )
    company.organization.plan = Plan.STARTER
    company.organization.save()
    with pytest.raises(PlanRequiredError):
        start(company, [company.application])
    assert BulkSend.objects.count() == 0


def test_run_sends_skips_with_reasons_and_fails_with_errors(company: Company) -> None:
    [good] = applicants(company, 1)
    no_email = application_create(
        candidate=candidate_create(organization=company.organization, first_name="Noemail"),
        job=company.application.job,
        actor=company.recruiter,
    )
    company.send()  # Ada already has a pending request
    # A job whose hiring manager has no working hours: its candidates cannot be sent.
    idle = person("idle@acme.example", "Ida Idle", "America/New_York", weekly_hours={})
    other_job = job_create(organization=company.organization, title="Welder", hiring_manager=idle)
    stuck = application_create(
        candidate=candidate_create(
            organization=company.organization, first_name="Stuck", email="stuck@example.com"
        ),
        job=other_job,
        actor=company.recruiter,
    )
    bulk_send = start(company, [company.application, good, no_email, stuck])

    result = bulk_send_run(bulk_send_id=str(bulk_send.pk))

    assert result.status == BulkSend.Status.DONE and result.finished_at is not None
    assert outcomes(bulk_send) == {
        "Cand0000": ("sent", ""),
        "Ada Okafor": (
            "skipped",
            "Ada Okafor already has a pending request for the Manager Interview.",
        ),
        "Noemail": ("skipped", "Noemail has no email address."),
        "Stuck": (
            "failed",
            "Ida Idle has no working hours in My Settings, so the candidate could not book "
            "any time.",
        ),
    }
    sent = SchedulingRequest.objects.get(application=good)
    assert sent.bulk_send == bulk_send and sent.sender == company.recruiter
    assert sent.email is not None and sent.email.to == "cand0@example.com"
    progress = bulk_send_progress(bulk_send=result)
    assert (progress.sent, progress.skipped, progress.failed, progress.percent) == (1, 2, 1, 100)
    assert progress.done


def test_a_second_run_changes_nothing(company: Company) -> None:
    applications = applicants(company, 3)
    bulk_send = start(company, applications)
    bulk_send_run(bulk_send_id=str(bulk_send.pk))
    before = outcomes(bulk_send)

    again = bulk_send_run(bulk_send_id=str(bulk_send.pk))

    assert again.status == BulkSend.Status.DONE
    assert outcomes(bulk_send) == before
    assert SchedulingRequest.objects.filter(bulk_send=bulk_send).count() == 3


def test_a_run_after_a_crash_only_sends_what_still_waits(company: Company) -> None:
    applications = applicants(company, 3)
    bulk_send = start(company, applications)
    # An earlier run got as far as the first candidate before the worker died.
    first = BulkSendItem.objects.get(bulk_send=bulk_send, application=applications[0])
    first.outcome = BulkSendItem.Outcome.SENT
    first.save()
    BulkSend.objects.filter(pk=bulk_send.pk).update(status=BulkSend.Status.RUNNING)

    bulk_send_run(bulk_send_id=str(bulk_send.pk))

    assert not SchedulingRequest.objects.filter(application=applications[0]).exists()
    assert SchedulingRequest.objects.filter(bulk_send=bulk_send).count() == 2
    assert BulkSend.objects.get(pk=bulk_send.pk).status == BulkSend.Status.DONE


def test_one_bad_candidate_does_not_stop_the_rest(
    company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    applications = applicants(company, 4)
    real_send = RequestBatch.send

    def flaky_send(self: RequestBatch, **kwargs: Any) -> SentRequest:
        if kwargs["application"] == applications[1]:
            # Something written before the crash must be rolled back with it.
            SchedulingRequest.objects.all().delete()
            raise RuntimeError("boom")
        return real_send(self, **kwargs)

    monkeypatch.setattr(RequestBatch, "send", flaky_send)
    bulk_send = start(company, applications)

    bulk_send_run(bulk_send_id=str(bulk_send.pk))

    result = outcomes(bulk_send)
    assert result["Cand0001"][0] == "failed"
    assert "Unexpected error (RuntimeError)" in result["Cand0001"][1]
    assert [result[f"Cand000{n}"][0] for n in (0, 2, 3)] == ["sent"] * 3
    assert SchedulingRequest.objects.filter(bulk_send=bulk_send).count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_bulk_send_and_delivers_its_emails(company: Company) -> None:
    applications = applicants(company, 5)
    bulk_send = start(company, applications)

    run_worker()

    bulk_send.refresh_from_db()
    assert bulk_send.status == BulkSend.Status.DONE
    requests = SchedulingRequest.objects.filter(bulk_send=bulk_send).select_related("email")
    assert len(requests) == 5
    assert {request.email.status for request in requests if request.email} == {"sent"}


def test_each_candidate_costs_a_fixed_number_of_statements(company: Company) -> None:
    """The template, its interviewers, their working hours and the conferencing check are
    read once per run and pending requests once per hundred candidates, so every candidate
    costs the same few statements: its transaction (a savepoint inside the test's), the
    claim, the email and its delivery task, the request (with its email and bulk send), its
    interviewers, the timeline event, its nudges (one INSERT) and their wake-up."""
    few, many = applicants(company, 5), applicants(company, 25, start=100)
    small_send, large_send = start(company, few), start(company, many)

    with CaptureQueriesContext(connection) as small:
        bulk_send_run(bulk_send_id=str(small_send.pk))
    with CaptureQueriesContext(connection) as large:
        bulk_send_run(bulk_send_id=str(large_send.pk))

    extra = len(large.captured_queries) - len(small.captured_queries)
    assert extra == 20 * 10
    assert SchedulingRequest.objects.filter(bulk_send=large_send).count() == 25
    request = SchedulingRequest.objects.select_related("email").get(application=many[0])
    assert request.bulk_send == large_send and request.email is not None
    single = company.send().request  # the same template sent from the candidate page
    assert set(request.interviewers.all()) == set(single.interviewers.all())
    assert (request.expires_at - request.created_at).days == (
        single.expires_at - single.created_at
    ).days
    assert request.email.subject.replace("Cand0100", "Ada") == single.email.subject
    assert list(request.events.values_list("kind", flat=True)) == ["sent"]
    assert DBTaskResult.objects.filter(
        task_path__endswith="email_deliver", args_kwargs__kwargs__email_id=str(request.email.pk)
    ).exists()


def test_a_candidate_sent_to_after_the_click_is_skipped(company: Company) -> None:
    applications = applicants(company, 3)
    bulk_send = start(company, applications)
    # From the candidate page, after the click and before the worker's run.
    scheduling_request_send(
        application=applications[1], template=company.template, sender=company.recruiter
    )

    bulk_send_run(bulk_send_id=str(bulk_send.pk))

    result = outcomes(bulk_send)
    assert result["Cand0001"] == (
        "skipped",
        "Cand0001 already has a pending request for the Manager Interview.",
    )
    assert [result[f"Cand000{n}"][0] for n in (0, 2)] == ["sent", "sent"]
    assert SchedulingRequest.objects.filter(application=applications[1]).count() == 1


def test_a_large_send_is_split_into_parts_any_worker_can_take(
    company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_services, "PART_SIZE", 2)
    monkeypatch.setattr(bulk_services, "_side_by_side", lambda: True)  # SQLite too
    applications = applicants(company, 5)
    bulk_send = start(company, applications)

    first = bulk_send_run(bulk_send_id=str(bulk_send.pk))  # the click's task

    assert first.status == BulkSend.Status.RUNNING
    assert [o for o, _ in outcomes(bulk_send).values()].count("sent") == 2
    parts = list(
        DBTaskResult.objects.filter(
            task_path__endswith="bulk_send_execute", args_kwargs__kwargs__has_key="item_ids"
        ).order_by("enqueued_at")
    )
    item_ids = [part.args_kwargs["kwargs"]["item_ids"] for part in parts]
    assert [len(ids) for ids in item_ids] == [2, 1]
    in_order = [
        str(pk)
        for pk in BulkSendItem.objects.filter(bulk_send=bulk_send)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    ]
    assert [pk for ids in item_ids for pk in ids] == in_order[2:]

    second = bulk_send_run(bulk_send_id=str(bulk_send.pk), item_ids=item_ids[0])
    assert second.status == BulkSend.Status.RUNNING  # one candidate still waits
    last = bulk_send_run(bulk_send_id=str(bulk_send.pk), item_ids=item_ids[1])
    assert last.status == BulkSend.Status.DONE
    assert {o for o, _ in outcomes(bulk_send).values()} == {"sent"}
    assert SchedulingRequest.objects.filter(bulk_send=bulk_send).count() == 5
    # A part run again, or the whole send run again, changes nothing.
    bulk_send_run(bulk_send_id=str(bulk_send.pk), item_ids=item_ids[0])
    bulk_send_run(bulk_send_id=str(bulk_send.pk))
    assert SchedulingRequest.objects.filter(bulk_send=bulk_send).count() == 5


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_on_sqlite_one_task_sends_everything(
    company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its write transactions take turns: parts would only wait for each other.
    monkeypatch.setattr(bulk_services, "PART_SIZE", 2)
    bulk_send = start(company, applicants(company, 5))

    assert bulk_send_run(bulk_send_id=str(bulk_send.pk)).status == BulkSend.Status.DONE
    assert DBTaskResult.objects.filter(task_path__endswith="bulk_send_execute").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_every_part_of_a_large_send(
    company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk_services, "PART_SIZE", 2)
    monkeypatch.setattr(bulk_services, "_side_by_side", lambda: True)  # SQLite too
    applications = applicants(company, 5)
    bulk_send = start(company, applications)

    run_worker()

    bulk_send.refresh_from_db()
    assert bulk_send.status == BulkSend.Status.DONE
    requests = SchedulingRequest.objects.filter(bulk_send=bulk_send).select_related("email")
    assert len(requests) == 5
    assert {request.email.status for request in requests if request.email} == {"sent"}


def test_a_stage_gets_a_template_of_its_own_organization_only(company: Company) -> None:
    other = company_build("other")
    stage = company.application.current_stage

    stage_template_assign(stage=stage, template=company.template, actor=company.recruiter)
    assert stage_template_of(WorkflowStage.objects.get(pk=stage.pk)) == company.template

    with pytest.raises(HireSlotError, match="another organization"):
        stage_template_assign(stage=stage, template=other.template, actor=company.recruiter)
    stage_template_assign(stage=stage, template=None, actor=company.recruiter)
    assert stage_template_of(WorkflowStage.objects.get(pk=stage.pk)) is None
