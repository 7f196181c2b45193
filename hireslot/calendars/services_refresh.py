"""Keeping connected calendars' busy time fresh, run by the worker.

A refresh cycle re-enqueues itself (``calendars_refresh_due``), so one chain runs for as long
as a worker does; ``refresh_chain_ensure`` starts it when none is queued (at `serve` start-up
and whenever someone connects a calendar). Push notifications (Google channels, Graph
subscriptions) make refreshes sooner; this is the floor.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import DatabaseError

from hireslot.calendars.connections import connection_busy_refresh, connection_mark_broken
from hireslot.calendars.models import CalendarConnection, ConnectionStatus
from hireslot.calendars.push import push_ensure, push_sync
from hireslot.core import clock
from hireslot.core.remote import ConnectionBrokenError, ProviderError
from hireslot.core.work import work_enqueue

logger = logging.getLogger(__name__)

# The cycle runs every minute (CHAIN_EVERY) and re-reads each connection not read in the last
# four (REFRESH_EVERY), so busy time is at most about five minutes old where push is not
# available (issue 6).
REFRESH_EVERY = timedelta(minutes=4)
CHAIN_EVERY = timedelta(minutes=1)
TASK_PATH = "hireslot.calendars.tasks.calendars_refresh_due"


def calendar_connection_refresh_run(*, connection_id: str) -> str:
    row = (
        CalendarConnection.objects.select_related("organization", "user")
        .filter(pk=connection_id)
        .first()
    )
    if row is None:
        return "missing"
    if row.status != ConnectionStatus.ACTIVE:
        return row.status
    try:
        count = connection_busy_refresh(row=row)
    except ProviderError as error:
        logger.warning("busy refresh of %s failed: %s", row.pk, error)
        return f"failed: {error}"
    push_ensure(row=row)
    return f"{count} busy blocks"


def calendar_connection_push_sync_run(*, connection_id: str) -> str:
    row = (
        CalendarConnection.objects.select_related("organization", "user")
        .filter(pk=connection_id, status=ConnectionStatus.ACTIVE)
        .first()
    )
    if row is None:
        return "missing"
    try:
        return f"{push_sync(row=row)} busy blocks"
    except ConnectionBrokenError as error:
        connection_mark_broken(row=row, error=str(error))
        return f"broken: {error}"
    except ProviderError as error:
        logger.warning("push sync of %s failed: %s", row.pk, error)
        return f"failed: {error}"


def refresh_due_run() -> int:
    due = CalendarConnection.objects.filter(status=ConnectionStatus.ACTIVE).exclude(
        last_synced_at__gt=clock.now() - REFRESH_EVERY
    )
    refreshed = 0
    for row in due.select_related("organization", "user"):
        try:
            connection_busy_refresh(row=row)
            refreshed += 1
        except ProviderError as error:
            logger.warning("busy refresh of %s failed: %s", row.pk, error)
            continue
        except DatabaseError:
            raise  # an outage: the worker runs the whole cycle again once it is over
        except Exception:
            # One connection's surprise must not end the cycle for everyone.
            logger.exception("busy refresh of %s failed", row.pk)
            continue
        push_ensure(row=row)
    work_enqueue("calendars_refresh_due", run_after=clock.now() + CHAIN_EVERY)
    return refreshed


def refresh_chain_ensure() -> bool:
    """Queue the refresh cycle unless one is waiting or running (a running one queues its
    successor); True when it was queued."""
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=TASK_PATH, status__in=["READY", "RUNNING"]).exists():
        return False
    work_enqueue("calendars_refresh_due")
    return True


def refresh_chain_sweep() -> bool:
    """The work sweep's part for calendars (decision 0009): a cycle that ended without
    queuing its successor (recorded as failed, or lost) is started again while anyone has a
    connected calendar. A cycle held by a dead worker comes back through its task lease."""
    if not CalendarConnection.objects.filter(status=ConnectionStatus.ACTIVE).exists():
        return False
    return refresh_chain_ensure()
