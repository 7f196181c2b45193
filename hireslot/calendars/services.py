"""Writes to the built-in calendar and the busy cache."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from hireslot.accounts.models import User
from hireslot.calendars.models import BusyInterval, BusySource, BusySync, CalendarEvent
from hireslot.core import clock
from hireslot.core.errors import HireSlotError


def _check_range(start: datetime, end: datetime) -> None:
    if start.tzinfo is None or end.tzinfo is None:
        raise HireSlotError("Event times need a time zone.")
    if end <= start:
        raise HireSlotError("An event must end after it starts.")


@transaction.atomic
def calendar_event_create(
    *,
    owner: User,
    title: str,
    start: datetime,
    end: datetime,
    description: str = "",
    location: str = "",
    busy: bool = True,
) -> CalendarEvent:
    """An event on the built-in calendar; when busy, it blocks bookings at once."""
    _check_range(start, end)
    event = CalendarEvent.objects.create(
        owner=owner,
        title=title,
        description=description,
        location=location,
        start=start,
        end=end,
        busy=busy,
    )
    _busy_mirror(event)
    return event


@transaction.atomic
def calendar_event_update(
    *, event: CalendarEvent, start: datetime, end: datetime, title: str | None = None
) -> CalendarEvent:
    _check_range(start, end)
    event.start, event.end = start, end
    if title is not None:
        event.title = title
    event.save(update_fields=["start", "end", "title", "updated_at"])
    _busy_mirror(event)
    return event


@transaction.atomic
def calendar_event_delete(*, event: CalendarEvent) -> None:
    BusyInterval.objects.filter(
        user_id=event.owner_id, source=BusySource.BUILT_IN, source_ref=str(event.pk)
    ).delete()
    event.delete()
    _sync_touch(event.owner_id)


def _busy_mirror(event: CalendarEvent) -> None:
    # The built-in calendar is a provider like the others: its events reach slot listing only
    # through the busy cache, so there is one read path for every source.
    BusyInterval.objects.filter(
        user_id=event.owner_id, source=BusySource.BUILT_IN, source_ref=str(event.pk)
    ).delete()
    if event.busy:
        BusyInterval.objects.create(
            user_id=event.owner_id,
            source=BusySource.BUILT_IN,
            source_ref=str(event.pk),
            start=event.start,
            end=event.end,
        )
    _sync_touch(event.owner_id)


def _sync_touch(user_id: object) -> None:
    BusySync.objects.update_or_create(
        user_id=user_id,
        source=BusySource.BUILT_IN,
        defaults={"refreshed_at": clock.now(), "last_error": ""},
    )


@transaction.atomic
def busy_cache_replace(
    *,
    user: User,
    source: BusySource,
    window_start: datetime,
    window_end: datetime,
    intervals: Iterable[tuple[datetime, datetime, str]],
) -> int:
    """Replace one source's busy time of one person inside a window with a fresh read.

    Providers call this after reading free/busy; rows outside the window are kept, so a
    refresh of the next two weeks does not forget what is known about later weeks.
    """
    _check_range(window_start, window_end)
    BusyInterval.objects.filter(
        user=user, source=source, start__lt=window_end, end__gt=window_start
    ).delete()
    rows = []
    for start, end, ref in intervals:
        _check_range(start, end)
        rows.append(BusyInterval(user=user, source=source, source_ref=ref, start=start, end=end))
    BusyInterval.objects.bulk_create(rows)
    BusySync.objects.update_or_create(
        user=user, source=source, defaults={"refreshed_at": clock.now(), "last_error": ""}
    )
    return len(rows)
