"""Tasks the worker tests run: they record what happened in this process."""

from __future__ import annotations

import time

from django.db import OperationalError
from django_tasks import task

from hireslot.core.leases import tasks_lapsed_requeue

runs: list[str] = []


@task(queue_name="default")
def note(marker: str) -> str:
    runs.append(marker)
    return marker


@task(queue_name="default")
def lose_the_database() -> None:
    runs.append("lost")
    raise OperationalError("server closed the connection unexpectedly")


@task(queue_name="default")
def outlive_the_lease(seconds: float) -> str:
    """Runs longer than the lease, then sweeps as another worker would."""
    time.sleep(seconds)
    swept = tasks_lapsed_requeue()
    runs.append(f"swept {len(swept)}")
    return "done"
