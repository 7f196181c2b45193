"""Push notifications (Google watch channels, Graph subscriptions, whatever an adapter offers
through ``push_start``): set up and renewed by the refresh cycle, received by the webhook in
``calendars.views``, and turned into incremental syncs of the busy cache. They need a public
HTTPS address; without one the refresh cycle (``services_refresh``) is all there is."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import timedelta

from django.conf import settings

from hireslot.calendars.connections import busy_blocks_store, connected_provider_for
from hireslot.calendars.models import CalendarConnection, ConnectionStatus
from hireslot.calendars.providers.base import ConnectedCalendarProvider, PushAnswer, PushCall
from hireslot.core import clock
from hireslot.core.remote import ProviderError
from hireslot.core.work import work_enqueue

logger = logging.getLogger(__name__)


def push_available() -> bool:
    return settings.HIRESLOT_BASE_URL.startswith("https://")


def push_address(row: CalendarConnection) -> str:
    return f"{settings.HIRESLOT_BASE_URL}/hooks/{row.provider}/{row.pk}"


# Graph validates within 10 s of the create call; the window outlives a slow call, and a
# worker that dies mid-create leaves it open only this long.
VALIDATION_WINDOW = timedelta(seconds=60)


@contextmanager
def _validation_window(row: CalendarConnection) -> Iterator[None]:
    """Let the webhook (another process) echo the service's address check for this
    connection while a channel may be created. Written outside any transaction so it is
    seen."""
    rows = CalendarConnection.objects.filter(pk=row.pk)
    rows.update(push_validation_until=clock.now() + VALIDATION_WINDOW)
    try:
        yield
    finally:
        rows.update(push_validation_until=None)


def push_awaiting_validation(row: CalendarConnection) -> bool:
    """Whether a channel create is in flight for this connection right now."""
    until = row.push_validation_until
    return row.status == ConnectionStatus.ACTIVE and until is not None and until > clock.now()


def push_ensure(*, row: CalendarConnection) -> None:
    """Start or renew the connection's push channel (subscription) when push is possible."""
    if not push_available() or row.status != ConnectionStatus.ACTIVE:
        return
    try:
        provider = connected_provider_for(row)
        # Renewing may create the channel again, so the window opens for both.
        window = _validation_window(row) if provider.push_validates_address else nullcontext()
        with window:
            provider.push_start(address=push_address(row))
    except ProviderError as error:
        # Push is an optimisation: the periodic refresh still keeps busy time current.
        logger.warning("push set-up for %s failed: %s", row.pk, error)


def push_receive(*, row: CalendarConnection, call: PushCall) -> PushAnswer:
    """Answer a call to the connection's webhook: the adapter checks it is genuine; the
    address check is echoed only while a channel is being created; a change queues a sync.
    ``BadInputError`` (an unreadable body) goes to the caller."""
    try:
        provider: ConnectedCalendarProvider = connected_provider_for(row)
    except ProviderError:
        return PushAnswer(status=404)
    answer = provider.push_receive(call)
    if answer.echo is not None and not push_awaiting_validation(row):
        return PushAnswer(status=404)
    if answer.refresh:
        # The refresh re-reads everything and then renews the channel (push_ensure), which
        # also authorizes it again or creates it anew when the service removed it.
        work_enqueue("calendar_connection_refresh", connection_id=str(row.pk))
    elif answer.sync:
        work_enqueue("calendar_connection_push_sync", connection_id=str(row.pk))
    return answer


def push_sync(*, row: CalendarConnection) -> int:
    """Apply what changed since the last sync (after a notification)."""
    window = connected_provider_for(row).changes_sync()
    if window is None:
        return 0
    return busy_blocks_store(
        row=row, start=window.start, end=window.end, blocks=window.blocks, scope=window.scope
    )
