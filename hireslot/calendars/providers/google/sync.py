"""Push and incremental sync for Google connections, so the busy cache follows changes within
seconds instead of waiting for the next poll.

Everything lives in the connection's ``sync_state`` (saved through ``on_sync_state``):

- ``channels``: ``{calendar id: {id, resource_id, token_sha256, expiration (ms)}}``, one
  ``events.watch`` channel per busy calendar. Only a hash of each channel's token is kept:
  enough to check a notification, useless to forge one.
- ``sync_tokens``: ``{calendar id: nextSyncToken}``.

The app's webhook view checks a notification with ``google_notification_accept`` and then
(in a task) calls ``google_sync``; a periodic task calls ``google_watch_renew``.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from hireslot.calendars.providers.base import BusyBlock
from hireslot.calendars.providers.google.api import PAGE_SIZE, GoogleApi, calendar_path
from hireslot.calendars.providers.google.busy import busy_calendars, google_busy_read
from hireslot.core.remote import Connection, TransientProviderError
from hireslot.core.remote.http import http_client

logger = logging.getLogger(__name__)

# Google does not renew channels; we ask for a week and open a new one well before the end.
WATCH_TTL_SECONDS = 7 * 24 * 3600
RENEW_MARGIN = timedelta(hours=12)
# The busy window google_sync reads after a change (what connection_busy_refresh keeps).
SYNC_PAST = timedelta(days=1)
SYNC_AHEAD = timedelta(days=90)


def _state_save(connection: Connection, **changes: Any) -> None:
    state = {**connection.sync_state, **changes}
    connection.sync_state = state
    connection.on_sync_state(state)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _channel_open(api: GoogleApi, calendar: str, *, address: str, ttl: int) -> dict[str, Any]:
    token = secrets.token_urlsafe(32)
    answer = api.json(
        "POST",
        calendar_path(calendar, "events", "watch"),
        json={
            "id": str(uuid.uuid4()),
            "type": "web_hook",
            "address": address,
            "token": token,
            "params": {"ttl": str(ttl)},
        },
    )
    expiration = int(answer.get("expiration") or (time.time() + ttl) * 1000)
    return {
        "id": str(answer["id"]),
        "resource_id": str(answer.get("resourceId", "")),
        "token_sha256": _sha256(token),
        "expiration": expiration,
    }


def _channel_stop(api: GoogleApi, channel: Mapping[str, Any]) -> None:
    # 404: it expired or was stopped already, which is what we wanted.
    api.call(
        "POST",
        "/channels/stop",
        json={"id": channel["id"], "resourceId": channel["resource_id"]},
        accept=(404,),
    )


def _channels_update(
    connection: Connection, *, address: str, ttl: int, due: float | None
) -> list[str]:
    """Open a channel for every busy calendar whose channel is missing or expires before
    ``due`` (ms; None: all), saving each before stopping the one it replaces so no
    notification is refused in between; channels of calendars no longer busy are stopped."""
    renewed = []
    with http_client() as http:
        api = GoogleApi(connection, http)
        calendars = busy_calendars(connection)
        for calendar in calendars:
            old = connection.sync_state.get("channels", {}).get(calendar)
            if old is not None and due is not None and int(old["expiration"]) > due:
                continue
            new = _channel_open(api, calendar, address=address, ttl=ttl)
            channels = {**connection.sync_state.get("channels", {}), calendar: new}
            _state_save(connection, channels=channels)
            renewed.append(calendar)
            if old is not None:
                _channel_stop(api, old)
        for calendar, channel in dict(connection.sync_state.get("channels", {})).items():
            if calendar not in calendars:
                _channel_stop(api, channel)
                channels = dict(connection.sync_state["channels"])
                channels.pop(calendar)
                _state_save(connection, channels=channels)
    return renewed


def google_watch_start(
    connection: Connection, *, address: str, ttl_seconds: int = WATCH_TTL_SECONDS
) -> dict[str, dict[str, Any]]:
    """Open push channels (``events.watch``) on the connection's busy calendars, replacing
    any open ones; ``address`` is our HTTPS webhook. Returns the saved channels."""
    _channels_update(connection, address=address, ttl=ttl_seconds, due=None)
    return dict(connection.sync_state.get("channels", {}))


def google_watch_renew(
    connection: Connection,
    *,
    address: str,
    ttl_seconds: int = WATCH_TTL_SECONDS,
    margin: timedelta = RENEW_MARGIN,
) -> list[str]:
    """Replace channels that expire within ``margin`` (or are missing); returns the calendars
    renewed. Run it more often than ``margin`` so a channel never lapses."""
    due = (time.time() + margin.total_seconds()) * 1000
    return _channels_update(connection, address=address, ttl=ttl_seconds, due=due)


def google_watch_stop(connection: Connection) -> None:
    """Stop every channel (when the connection is removed or stops counting as busy)."""
    with http_client() as http:
        api = GoogleApi(connection, http)
        for channel in connection.sync_state.get("channels", {}).values():
            _channel_stop(api, channel)
    _state_save(connection, channels={})


def google_notification_accept(headers: Mapping[str, str], connection: Connection) -> bool:
    """Whether a push notification really comes from one of this connection's channels: its
    ``X-Goog-Channel-ID`` is ours and ``X-Goog-Channel-Token`` matches (constant time)."""
    lower = {key.lower(): value for key, value in headers.items()}
    channel_id = lower.get("x-goog-channel-id", "")
    token = lower.get("x-goog-channel-token", "")
    resource_id = lower.get("x-goog-resource-id", "")
    if not channel_id or not token:
        return False
    for channel in connection.sync_state.get("channels", {}).values():
        if not hmac.compare_digest(str(channel.get("id", "")), channel_id):
            continue
        expected_resource = str(channel.get("resource_id", ""))
        resource_ok = not expected_resource or hmac.compare_digest(expected_resource, resource_id)
        return resource_ok and hmac.compare_digest(
            str(channel.get("token_sha256", "")), _sha256(token)
        )
    return False


class _SyncTokenGoneError(Exception):
    pass


def _changes_list(api: GoogleApi, calendar: str, sync_token: str) -> tuple[int, str]:
    """(events changed, next sync token); without a token, a listing that only serves to
    obtain one (its events count as one change).

    That first listing (and the one after a 410 Gone) is bounded by ``timeMin``: Google's sync
    guide allows restricting the initial full sync with request parameters (its own example
    bounds it in time), and only ``syncToken`` calls must leave ``timeMin`` out. Any change a
    later token reports only triggers a fresh busy read of the window, so events that ended
    before it need not be listed: an old calendar costs pages of the coming months only.
    """
    params: dict[str, Any] = {"maxResults": PAGE_SIZE}
    if sync_token:
        params["syncToken"] = sync_token
    else:
        since = datetime.now(UTC) - SYNC_PAST
        params["timeMin"] = since.isoformat().replace("+00:00", "Z")
    changed = 0
    page_token = ""
    while True:
        page_params = {**params, **({"pageToken": page_token} if page_token else {})}
        response = api.call(
            "GET", calendar_path(calendar, "events"), params=page_params, accept=(410,)
        )
        if response.status_code == 410:
            raise _SyncTokenGoneError
        page = response.json()
        changed += len(page.get("items") or [])
        page_token = str(page.get("nextPageToken") or "")
        if not page_token:
            next_token = str(page.get("nextSyncToken") or "")
            if not next_token:
                raise TransientProviderError("Google Calendar ended a listing without a token.")
            return (changed if sync_token else 1), next_token


def google_sync(
    connection: Connection, *, start: datetime | None = None, end: datetime | None = None
) -> list[BusyBlock] | None:
    """After a push notification (or on a timer): ask each busy calendar what changed since
    the saved sync token. None when nothing did (the busy cache is current); otherwise the
    fresh busy time of [start, end) (default: a day back to 90 days ahead) for the caller to
    store. A token Google no longer honours (410 Gone) is dropped and the calendar listed in
    full for a new one. Tokens are saved only after the busy read succeeded, so a failed
    read is redone on the next call rather than forgotten."""
    tokens = dict(connection.sync_state.get("sync_tokens", {}))
    fresh: dict[str, str] = {}
    changed = 0
    with http_client() as http:
        api = GoogleApi(connection, http)
        for calendar in busy_calendars(connection):
            try:
                count, fresh[calendar] = _changes_list(api, calendar, tokens.get(calendar, ""))
            except _SyncTokenGoneError:
                logger.info("Google sync token of %s expired; listing in full", calendar)
                count, fresh[calendar] = _changes_list(api, calendar, "")
            changed += count
    blocks = None
    if changed:
        now = datetime.now(UTC)
        start = start or now - SYNC_PAST
        end = end or now + SYNC_AHEAD
        blocks = google_busy_read(connection, start=start, end=end)
    _state_save(connection, sync_tokens=fresh)
    return blocks
