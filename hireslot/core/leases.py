"""Work leases: background work is held for a while, not for ever (decision 0009).

A worker holds what it runs under a lease of ``HIRESLOT_WORK_LEASE_SECONDS``: its task row
through its ``WorkerLease`` (renewed by a heartbeat thread while the process lives), and the
domain row it claimed (an email being sent, a Zoom meeting being made) through that row's
``claimed_until``. When a worker dies without a word (``kill -9``, OOM, a lost machine) its
leases lapse; ``work_sweep``, run by every worker at least every half lease, gives the task
rows back to the queue, and apps' own sweeps (``sweep_register``) put their stuck rows back in
line. Running work twice is safe by design (deterministic ids, iCalendar UID + SEQUENCE,
conditional claims), so a sweep that races a slow but living worker costs a no-op, not a
duplicate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django_tasks_db.models import DBTaskResult

from hireslot.core import clock
from hireslot.core.models import WorkerLease

logger = logging.getLogger(__name__)

RUNNING, READY = "RUNNING", "READY"
# A worker row is kept this long after it lapsed, so people can see which worker died.
FORGET_WORKERS_AFTER = timedelta(days=1)

_sweeps: list[Callable[[], object]] = []


def lease_length() -> timedelta:
    return timedelta(seconds=settings.HIRESLOT_WORK_LEASE_SECONDS)


def lease_expiry(now: datetime | None = None) -> datetime:
    """When a lease taken (or renewed) now runs out."""
    return (now or clock.now()) + lease_length()


def sweep_register(sweep: Callable[[], object]) -> None:
    """Run ``sweep`` with every work sweep. Apps register from their ``tasks`` module (which
    core imports once the app registry is ready) what puts their own stuck rows back in line;
    each must be idempotent and quick."""
    if sweep not in _sweeps:
        _sweeps.append(sweep)


def tasks_lapsed_requeue(*, now: datetime | None = None) -> list[str]:
    """Give back to the queue every task row RUNNING for longer than a lease whose worker no
    longer holds it (its lease lapsed, or it has moved on). Returns their ids."""
    now = now or clock.now()
    held = dict(
        WorkerLease.objects.filter(expires_at__gt=now, task_id__isnull=False).values_list(
            "worker_id", "task_id"
        )
    )
    started_before = now - lease_length()
    running = DBTaskResult.objects.filter(status=RUNNING, started_at__lt=started_before)
    lapsed = {
        str(pk): (path, workers[-1] if workers else "?")
        for pk, path, workers in running.values_list("pk", "task_path", "worker_ids")
        if not (workers and str(held.get(workers[-1])) == str(pk))
    }
    if not lapsed:
        return []
    # The same conditions again in the UPDATE: a row claimed meanwhile is not touched.
    DBTaskResult.objects.filter(
        pk__in=list(lapsed), status=RUNNING, started_at__lt=started_before
    ).update(status=READY)
    for pk, (path, worker) in lapsed.items():
        logger.warning(
            "task %s (%s) was held by worker %s, whose lease lapsed: queued again", pk, path, worker
        )
    return list(lapsed)


def work_sweep(*, now: datetime | None = None) -> int:
    """One sweep: task rows, then every app's own. Returns how many task rows came back."""
    now = now or clock.now()
    requeued = tasks_lapsed_requeue(now=now)
    for sweep in _sweeps:
        sweep()
    WorkerLease.objects.filter(expires_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return len(requeued)
