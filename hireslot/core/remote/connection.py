"""A person's connected account as an adapter sees it: never an ORM row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hireslot.core.remote.oauth import OAuthClient


@dataclass
class Connection:
    """A person's connected account (a calendar, Zoom) as a provider sees it.

    Providers change tokens and sync state only through the callbacks, which the app's
    ``connections`` module turns into saves (so a rotated refresh token is never lost).
    """

    id: str
    provider: str
    account: str
    credentials: dict[str, Any]
    busy_calendars: tuple[str, ...] = ()
    event_calendar: str = ""
    # The owner's own IANA zone (their HireSlot working hours): where their all-day and
    # floating events happen when the calendar itself names no zone; "" when unknown.
    time_zone: str = ""
    sync_state: dict[str, Any] = field(default_factory=dict)
    client: OAuthClient | None = None
    on_credentials: Callable[[dict[str, Any]], None] = lambda credentials: None
    on_sync_state: Callable[[dict[str, Any]], None] = lambda state: None
