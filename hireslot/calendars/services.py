"""Writes to the built-in calendar and the busy cache."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.models import Organization, User
from hireslot.calendars.models import (
    BusyInterval,
    BusySource,
    BusySync,
    CalendarConnection,
    CalendarEvent,
    ConnectionStatus,
    OAuthApp,
)
from hireslot.calendars.providers.base import BusyBlock, connected_provider_class
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
    availability_generation_bump(user_ids=[event.owner_id])


@transaction.atomic
def calendar_event_upsert(
    *,
    owner: User,
    uid: str,
    sequence: int,
    title: str,
    start: datetime,
    end: datetime,
    description: str = "",
    location: str = "",
) -> CalendarEvent:
    """Create or update ``owner``'s event with ``uid`` (an interview's), busy at once.

    Calling it again with the same values leaves the same single event, so a retried booking
    never adds a second one. A call with a lower ``sequence`` than the stored one is a stale
    retry that a reschedule overtook: the event is returned as it is.
    """
    _check_range(start, end)
    if not uid:
        raise HireSlotError("An interview event needs a uid.")
    values = {
        "sequence": sequence,
        "title": title,
        "description": description,
        "location": location,
        "start": start,
        "end": end,
    }
    event = CalendarEvent.objects.select_for_update().filter(owner=owner, uid=uid).first()
    if event is None:
        try:
            # A savepoint, so losing the race below leaves the outer transaction usable.
            with transaction.atomic():
                event = CalendarEvent.objects.create(owner=owner, uid=uid, busy=True, **values)
        except IntegrityError:
            # Another worker created the event between our read and our insert: the unique
            # (owner, uid) constraint stopped a duplicate, so update theirs instead.
            event = CalendarEvent.objects.select_for_update().get(owner=owner, uid=uid)
        else:
            _busy_mirror(event)
            return event
    if sequence < event.sequence:
        return event
    for field, value in values.items():
        setattr(event, field, value)
    event.save(update_fields=[*values, "updated_at"])
    _busy_mirror(event)
    return event


@transaction.atomic
def calendar_event_delete_by_uid(*, owner: User, uid: str) -> bool:
    """Remove ``owner``'s event with ``uid``; False when there is none (already removed)."""
    if not uid:
        return False
    event = CalendarEvent.objects.select_for_update().filter(owner=owner, uid=uid).first()
    if event is None:
        return False
    calendar_event_delete(event=event)
    return True


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
            interview_uid=event.uid,
            start=event.start,
            end=event.end,
        )
    _sync_touch(event.owner_id)
    availability_generation_bump(user_ids=[event.owner_id])


def _sync_touch(user_id: object) -> None:
    BusySync.objects.update_or_create(
        user_id=user_id,
        source=BusySource.BUILT_IN,
        defaults={"refreshed_at": clock.now(), "last_error": ""},
    )


@transaction.atomic
def busy_cache_replace(
    *,
    user_id: UUID,
    source: BusySource,
    window_start: datetime,
    window_end: datetime,
    blocks: Iterable[BusyBlock],
    scope: str | None = None,
) -> int:
    """Replace one source's busy time of one person inside a window with a fresh read.

    Providers' reads come through here; rows outside the window are kept, so a refresh of the
    next weeks does not forget what is known about later ones. With ``scope``, only rows of
    that part of the source are replaced (the read covered nothing else); every block must
    then belong to it. Empty blocks are skipped.
    """
    _check_range(window_start, window_end)
    stale = BusyInterval.objects.filter(
        user_id=user_id, source=source, start__lt=window_end, end__gt=window_start
    )
    blocks = list(blocks)
    if scope is not None:
        if any(block.scope != scope for block in blocks):
            raise HireSlotError("A partial busy update may only hold busy time of its own part.")
        stale = stale.filter(scope=scope)
    stale.delete()
    rows = []
    for block in blocks:
        if block.start.tzinfo is None or block.end.tzinfo is None:
            raise HireSlotError("Event times need a time zone.")
        if block.end > block.start:
            rows.append(
                BusyInterval(
                    user_id=user_id,
                    source=source,
                    source_ref=block.ref[:255],
                    interview_uid=block.interview_uid[:255],
                    scope=block.scope[:320],
                    start=block.start,
                    end=block.end,
                )
            )
    BusyInterval.objects.bulk_create(rows)
    BusySync.objects.update_or_create(
        user_id=user_id, source=source, defaults={"refreshed_at": clock.now(), "last_error": ""}
    )
    availability_generation_bump(user_ids=[user_id])
    return len(rows)


# --- people's connected calendars ---------------------------------------------------------


def _writable(provider: str) -> bool:
    # The adapter says whether events can be written (an ICS feed cannot).
    provider_class = connected_provider_class(provider)
    return provider_class is None or provider_class.writable


@transaction.atomic
def calendar_connection_save(
    *,
    user: User,
    provider: str,
    account: str,
    credentials: dict[str, Any],
    organization: Organization | None = None,
) -> CalendarConnection:
    """Create or refresh a connection (reconnecting replaces the credentials and clears the
    error). The first connection that can hold events becomes the one that receives them."""
    row, _ = CalendarConnection.objects.select_for_update().get_or_create(
        user=user, provider=provider, account=account[:300]
    )
    row.credentials = credentials
    row.organization = organization
    row.status = ConnectionStatus.ACTIVE
    row.last_error = ""
    row.alerted_at = None
    if (
        _writable(provider)
        and not CalendarConnection.objects.filter(user=user, receives_events=True).exists()
    ):
        row.receives_events = True
    row.save()
    # A new connection is not read yet: its owner is busy until it is.
    availability_generation_bump(user_ids=[user.pk])
    return row


@transaction.atomic
def calendar_connection_choose_for_events(*, row: CalendarConnection) -> CalendarConnection:
    """Send ``user``'s interview events to this calendar (one per person)."""
    if not _writable(row.provider):
        raise HireSlotError(
            f"{row.get_provider_display()} is read-only; choose a calendar HireSlot can write to."
        )
    CalendarConnection.objects.filter(user_id=row.user_id, receives_events=True).exclude(
        pk=row.pk
    ).update(receives_events=False)
    row.receives_events = True
    row.save(update_fields=["receives_events", "updated_at"])
    return row


def calendar_connection_calendars_set(
    *, row: CalendarConnection, busy_calendars: list[str], event_calendar: str
) -> CalendarConnection:
    row.busy_calendars = busy_calendars
    row.event_calendar = event_calendar
    row.save(update_fields=["busy_calendars", "event_calendar", "updated_at"])
    return row


@transaction.atomic
def calendar_connection_delete(*, row: CalendarConnection) -> None:
    """Forget the connection and the busy time it brought; events already written stay.
    The provider's side (push channels, the grant) is for
    ``calendars.connections.calendar_connection_disconnect``, which calls this last."""
    BusyInterval.objects.filter(user_id=row.user_id, source=row.provider).delete()
    BusySync.objects.filter(user_id=row.user_id, source=row.provider).delete()
    row.delete()
    availability_generation_bump(user_ids=[row.user_id])


@transaction.atomic
def oauth_app_save(
    *,
    organization: Organization,
    provider: str,
    client_id: str,
    client_secret: str = "",
    tenant: str = "",
) -> OAuthApp:
    """Install or update an OAuth app; an empty secret keeps the saved one."""
    app, _ = OAuthApp.objects.select_for_update().get_or_create(
        organization=organization, provider=provider, defaults={"client_id": client_id}
    )
    app.client_id = client_id.strip()
    if client_secret:
        app.secrets = {"client_secret": client_secret.strip()}
    if provider == "microsoft":
        app.tenant = tenant.strip() or "organizations"
    app.full_clean()
    app.save()
    return app
