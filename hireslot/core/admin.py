from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from hireslot.core import clock
from hireslot.core.models import WorkerLease


@admin.register(WorkerLease)
class WorkerLeaseAdmin(admin.ModelAdmin[WorkerLease]):
    """Which workers run, and which died holding work (decision 0009). Read-only: the
    workers write these rows."""

    list_display = ("worker_id", "hostname", "pid", "alive", "beat_at", "expires_at", "task_id")

    @admin.display(boolean=True)
    def alive(self, row: WorkerLease) -> bool:
        return row.expires_at > clock.now()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
