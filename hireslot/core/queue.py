"""Enqueueing many runs of one task at once, in the caller's transaction.

A booking enqueues one task per consequence (ten for a panel of three). With the database
backend each ``enqueue`` is its own INSERT; here the rows are written in one statement, the
same rows ``enqueue`` would write (so any worker runs them alike). Other backends (a broker
such as Redis) get one ``enqueue`` per call, as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django_tasks.base import Task
from django_tasks.signals import task_enqueued
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import normalize_json
from django_tasks_db.models import DBTaskResult, get_date_max


def tasks_enqueue(task: Task[Any, Any], calls: Sequence[dict[str, Any]]) -> None:
    """Enqueue ``task`` once per keyword-argument dict in ``calls``."""
    backend = task.get_backend()
    if type(backend) is not DatabaseBackend:
        # Only the stock database backend's rows are known here; a subclass or any other
        # backend may store more, so it gets its own enqueue.
        for kwargs in calls:
            task.enqueue(**kwargs)
        return
    backend.validate_task(task)
    rows = DBTaskResult.objects.bulk_create(
        DBTaskResult(
            id=backend._get_id(),
            args_kwargs=normalize_json({"args": [], "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            # What the model's pre_save handler would set (bulk_create sends no signals).
            run_after=task.run_after or get_date_max(),
            backend_name=backend.alias,
        )
        for kwargs in calls
    )
    for row in rows:
        task_enqueued.send(type(backend), task_result=row.task_result)
