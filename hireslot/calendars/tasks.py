"""Background work for calendars: thin, idempotent, by id."""

from __future__ import annotations

from django_tasks import task

from hireslot.calendars.services_refresh import (
    calendar_connection_push_sync_run,
    calendar_connection_refresh_run,
    refresh_chain_sweep,
    refresh_due_run,
)
from hireslot.core.leases import sweep_register
from hireslot.core.work import work_register

# The worker's sweeper restarts the refresh cycle if its chain was lost (decision 0009).
sweep_register(refresh_chain_sweep)


@work_register("calendar_connection_refresh")
@task(queue_name="default")
def calendar_connection_refresh(connection_id: str) -> str:
    return calendar_connection_refresh_run(connection_id=connection_id)


@work_register("calendars_refresh_due")
@task(queue_name="default")
def calendars_refresh_due() -> int:
    """Refresh every connection not refreshed lately, then come back in a few minutes."""
    return refresh_due_run()


@work_register("calendar_connection_push_sync")
@task(queue_name="default")
def calendar_connection_push_sync(connection_id: str) -> str:
    """After a push notification: apply what changed to the busy cache."""
    return calendar_connection_push_sync_run(connection_id=connection_id)
