"""Every row lock self-scheduling takes, and the one order it takes them in.

Two transactions that each hold a lock the other waits for deadlock; taking locks in one
order everywhere rules that out. Every ``select_for_update`` in ``scheduling`` is here, and
each locks only its own rows (``of=("self",)``), never the rows joined in to be read along.

The order, always:

1. **the scheduling request** (``request_locked``);
2. **then its interviewers, by primary key** (``interviewers_lock``); for a template with
   pool seats, every active member of its pools with them (whoever is drawn is locked); for
   a loop template, every session's people and pool members at once (``loops.loop_people``),
   so a loop locks everyone it may involve in the same one order before checking any session.

Booking, rescheduling and cancelling an interview take both
(``request_with_interviewers_lock``), so two bookings never deadlock, and the second one to
get the interviewers' locks sees the first one's interview when it checks the slot again.
Cancelling or resending a request takes the request; cancelling a booked one then cancels its
interview, which takes the request again (already held) and then the interviewers.

**Effect rows** (``effects_locked``) are locked by the worker, each in a transaction of its
own that holds no request or interviewer lock; inside it a stage move locks the candidate's
application (``recruiting``), and nothing locks an effect while holding an application.
**Bulk send items** are never waited for: a run claims only items no other run holds
(``bulk_item_claimable``, SKIP LOCKED), so they take no place in the order.

On SQLite there are no row locks: IMMEDIATE transactions serialize writers, which keeps any
order. On PostgreSQL the exclusion constraint on interviewer bookings is the last line of
defence should a booking path ever skip these locks.
"""

from __future__ import annotations

from uuid import UUID

from django.db import connection
from django.db.models import QuerySet

from hireslot.accounts.models import User
from hireslot.core.queries import row_or_none
from hireslot.scheduling.loops import loop_people
from hireslot.scheduling.models import BulkSendItem, Effect, SchedulingRequest
from hireslot.scheduling.seats import request_people
from hireslot.scheduling.slots import interviewers_load


def request_locked(requests: QuerySet[SchedulingRequest]) -> QuerySet[SchedulingRequest]:
    """Step 1: ``requests`` (the caller filters them to one) locked as they are read."""
    return requests.select_for_update(of=("self",))


def interviewers_lock(request: SchedulingRequest) -> list[User]:
    """Step 2, with the request's lock held: its interviewers locked in primary-key order,
    read as slot finding needs them (``slots.interviewers_load``); one query. With pool
    seats, every candidate member of the seats too (and whoever holds its interview now),
    all in the same one primary-key order (``seats.request_people``)."""
    if request.template.loop_sessions_count:
        return list(interviewers_load(loop_people(request).select_for_update(of=("self",))))
    if request.template.pool_seats_count:
        return list(interviewers_load(request_people(request).select_for_update(of=("self",))))
    return list(interviewers_load(request.interviewers.select_for_update(of=("self",))))


def request_with_interviewers_lock(
    requests: QuerySet[SchedulingRequest], *, pk: UUID
) -> tuple[SchedulingRequest, list[User]]:
    """Steps 1 and 2 for the request ``pk``, read from ``requests`` (with whatever the caller
    reads along: related rows, annotations), in two queries."""
    locked = row_or_none(request_locked(requests.filter(pk=pk)))
    if locked is None:
        raise SchedulingRequest.DoesNotExist(f"No scheduling request {pk}.")
    return locked, interviewers_lock(locked)


def effects_locked(effects: QuerySet[Effect]) -> QuerySet[Effect]:
    """Effect rows locked as they are read, so that a second run of the same effect waits
    for the first and then finds it done."""
    return effects.select_for_update(of=("self",))


def bulk_item_claimable(item: BulkSendItem) -> QuerySet[BulkSendItem]:
    """The item while it still waits, for a conditional UPDATE that claims it. Where the
    database can skip locked rows (PostgreSQL), a row another run is sending right now is
    skipped rather than waited for; SQLite runs one write transaction at a time anyway."""
    waiting = BulkSendItem.objects.filter(pk=item.pk, outcome=BulkSendItem.Outcome.WAITING)
    if not connection.features.has_select_for_update_skip_locked:
        return waiting
    return BulkSendItem.objects.filter(
        pk__in=waiting.select_for_update(skip_locked=True).order_by().values("pk")
    )
