"""HireSlot's worker: django-tasks-db's, plus work leases and a life through database outages.

What it adds to the library's polling loop (decision 0009):

- a heartbeat thread renews this process's ``WorkerLease`` every third of a lease and records
  the task it runs, so a long task is never taken from a living worker;
- every half lease the loop sweeps: task rows held by a worker whose lease lapsed go back to
  the queue, and apps put their own stuck rows back in line (``leases.sweep_register``);
- an unreachable database is waited out (reconnecting with a capped backoff, logged once per
  outage) instead of ending the process; a task cut short by the outage is queued again
  rather than recorded as failed, and after an outage the sweep waits one lease, so that
  workers which lived through it renew their leases before anyone judges them dead.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import socket
import threading
import time
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError, OperationalError, close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from hireslot.core import clock
from hireslot.core.leases import READY, RUNNING, lease_expiry, lease_length, work_sweep
from hireslot.core.models import WorkerLease
from hireslot.core.outage import (
    connections_reset,
    database_unreachable,
    reconnect_delay,
    recovered_mark,
    recovered_since,
)

logger = logging.getLogger("hireslot.worker")

# A task cut short by outages this many times is recorded as failed: it is probably the task
# itself (SQLite's "no such table" is an OperationalError too), not the database.
MAX_INTERRUPTIONS = 20
# When a task cut short by an outage may run again.
REQUEUE_AFTER_SECONDS = 1.0


class LeasedWorker(Worker):
    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.lease_seconds = lease_length().total_seconds()
        self.current_task: str | None = None
        self._beating = threading.Event()
        self._heart: threading.Thread | None = None
        self._registered = False
        self._next_sweep = 0.0
        self._outage_since: float | None = None
        self._outage_attempts = 0
        # Task rows this worker must give back once the database answers again, with the
        # claim time that proves the row is still this worker's.
        self._requeue: dict[str, datetime | None] = {}

    # --- the loop --------------------------------------------------------------------------

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s lease=%.0fs",
            self.worker_id,
            ",".join(self.queue_names),
            self.lease_seconds,
        )
        if self.startup_delay and self.interval:
            time.sleep(random.random())
        self._heart = threading.Thread(target=self._heartbeat, name="lease-heartbeat", daemon=True)
        self._heart.start()
        try:
            while self.running:
                try:
                    if self._poll():
                        return
                except DatabaseError as error:
                    if isinstance(error, OperationalError) and is_locked_database_exception(error):
                        continue  # SQLite's write lock is busy: not an outage
                    if not database_unreachable(error):
                        raise
                    self._outage(error)
        finally:
            self._beating.set()
            self._resign()

    def _poll(self) -> bool:
        """One turn of the loop; True when the worker should stop (batch or max tasks)."""
        close_old_connections()
        self._register()
        self._requeue_pending()
        self._recovered()
        self._sweep_if_due()
        task_result = self._claim()
        if task_result is not None:
            self.run_task(task_result)
        if self.batch and task_result is None:
            logger.info("No more tasks for worker_id=%s - exiting gracefully.", self.worker_id)
            return True
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            logger.info("Ran maximum tasks (%d) on worker=%s.", self._run_tasks, self.worker_id)
            return True
        close_old_connections()
        if self.running and task_result is None:
            time.sleep(self.interval)
        return False

    def _claim(self) -> DBTaskResult[Any, Any] | None:
        if connection.vendor == "postgresql":
            return self._claim_in_one_statement()
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            task_result = tasks.get_locked()
            if task_result is not None:
                task_result.claim(self.worker_id)
        return task_result

    def _claim_in_one_statement(self) -> DBTaskResult[Any, Any] | None:
        """The library's claim (the next READY row, locked, skipping rows other workers
        hold, then marked RUNNING) as one autocommitted UPDATE … RETURNING: one round trip
        instead of four (BEGIN, SELECT … FOR UPDATE SKIP LOCKED, UPDATE, COMMIT), which was
        a third of a worker's time per short task (measured in decision 0009)."""
        table = connection.ops.quote_name(DBTaskResult._meta.db_table)
        where = [
            "status = 'READY'",
            "backend_name = %s",
            "(run_after = %s OR run_after <= %s)",
        ]
        now = timezone.now()
        params: list[object] = [now, self.worker_id, self.backend_name, get_date_max(), now]
        if not self.process_all_queues:
            where.append("queue_name = ANY(%s)")
            params.append(list(self.queue_names))
        if self.excluded_queue_names:
            where.append("NOT (queue_name = ANY(%s))")
            params.append(list(self.excluded_queue_names))
        sql = (
            f"UPDATE {table} SET status = 'RUNNING', started_at = %s, "  # noqa: S608 - no input
            "worker_ids = worker_ids || to_jsonb(%s::text) "
            f"WHERE id = (SELECT id FROM {table} WHERE {' AND '.join(where)} "
            "ORDER BY priority DESC, run_after ASC, enqueued_at ASC "
            "LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *"
        )
        return next(iter(DBTaskResult.objects.raw(sql, params)), None)

    def run_task(self, db_task_result: DBTaskResult[Any, Any]) -> None:
        """Run the task as the library does, except when the database went away under it (or
        the worker is being forced to stop): then the task goes back to the queue, not to
        FAILED, because nothing is known to be wrong with it."""
        pk = str(db_task_result.pk)
        self.current_task = pk
        original = DBTaskResult.set_failed
        interrupted: list[BaseException] = []

        def set_failed(row: DBTaskResult[Any, Any], error: BaseException) -> None:
            if isinstance(error, KeyboardInterrupt | SystemExit) or (
                database_unreachable(error) and len(row.worker_ids) < MAX_INTERRUPTIONS
            ):
                interrupted.append(error)
                return
            original(row, error)

        db_task_result.set_failed = set_failed.__get__(db_task_result)
        try:
            super().run_task(db_task_result)
        except DatabaseError as error:
            # Recording the outcome failed (the database went away after the task ended): the
            # task runs again, which its idempotence makes safe.
            if not database_unreachable(error):
                raise
            self._requeue[pk] = db_task_result.started_at
            raise
        finally:
            self.current_task = None
        if interrupted:
            cause = interrupted[0]
            logger.warning(
                "task %s (%s) was interrupted (%s: %s); it will run again",
                pk,
                db_task_result.task_path,
                type(cause).__name__,
                cause,
            )
            self._requeue[pk] = db_task_result.started_at
            self._requeue_pending()
            if isinstance(cause, KeyboardInterrupt | SystemExit):
                raise cause

    # --- leases ----------------------------------------------------------------------------

    def _register(self) -> None:
        if self._registered:
            return
        now = clock.now()
        # A worker started again under the same id is a new life: what the old one held is
        # given back at once rather than after its lease.
        mine = [
            pk
            for pk, workers in DBTaskResult.objects.filter(status=RUNNING).values_list(
                "pk", "worker_ids"
            )
            if workers and workers[-1] == self.worker_id
        ]
        if mine:
            DBTaskResult.objects.filter(pk__in=mine, status=RUNNING).update(status=READY)
        WorkerLease.objects.update_or_create(
            worker_id=self.worker_id,
            defaults={
                "hostname": socket.gethostname()[:255],
                "pid": os.getpid(),
                "started_at": now,
                "beat_at": now,
                "expires_at": lease_expiry(now),
                "task_id": None,
            },
        )
        self._registered = True

    def _heartbeat(self) -> None:
        """Renew the lease every third of it, from its own thread (and its own connection),
        so a long task or a slow provider never lets it lapse while the process lives."""
        every = max(0.05, self.lease_seconds / 3)
        try:
            while not self._beating.wait(every):
                if not self._registered:
                    continue
                try:
                    now = clock.now()
                    WorkerLease.objects.filter(worker_id=self.worker_id).update(
                        beat_at=now, expires_at=lease_expiry(now), task_id=self.current_task
                    )
                except DatabaseError:
                    # The main loop reports the outage; the next beat tries again.
                    connections_reset()
        finally:
            connections_reset()

    def _resign(self) -> None:
        """A worker that stops cleanly gives up its lease at once."""
        with contextlib.suppress(DatabaseError):
            WorkerLease.objects.filter(worker_id=self.worker_id).update(
                expires_at=timezone.now(), task_id=None
            )

    def _sweep_if_due(self) -> None:
        now = time.monotonic()
        if now < self._next_sweep or recovered_since() < self.lease_seconds:
            # Nobody could renew a lease during an outage: after one, living workers get a
            # whole lease to renew theirs before anyone is judged dead.
            return
        # At least every half lease; the jitter keeps many workers from sweeping in step.
        self._next_sweep = now + self.lease_seconds / 2 * random.uniform(0.5, 1.0)
        requeued = work_sweep()
        if requeued:
            logger.warning("sweep: %d task(s) of lapsed workers queued again", requeued)

    def _requeue_pending(self) -> None:
        for pk, started_at in sorted(self._requeue.items()):
            # Only while it is still this claim: a sweep may have given it to another worker.
            DBTaskResult.objects.filter(pk=pk, status=RUNNING, started_at=started_at).update(
                status=READY,
                run_after=clock.now() + timedelta(seconds=REQUEUE_AFTER_SECONDS),
            )
            del self._requeue[pk]

    # --- outages ---------------------------------------------------------------------------

    def _outage(self, error: BaseException) -> None:
        """Wait for the database, reconnecting with a capped backoff; say so once."""
        if self._outage_since is None:
            self._outage_since = time.monotonic()
            logger.error(
                "database unreachable (%s: %s); worker %s keeps trying to reconnect",
                type(error).__name__,
                str(error).strip().splitlines()[0] if str(error).strip() else "",
                self.worker_id,
            )
        self._outage_attempts += 1
        connections_reset()
        if self.running:
            time.sleep(reconnect_delay(self._outage_attempts))

    def _recovered(self) -> None:
        if self._outage_since is None:
            return
        logger.warning(
            "database reachable again after %.0f s; worker %s carries on",
            time.monotonic() - self._outage_since,
            self.worker_id,
        )
        self._outage_since = None
        self._outage_attempts = 0
        recovered_mark()
