"""HireSlot's worker (``db_worker``): work leases, the sweeper, and database outages
(issue 9, items 13 and 14; decision 0005). The whole processes are in tests/reliability/."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from hireslot.core import clock
from hireslot.core.models import WorkerLease
from tests.core import worker_tasks

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def short_lease(settings: Any) -> Iterator[None]:
    settings.HIRESLOT_WORK_LEASE_SECONDS = 1
    worker_tasks.runs.clear()
    yield
    worker_tasks.runs.clear()


def run_worker() -> None:
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, verbosity=0)


def left_running(task_id: str, *, by: str, ago: float) -> None:
    DBTaskResult.objects.filter(pk=task_id).update(
        status="RUNNING", worker_ids=[by], started_at=clock.now() - timedelta(seconds=ago)
    )


def test_a_task_left_running_by_a_killed_worker_runs_again_after_its_lease() -> None:
    """Given a task a worker claimed before it was killed (its row RUNNING, its lease
    lapsed), when another worker polls, the task is given back and runs, once."""
    result = worker_tasks.note.enqueue(marker="invite")
    left_running(result.id, by="killed-worker", ago=5)

    run_worker()

    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "SUCCESSFUL"
    assert worker_tasks.runs == ["invite"]
    assert row.worker_ids[0] == "killed-worker"
    assert len(row.worker_ids) == 2


def test_a_task_claimed_just_now_is_not_taken_back() -> None:
    result = worker_tasks.note.enqueue(marker="fresh")
    left_running(result.id, by="busy-worker", ago=0)

    run_worker()

    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    assert worker_tasks.runs == []


def test_a_long_task_of_a_living_worker_is_not_taken() -> None:
    """Given a task running for many leases on a worker that keeps renewing its lease,
    the sweep leaves it alone."""
    result = worker_tasks.note.enqueue(marker="long")
    left_running(result.id, by="living-worker", ago=60)
    now = clock.now()
    WorkerLease.objects.create(
        worker_id="living-worker",
        started_at=now,
        beat_at=now,
        expires_at=now + timedelta(seconds=1),
        task_id=result.id,
    )

    run_worker()

    assert DBTaskResult.objects.get(pk=result.id).status == "RUNNING"
    assert worker_tasks.runs == []


def test_the_heartbeat_keeps_a_task_longer_than_the_lease() -> None:
    """A task that runs three leases long, on a real worker: a sweep at its end (what
    another worker would do) does not take it, and it finishes once."""
    result = worker_tasks.outlive_the_lease.enqueue(seconds=3)

    run_worker()

    assert worker_tasks.runs == ["swept 0"]
    assert DBTaskResult.objects.get(pk=result.id).status == "SUCCESSFUL"
    lease = WorkerLease.objects.get()
    assert lease.expires_at <= clock.now()  # given up when the worker stopped


def test_a_task_cut_short_by_a_database_outage_is_queued_again_not_failed() -> None:
    result = worker_tasks.lose_the_database.enqueue()

    run_worker()

    row = DBTaskResult.objects.get(pk=result.id)
    assert worker_tasks.runs == ["lost"]
    assert row.status == "READY"
    assert row.run_after > clock.now() - timedelta(seconds=5)


def test_the_admin_lists_workers_and_whether_they_are_alive(client: Any) -> None:
    from hireslot.accounts.models import User

    now = clock.now()
    for name, expires in (("alive-1", now + timedelta(minutes=1)), ("dead-1", now)):
        WorkerLease.objects.create(worker_id=name, started_at=now, beat_at=now, expires_at=expires)
    client.force_login(User.objects.create_superuser("root@example.com", "pw-not-used-123"))

    page = client.get("/admin/core/workerlease/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "alive-1" in text and "dead-1" in text
    assert 'alt="True"' in text and 'alt="False"' in text
