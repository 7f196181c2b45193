"""Push notifications from Google (watch channels) and Microsoft (Graph subscriptions): set up
and renewed by the refresh cycle, received by the webhooks in ``calendars.views``, and turned
into incremental syncs of the busy cache. They need a public HTTPS address; without one the
ten-minute refresh is all there is."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError

from hireslot.calendars.connections import busy_blocks_store, connection_view
from hireslot.calendars.models import CalendarConnection, ConnectionStatus
from hireslot.calendars.providers.base import ProviderError
from hireslot.core import clock

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
    """Let the webhook (another process) echo Graph's validation token for this connection
    while a subscription may be created. Written outside any transaction so it is seen."""
    rows = CalendarConnection.objects.filter(pk=row.pk)
    rows.update(push_validation_until=clock.now() + VALIDATION_WINDOW)
    try:
        yield
    finally:
        rows.update(push_validation_until=None)


def push_awaiting_validation(*, provider: str, connection_id: str) -> bool:
    """Whether a subscription create is in flight for this connection right now."""
    try:
        return CalendarConnection.objects.filter(
            pk=connection_id,
            provider=provider,
            status=ConnectionStatus.ACTIVE,
            push_validation_until__gt=clock.now(),
        ).exists()
    except (ValueError, ValidationError):  # not a connection id at all
        return False


def push_ensure(*, row: CalendarConnection) -> None:
    """Start or renew the connection's push channel (subscription) when push is possible."""
    if not push_available() or row.status != ConnectionStatus.ACTIVE:
        return
    connection = connection_view(row)
    try:
        if row.provider == CalendarConnection.Provider.GOOGLE:
            from hireslot.calendars.providers.google import google_watch_renew

            google_watch_renew(connection, address=push_address(row))
        elif row.provider == CalendarConnection.Provider.MICROSOFT:
            from hireslot.calendars.providers.microsoft import (
                microsoft_subscription_create,
                microsoft_subscription_renew,
            )

            with _validation_window(row):  # renewing creates again when Graph forgot it
                if connection.sync_state.get("subscription"):
                    microsoft_subscription_renew(connection=connection)
                else:
                    microsoft_subscription_create(
                        connection=connection, notification_url=push_address(row)
                    )
    except ProviderError as error:
        # Push is an optimisation: the periodic refresh still keeps busy time current.
        logger.warning("push set-up for %s failed: %s", row.pk, error)


def push_sync(*, row: CalendarConnection) -> int:
    """Apply what changed since the last sync (after a notification)."""
    connection = connection_view(row)
    if row.provider == CalendarConnection.Provider.GOOGLE:
        from hireslot.calendars.providers.google import google_sync
        from hireslot.calendars.providers.google.sync import SYNC_AHEAD, SYNC_PAST

        now = clock.now()
        start, end = now - SYNC_PAST, now + SYNC_AHEAD
        blocks = google_sync(connection, start=start, end=end)
        if blocks is None:
            return 0
        return busy_blocks_store(row=row, start=start, end=end, blocks=blocks)
    if row.provider == CalendarConnection.Provider.MICROSOFT:
        from hireslot.calendars.providers.microsoft import microsoft_delta_sync

        blocks = microsoft_delta_sync(connection)
        # The adapter keeps the window its delta link covers next to the link.
        window = connection.sync_state.get("delta", {})
        start = datetime.fromisoformat(str(window["start"]).replace("Z", "+00:00"))
        end = datetime.fromisoformat(str(window["end"]).replace("Z", "+00:00"))
        return busy_blocks_store(row=row, start=start, end=end, blocks=blocks)
    return 0


def push_stop(*, row: CalendarConnection) -> None:
    """Stop notifications and revoke what can be revoked before a connection is forgotten."""
    connection = connection_view(row)
    try:
        if row.provider == CalendarConnection.Provider.GOOGLE:
            from hireslot.calendars.providers.google import google_token_revoke, google_watch_stop

            google_watch_stop(connection)
            if connection.client is not None and connection.credentials.get("refresh_token"):
                google_token_revoke(
                    client=connection.client, token=str(connection.credentials["refresh_token"])
                )
        elif row.provider == CalendarConnection.Provider.MICROSOFT:
            from hireslot.calendars.providers.microsoft import microsoft_subscription_delete

            microsoft_subscription_delete(connection=connection)
    except ProviderError as error:
        logger.warning("stopping push for %s failed: %s", row.pk, error)
