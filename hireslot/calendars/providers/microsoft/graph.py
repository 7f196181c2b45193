"""Talking to Microsoft Graph: addresses, times, the HireSlot markers on events, and one
session that authorizes, refreshes (Graph rotates refresh tokens) and maps errors.

Everything goes through ``hireslot.core.remote.http``, so 429/503/504 with
``Retry-After`` become ``TransientProviderError(retry_after=...)``, a refused token is
refreshed once and retried, and a refused grant becomes ``ConnectionBrokenError``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import httpx
from django.conf import settings

from hireslot.calendars.providers.base import BusyBlock
from hireslot.core.remote import (
    Connection,
    ConnectionBrokenError,
    PermanentProviderError,
    TokenGrant,
)
from hireslot.core.remote.http import (
    TokenKeeper,
    grant_from,
    http_client,
    response_raise,
    token_request,
)

SERVICE = "Microsoft 365"

# Delegated scopes: offline_access for a refresh token, User.Read to learn the account's
# address (GET /me), Calendars.ReadWrite for free/busy, events and Teams meetings on events.
SCOPES = "offline_access User.Read Calendars.ReadWrite"
REQUIRED_SCOPE = "calendars.readwrite"

# HireSlot's own property set on Outlook events (a fixed GUID we chose). The uid property is
# how we find an interview's event again from its uid alone: Graph can filter a mailbox's
# events on a single-value extended property (eq on id and value), which it cannot do on
# ``transactionId``; it also survives moves between calendars and is invisible to people.
PROPERTY_SET = "{5b0f1c3e-2d7a-4c55-9e61-8a4f7d2b6c90}"
UID_PROPERTY = f"String {PROPERTY_SET} Name HireSlotUid"
SEQUENCE_PROPERTY = f"String {PROPERTY_SET} Name HireSlotSequence"
# transactionId must be fixed per interview so a POST retried after a lost answer returns
# the event Graph already made; a name-based UUID of the uid gives a GUID-shaped id.
TRANSACTION_NAMESPACE = uuid.UUID("0f6d6f0e-61c4-4b7b-9d86-3c1a5b7e2f44")

# Times come back in UTC and ids stay the same when an event moves between folders.
PREFER = 'outlook.timezone="UTC", IdType="ImmutableId"'

# Statuses that make a person unavailable (free and workingElsewhere do not).
BUSY_STATUSES = frozenset({"busy", "oof", "tentative"})


def transaction_id(uid: str) -> str:
    return str(uuid.uuid5(TRANSACTION_NAMESPACE, uid))


def graph_url(path: str) -> str:
    return f"{settings.HIRESLOT_GRAPH_API_URL}{path}"


def login_url(tenant: str, endpoint: str) -> str:
    tenant = quote(tenant or "organizations", safe="")
    return f"{settings.HIRESLOT_MICROSOFT_LOGIN_URL}/{tenant}/oauth2/v2.0/{endpoint}"


def odata_quote(value: str) -> str:
    """A string literal for an OData ``$filter`` (single quotes doubled)."""
    return "'" + value.replace("'", "''") + "'"


def uid_filter(uid: str) -> str:
    return (
        f"singleValueExtendedProperties/Any(ep: ep/id eq {odata_quote(UID_PROPERTY)} "
        f"and ep/value eq {odata_quote(uid)})"
    )


MARKER_EXPAND = (
    f"singleValueExtendedProperties($filter=id eq {odata_quote(UID_PROPERTY)} "
    f"or id eq {odata_quote(SEQUENCE_PROPERTY)})"
)


def marker(event: dict[str, Any], property_id: str) -> str:
    for item in event.get("singleValueExtendedProperties") or []:
        if isinstance(item, dict) and item.get("id", "").lower() == property_id.lower():
            return str(item.get("value") or "")
    return ""


def graph_time(instant: datetime) -> dict[str, str]:
    """A dateTimeTimeZone in UTC (what we send, and what ``PREFER`` asks back)."""
    return {"dateTime": instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S"), "timeZone": "UTC"}


def query_time(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def time_from_graph(value: Any) -> datetime:
    """An aware instant from a dateTimeTimeZone ("2026-03-03T15:00:00.0000000", "UTC")."""
    if not isinstance(value, dict) or not value.get("dateTime"):
        raise PermanentProviderError(f"{SERVICE} sent a time we cannot read: {value!r}")
    text = str(value["dateTime"]).rstrip("Z")
    # Graph sends seven fractional digits; Python reads at most six.
    if "." in text:
        whole, fraction = text.split(".", 1)
        text = f"{whole}.{fraction[:6]}"
    try:
        naive = datetime.fromisoformat(text)
    except ValueError as error:
        raise PermanentProviderError(f"{SERVICE} sent a time we cannot read: {value!r}") from error
    zone_name = str(value.get("timeZone") or "UTC")
    if zone_name.upper() in ("UTC", "Z", "GMT"):
        zone: Any = UTC
    else:
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            # We always ask for UTC (PREFER); a Windows zone name here means Graph ignored it.
            raise PermanentProviderError(
                f"{SERVICE} sent a time in a zone we cannot read: {zone_name}"
            ) from error
    return naive.replace(tzinfo=naive.tzinfo or zone).astimezone(UTC)


def windows(start: datetime, end: datetime, *, days: int) -> Iterator[tuple[datetime, datetime]]:
    step = timedelta(days=days)
    while start < end:
        yield start, min(start + step, end)
        start += step


def scope_check(grant: TokenGrant) -> TokenGrant:
    """A grant without calendar access is no use: the person must reconnect and consent.

    Graph may answer scopes short ("Calendars.ReadWrite") or long
    ("https://graph.microsoft.com/Calendars.ReadWrite").
    """
    granted = {scope.rsplit("/", 1)[-1].lower() for scope in grant.scope.split()}
    if grant.scope and REQUIRED_SCOPE not in granted:
        raise ConnectionBrokenError(
            f"{SERVICE} did not grant calendar access (Calendars.ReadWrite); reconnect and "
            "accept every permission."
        )
    return grant


def token_post(
    client: httpx.Client, *, tenant: str, data: dict[str, str], previous_refresh_token: str = ""
) -> TokenGrant:
    try:
        body = token_request(client, login_url(tenant, "token"), service=SERVICE, data=data)
    except ConnectionBrokenError:
        raise
    except PermanentProviderError as error:
        # Entra answers a withdrawn consent or a new MFA rule with interaction_required.
        if any(code in str(error) for code in ("interaction_required", "consent_required")):
            raise ConnectionBrokenError(
                f"{SERVICE} needs you to sign in again ({error}); reconnect."
            ) from error
        raise
    return scope_check(grant_from(body, previous_refresh_token=previous_refresh_token))


def event_block(event: dict[str, Any]) -> BusyBlock | None:
    """The busy time of a Graph event, or None when it does not make anyone busy."""
    if event.get("isCancelled") or str(event.get("showAs", "busy")).lower() not in BUSY_STATUSES:
        return None
    return BusyBlock(
        start=time_from_graph(event.get("start")),
        end=time_from_graph(event.get("end")),
        ref=str(event.get("id") or ""),
        interview_uid=marker(event, UID_PROPERTY),
    )


class Graph:
    """One authorized Graph conversation for a connection (a context manager)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.keeper = TokenKeeper(connection, self._refresh)
        self._client: httpx.Client | None = None

    def __enter__(self) -> Graph:
        self._client = http_client()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            raise RuntimeError("Use Graph(connection) as a context manager.")
        return self._client

    def _refresh(self, refresh_token: str) -> TokenGrant:
        oauth = self.connection.client
        if oauth is None:
            raise ConnectionBrokenError(
                f"The organization's {SERVICE} app is not installed any more; an admin must "
                "install it and you must reconnect."
            )
        # Graph issues a new refresh token on every refresh; TokenKeeper saves it through
        # the connection's on_credentials before anything else can fail.
        return token_post(
            self.client,
            tenant=oauth.tenant,
            data={
                "grant_type": "refresh_token",
                "client_id": oauth.client_id,
                "client_secret": oauth.client_secret,
                "refresh_token": refresh_token,
                "scope": SCOPES,
            },
            previous_refresh_token=refresh_token,
        )

    def send(
        self, method: str, path_or_url: str, *, missing_ok: bool = False, **options: Any
    ) -> httpx.Response:
        """An authorized call; ``missing_ok`` lets a 404 through for the caller to read."""
        url = path_or_url if path_or_url.startswith("http") else graph_url(path_or_url)
        if not url.startswith(settings.HIRESLOT_GRAPH_API_URL + "/"):
            # Paging links come from the response: never send the token anywhere else.
            raise PermanentProviderError(f"{SERVICE} pointed us to an unexpected address.")
        headers = {"Prefer": PREFER, **(options.pop("headers", None) or {})}
        response = self.keeper.send(
            self.client, method, url, service=SERVICE, headers=headers, **options
        )
        if missing_ok and response.status_code == 404:
            return response
        response_raise(response, service=SERVICE)
        return response

    def json(self, method: str, path_or_url: str, **options: Any) -> dict[str, Any]:
        response = self.send(method, path_or_url, **options)
        body = response.json() if response.content else {}
        if not isinstance(body, dict):
            raise PermanentProviderError(f"{SERVICE} sent an answer we cannot read.")
        return body

    def pages(self, path: str, *, params: dict[str, str]) -> Iterator[dict[str, Any]]:
        """Every item of a collection, following ``@odata.nextLink``."""
        body = self.json("GET", path, params=params)
        while True:
            yield from (item for item in body.get("value") or [] if isinstance(item, dict))
            link = body.get("@odata.nextLink")
            if not link:
                return
            body = self.json("GET", str(link))
