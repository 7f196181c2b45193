"""The base every HireSlot table is built on."""

from __future__ import annotations

import uuid

from django.db import models


class BaseModel(models.Model):
    """UUID primary key (unguessable in URLs, safe to expose) and creation/update times."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class WorkerLease(models.Model):
    """A running worker process and the lease it holds on its work (decision 0009).

    The worker renews ``expires_at`` from a heartbeat thread while it lives and records the
    task it is running; a task row left RUNNING by a worker whose lease lapsed (``kill -9``,
    OOM, a lost machine) is given back to the queue by the sweeper.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    # The django-tasks-db task row it is running, as of its last heartbeat.
    task_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-beat_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} on {self.hostname} (pid {self.pid})"
