"""Keeping busy time fresh from Graph: change-notification subscriptions and delta sync.

A subscription on ``me/events`` makes Graph POST to our webhook when an event changes; the
webhook view (not here) answers the validation handshake with
``microsoft_validation_response`` (only while a create is in flight for that connection),
checks each notification with ``microsoft_notification_accept`` and then runs
``microsoft_delta_sync``, which is also the fallback when notifications stop (a lapsed
subscription, ``missed`` lifecycle events).

The subscription's secret ``clientState`` is random (384 bits) and sent to Graph once; we keep
only its SHA-256 digest, which is enough to recognise it and useless to a reader of the
database. No salt or slow hash is needed for a value that cannot be guessed.

Lifecycle notifications (``lifecycleNotificationUrl``, the same webhook address) carry the
same ``clientState`` and a ``lifecycleEvent``: ``missed`` (changes were not delivered: read
everything again), ``reauthorizationRequired`` (renew, which authorizes it again) and
``subscriptionRemoved`` (renewing finds it gone and creates a new one). All three become a
full refresh of the connection, which then renews the subscription.

Delta sync reads ``/me/calendarView/delta`` over a window and keeps ``@odata.deltaLink`` plus
the busy events it has seen in ``sync_state["delta"]``, so each run asks only for changes
and still returns the whole busy picture of the window. Delta covers the primary calendar
only, so the caller replaces only that part of the busy cache with it. Delta rows carry no
extended properties and, as Graph answers them, no ``transactionId`` either: changed events
are read again (a few one by one, many through one ``calendarView``) to learn which are
HireSlot's interview events.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from hireslot.calendars.providers.base import BusyBlock
from hireslot.calendars.providers.microsoft.graph import (
    MARKER_EXPAND,
    UID_PROPERTY,
    Graph,
    event_block,
    marker,
    query_time,
)
from hireslot.core import clock
from hireslot.core.remote import Connection, PermanentProviderError

# Outlook event subscriptions live at most 4,230 minutes; renew well before that.
SUBSCRIPTION_MINUTES = 4200
DELTA_PAST = timedelta(days=1)
DELTA_AHEAD = timedelta(days=90)
# Start a fresh window when the current one no longer reaches this far ahead.
DELTA_MIN_AHEAD = timedelta(days=60)
# Graph's tokens read like "Validation: Testing client application reachability for
# subscription Request-Id: <uuid>"; anything longer or with other characters is not Graph.
VALIDATION_TOKEN_MAX = 512
_VALIDATION_TOKEN = re.compile(r"[A-Za-z0-9 :._=+/-]+")


@dataclass(frozen=True)
class Subscription:
    id: str
    expires_at: datetime


def client_state_digest(client_state: str) -> str:
    return hashlib.sha256(client_state.encode()).hexdigest()


def _iso(instant: datetime) -> str:
    return instant.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _save(connection: Connection, **changes: Any) -> None:
    state = {**connection.sync_state, **changes}
    connection.sync_state = state
    connection.on_sync_state(state)


def _subscription(body: dict[str, Any]) -> Subscription:
    expires = str(body.get("expirationDateTime") or "")
    return Subscription(id=str(body["id"]), expires_at=_instant(expires[:19] + "+00:00"))


def microsoft_subscription_create(
    *,
    connection: Connection,
    notification_url: str,
    lifecycle_url: str = "",
    minutes: int = SUBSCRIPTION_MINUTES,
) -> Subscription:
    """Ask Graph to tell ``notification_url`` about changes to the account's events.

    Graph validates the URL before answering (see ``microsoft_validation_response``): the
    caller opens the connection's validation window around this call.
    """
    client_state = secrets.token_urlsafe(48)  # <= 128 characters; proves it is Graph
    body: dict[str, Any] = {
        "changeType": "created,updated,deleted",
        "notificationUrl": notification_url,
        "resource": "me/events",
        "expirationDateTime": _iso(clock.now() + timedelta(minutes=minutes)),
        "clientState": client_state,
    }
    if lifecycle_url:
        # Without it Graph never says that notifications were missed or the subscription
        # needs authorizing again or was removed.
        body["lifecycleNotificationUrl"] = lifecycle_url
    with Graph(connection) as graph:
        answer = graph.json("POST", "/subscriptions", json=body)
    subscription = _subscription(answer)
    _save(
        connection,
        subscription={
            "id": subscription.id,
            "expires_at": _iso(subscription.expires_at),
            "client_state_digest": client_state_digest(client_state),
            "notification_url": notification_url,
            "lifecycle_url": lifecycle_url,
        },
    )
    return subscription


def microsoft_subscription_renew(
    *, connection: Connection, minutes: int = SUBSCRIPTION_MINUTES
) -> Subscription:
    """Push the subscription's expiry out; one Graph has forgotten is created again."""
    saved = connection.sync_state.get("subscription")
    if not isinstance(saved, dict) or not saved.get("id"):
        raise PermanentProviderError("There is no Microsoft 365 subscription to renew.")
    with Graph(connection) as graph:
        response = graph.send(
            "PATCH",
            f"/subscriptions/{quote(str(saved['id']), safe='')}",
            json={"expirationDateTime": _iso(clock.now() + timedelta(minutes=minutes))},
            missing_ok=True,
        )
    if response.status_code == 404:
        return microsoft_subscription_create(
            connection=connection,
            notification_url=str(saved["notification_url"]),
            lifecycle_url=str(saved.get("lifecycle_url") or ""),
            minutes=minutes,
        )
    subscription = _subscription(response.json())
    _save(connection, subscription={**saved, "expires_at": _iso(subscription.expires_at)})
    return subscription


def microsoft_subscription_delete(*, connection: Connection) -> None:
    """Stop notifications (when the person disconnects); a gone subscription is fine."""
    saved = connection.sync_state.get("subscription")
    if isinstance(saved, dict) and saved.get("id"):
        with Graph(connection) as graph:
            graph.send(
                "DELETE", f"/subscriptions/{quote(str(saved['id']), safe='')}", missing_ok=True
            )
    state = {key: value for key, value in connection.sync_state.items() if key != "subscription"}
    connection.sync_state = state
    connection.on_sync_state(state)


def microsoft_validation_response(query: Mapping[str, str]) -> str | None:
    """The text to echo (200, text/plain, within 10 s) when Graph validates our URL; None
    when there is no token, or one no Graph token looks like (too long, other characters)."""
    token = str(query.get("validationToken") or "")
    if len(token) > VALIDATION_TOKEN_MAX or not _VALIDATION_TOKEN.fullmatch(token):
        return None
    return token


def _genuine_items(body: dict[str, Any], connection: Connection) -> list[dict[str, Any]]:
    """The items of ``body`` for this connection's subscription with its secret
    ``clientState`` (anything else is someone else's or forged)."""
    saved = connection.sync_state.get("subscription")
    if not isinstance(saved, dict) or not saved.get("client_state_digest"):
        return []
    expected = str(saved["client_state_digest"]).encode()
    items = body.get("value") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return []
    return [
        item
        for item in items
        if isinstance(item, dict)
        and str(item.get("subscriptionId")) == str(saved.get("id"))
        and secrets.compare_digest(
            client_state_digest(str(item.get("clientState") or "")).encode(), expected
        )
    ]


def microsoft_notification_accept(body: dict[str, Any], connection: Connection) -> bool:
    """Whether ``body`` holds a genuine change notification for this connection."""
    return any("lifecycleEvent" not in item for item in _genuine_items(body, connection))


LIFECYCLE_EVENTS = frozenset({"missed", "reauthorizationRequired", "subscriptionRemoved"})


def microsoft_lifecycle_events(body: dict[str, Any], connection: Connection) -> set[str]:
    """The genuine lifecycle events ``body`` reports for this connection's subscription."""
    return {
        str(item["lifecycleEvent"])
        for item in _genuine_items(body, connection)
        if str(item.get("lifecycleEvent")) in LIFECYCLE_EVENTS
    }


def microsoft_delta_sync(connection: Connection) -> list[BusyBlock]:
    """The busy events of the delta window after applying Graph's changes since last time."""
    state = connection.sync_state.get("delta")
    now = clock.now()
    fresh = (
        not isinstance(state, dict)
        or not state.get("link")
        or _instant(str(state["end"])) < now + DELTA_MIN_AHEAD
    )
    if fresh:
        start, end = now - DELTA_PAST, now + DELTA_AHEAD
        state = {"start": _iso(start), "end": _iso(end), "link": "", "events": {}}
    assert isinstance(state, dict)
    events: dict[str, list[str]] = dict(state.get("events") or {})
    changed: list[str] = []
    with Graph(connection) as graph:
        if fresh:
            body = graph.json(
                "GET",
                "/me/calendarView/delta",
                params={
                    "startDateTime": query_time(_instant(state["start"])),
                    "endDateTime": query_time(_instant(state["end"])),
                },
            )
        else:
            body = graph.json("GET", str(state["link"]))
        while True:
            for item in body.get("value") or []:
                if isinstance(item, dict) and item.get("id") and _apply(events, item):
                    changed.append(str(item["id"]))
            if body.get("@odata.nextLink"):
                body = graph.json("GET", str(body["@odata.nextLink"]))
                continue
            link = str(body.get("@odata.deltaLink") or "")
            break
        if link:
            _uids_read(graph, events, changed, state)
    if not link:
        raise PermanentProviderError("Microsoft 365 ended a delta read without a delta link.")
    _save(connection, delta={**state, "link": link, "events": events})
    return [
        BusyBlock(start=_instant(start), end=_instant(end), ref=event_id, interview_uid=uid)
        for event_id, (start, end, uid) in events.items()
    ]


def _apply(events: dict[str, list[str]], item: dict[str, Any]) -> bool:
    """Apply one delta row; True when it left a busy event whose uid must be read."""
    event_id = str(item["id"])
    if "@removed" in item:
        events.pop(event_id, None)
        return False
    block = event_block(item)
    if block is None:
        events.pop(event_id, None)
        return False
    events[event_id] = [_iso(block.start), _iso(block.end), ""]
    return True


# Up to this many changed events are read one by one; more, and one calendarView read of the
# window (a page per 10 events or so) is cheaper.
UID_READS_ONE_BY_ONE = 10


def _uids_read(
    graph: Graph, events: dict[str, list[str]], changed: list[str], state: dict[str, Any]
) -> None:
    """Mark the changed events that are HireSlot's interview events with their uid."""
    changed = list(dict.fromkeys(changed))
    if len(changed) <= UID_READS_ONE_BY_ONE:
        for event_id in changed:
            response = graph.send(
                "GET",
                f"/me/events/{quote(event_id, safe='')}",
                params={"$select": "id", "$expand": MARKER_EXPAND},
                missing_ok=True,
            )
            if response.status_code == 404:
                events.pop(event_id, None)  # deleted since the delta row was written
            else:
                events[event_id][2] = marker(response.json(), UID_PROPERTY)
        return
    wanted = set(changed)
    for event in graph.pages(
        "/me/calendarView",
        params={
            "startDateTime": query_time(_instant(str(state["start"]))),
            "endDateTime": query_time(_instant(str(state["end"]))),
            "$select": "id",
            "$expand": MARKER_EXPAND,
        },
    ):
        event_id = str(event.get("id") or "")
        if event_id in wanted and event_id in events:
            events[event_id][2] = marker(event, UID_PROPERTY)
