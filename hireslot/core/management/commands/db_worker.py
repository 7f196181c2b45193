"""``db_worker``: django-tasks-db's command running HireSlot's ``LeasedWorker``.

``hireslot.core`` comes before ``django_tasks_db`` in INSTALLED_APPS, so this command takes
the library's name and options: deployments, ``serve`` and the docs keep calling
``db_worker``, and get work leases and outage survival (decision 0009).
"""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands import db_worker

from hireslot.core.worker import LeasedWorker


class Command(db_worker.Command):
    help = (
        "Run a HireSlot background worker: work is held under a lease that a sweeper gives "
        "back when a worker dies, and the worker waits out database outages."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # The library builds its Worker by name inside handle(); lending it ours keeps every
        # option (queues, batch, reload, max tasks, worker id) exactly as documented there.
        original = db_worker.Worker
        db_worker.Worker = LeasedWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
