"""People's connected calendars, from the database side: which provider holds someone's
interview events, refreshing busy time into the cache, signing in and disconnecting, and
telling the owner when a connection (a calendar's or Zoom's) breaks. Providers themselves
never touch the ORM; they get a ``Connection``."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from hireslot.accounts.models import AvailabilitySettings, Membership, Organization, Role, User
from hireslot.calendars.models import (
    AccountConnection,
    BusySource,
    BusySync,
    CalendarConnection,
    ConnectionStatus,
    OAuthApp,
)
from hireslot.calendars.providers.base import (
    BusyBlock,
    CalendarInfo,
    CalendarOwner,
    CalendarProvider,
    ConnectedCalendarProvider,
    calendar_provider_load,
    connected_provider_class,
)
from hireslot.calendars.services import busy_cache_replace, calendar_connection_delete
from hireslot.core import clock
from hireslot.core.remote import (
    Connection,
    ConnectionBrokenError,
    OAuthClient,
    OAuthFlow,
    ProviderError,
)
from hireslot.core.request_input import instant_in_range
from hireslot.messaging.notifications import NotificationEmail, NotificationTopic, notification_send
from hireslot.messaging.webhooks import CALENDAR_CONNECTION_BROKEN, webhook_event_record

logger = logging.getLogger(__name__)

# How far ahead busy time is kept fresh: the longest booking horizon anyone may set.
REFRESH_DAYS = 90


def oauth_client_for(organization: Organization | None, provider: str) -> OAuthClient | None:
    app = (
        OAuthApp.objects.filter(organization=organization, provider=provider).first()
        if organization is not None
        else None
    )
    if app is None:
        return None
    return OAuthClient(client_id=app.client_id, client_secret=app.client_secret, tenant=app.tenant)


def _owner_zone(row: CalendarConnection) -> str:
    # The zone of the owner's working hours (My Settings), where their own days are.
    zone = (
        AvailabilitySettings.objects.filter(user_id=row.user_id)
        .values_list("time_zone", flat=True)
        .first()
    )
    return zone or ""


def connection_view(row: CalendarConnection) -> Connection:
    """The provider's view of ``row``; token rotations and sync state are saved at once."""

    def save_credentials(credentials: dict[str, Any]) -> None:
        row.credentials = credentials
        # update() encrypts through the field, like save() does.
        CalendarConnection.objects.filter(pk=row.pk).update(
            credentials=credentials, updated_at=clock.now()
        )

    def save_sync_state(state: dict[str, Any]) -> None:
        row.sync_state = state
        CalendarConnection.objects.filter(pk=row.pk).update(
            sync_state=state, updated_at=clock.now()
        )

    return Connection(
        id=str(row.pk),
        provider=row.provider,
        account=row.account,
        credentials=dict(row.credentials),
        busy_calendars=tuple(row.busy_calendars),
        event_calendar=row.event_calendar,
        time_zone=_owner_zone(row),
        sync_state=dict(row.sync_state),
        client=oauth_client_for(row.organization, row.provider),
        on_credentials=save_credentials,
        on_sync_state=save_sync_state,
    )


def connected_provider_for(row: CalendarConnection) -> ConnectedCalendarProvider:
    provider_class = connected_provider_class(row.provider)
    if provider_class is None:
        raise ConnectionBrokenError(
            f"{row.get_provider_display()} calendars are not available on this server."
        )
    return provider_class(connection_view(row))


def calendar_oauth_flows() -> dict[str, OAuthFlow]:
    """How people connect each kind of calendar that signs in by OAuth, by kind."""
    flows = {}
    for provider in settings.HIRESLOT_CONNECTED_CALENDAR_PROVIDERS:
        provider_class = connected_provider_class(provider)
        if provider_class is not None and provider_class.oauth_flow is not None:
            flows[provider] = provider_class.oauth_flow
    return flows


def calendar_credentials_check(
    *, provider: str, credentials: dict[str, Any]
) -> tuple[str, list[CalendarInfo]]:
    """Sign in with credentials a person typed (CalDAV), before saving the connection: the
    account's name and its calendars, or the provider's error saying what is wrong."""
    provider_class = connected_provider_class(provider)
    if provider_class is None:
        raise ConnectionBrokenError(f"{provider} calendars are not available on this server.")
    return provider_class.credentials_check(credentials)


def calendar_connection_disconnect(*, row: CalendarConnection) -> None:
    """Stop the connection's push channels and revoke its access where the provider allows,
    then forget it (``calendar_connection_delete``). Trouble at the provider does not stop
    the disconnect: the person asked for it, and the grant is no longer used."""
    try:
        provider = connected_provider_for(row)
        provider.push_stop()
        provider.access_revoke()
    except ProviderError as error:
        logger.warning("stopping push for %s failed: %s", row.pk, error)
    calendar_connection_delete(row=row)


def event_provider_for(owner: CalendarOwner) -> CalendarProvider:
    """Where ``owner``'s interview events go: their connected calendar chosen for events when
    it works, otherwise the server's default (the built-in calendar)."""
    row = (
        CalendarConnection.objects.select_related("organization")
        .filter(user_id=owner.user_id, receives_events=True, status=ConnectionStatus.ACTIVE)
        .first()
    )
    if row is not None:
        provider = connected_provider_for(row)
        if provider.writable:
            return provider
    return calendar_provider_load(settings.HIRESLOT_CALENDAR_PROVIDER)


def connection_break(
    *,
    model: type[AccountConnection],
    pk: Any,
    error: str,
    what: str,
    subject: str,
    consequence: str,
) -> None:
    """Mark a person's connection (calendar or Zoom) broken, and tell its owner and the
    organization's admins once per outage, in the app and by email, with a reconnect link."""
    with transaction.atomic():
        # _default_manager: the abstract base declares no ``objects`` of its own.
        locked = model._default_manager.select_for_update().get(pk=pk)
        first_time = locked.status == ConnectionStatus.ACTIVE or locked.alerted_at is None
        locked.status = ConnectionStatus.BROKEN
        locked.last_error = error[:2000]
        if first_time:
            locked.alerted_at = clock.now()
        locked.save(update_fields=["status", "last_error", "alerted_at", "updated_at"])
        organization = locked.organization
        if organization is None:
            first = (
                Membership.objects.filter(user_id=locked.user_id)
                .select_related("organization")
                .order_by("created_at")
                .first()
            )
            organization = first.organization if first else None
        if not first_time or organization is None:
            return
        owner = User.objects.get(pk=locked.user_id)
        if isinstance(locked, CalendarConnection):
            webhook_event_record(
                organization=organization,
                event_type=CALENDAR_CONNECTION_BROKEN,
                data={
                    "user": {"id": str(owner.pk), "email": owner.email},
                    "provider": locked.provider,
                    "error": error[:2000],
                },
            )
        verb = f"Your {what} stopped working; reconnect it in My Settings"
        notification_send(
            organization=organization,
            recipient=owner,
            verb=verb,
            topic=NotificationTopic.CONNECTION_BROKEN,
            email=NotificationEmail(
                subject=subject,
                body_text=(
                    f"{verb}.\n\nWhat the provider said: {error}\n\n{consequence}\n\n"
                    f"Reconnect: {settings.HIRESLOT_BASE_URL}/settings/connections/\n"
                ),
            ),
        )
        connection_admins_tell(organization=organization, owner=owner, what=what, error=error)


def connection_mark_broken(*, row: CalendarConnection, error: str) -> None:
    connection_break(
        model=CalendarConnection,
        pk=row.pk,
        error=error,
        what=f"{row.get_provider_display()} connection ({row.account})",
        subject="Reconnect your calendar to keep receiving interviews",
        consequence=(
            "Until then, candidates cannot book you (HireSlot cannot see your busy time "
            "there), and interviews go to your HireSlot calendar."
        ),
    )


def connection_admins_tell(
    *, organization: Organization, owner: User, what: str, error: str
) -> None:
    """The organization's admins hear of a broken connection too: they can chase it."""
    admins = User.objects.filter(
        memberships__organization=organization, memberships__role=Role.ADMIN, is_active=True
    ).exclude(pk=owner.pk)
    verb = f"{owner.get_full_name()}'s {what} stopped working"
    for admin in admins:
        notification_send(
            organization=organization,
            recipient=admin,
            verb=verb,
            topic=NotificationTopic.CONNECTION_BROKEN,
            email=NotificationEmail(
                subject=verb,
                body_text=(
                    f"{verb}: {error}\n\nThey have been asked to reconnect it. Connection "
                    f"health: {settings.HIRESLOT_BASE_URL}/settings/integrations/\n"
                ),
            ),
        )


def busy_blocks_store(
    *,
    row: CalendarConnection,
    start: datetime,
    end: datetime,
    blocks: list[BusyBlock],
    scope: str | None = None,
) -> int:
    """Replace the connection's busy time in [start, end) with a fresh read (of the part
    ``scope`` only, when given)."""
    with transaction.atomic():
        stored = busy_cache_replace(
            user_id=row.user_id,
            source=BusySource(row.provider),
            window_start=start,
            window_end=end,
            blocks=blocks,
            scope=scope,
        )
        now = clock.now()
        CalendarConnection.objects.filter(pk=row.pk).update(last_synced_at=now, updated_at=now)
    return stored


def connection_busy_refresh(
    *, row: CalendarConnection, start: datetime | None = None, end: datetime | None = None
) -> int:
    """Read the connection's busy time into the cache; a broken grant alerts the owner, other
    trouble is recorded on the sync row and left for the next refresh."""
    start = start or clock.now() - timedelta(days=1)
    end = end or start + timedelta(days=REFRESH_DAYS)
    try:
        blocks = connected_provider_for(row).busy_read(start=start, end=end)
    except ConnectionBrokenError as error:
        connection_mark_broken(row=row, error=str(error))
        raise
    except ProviderError as error:
        BusySync.objects.update_or_create(
            user_id=row.user_id,
            source=BusySource(row.provider),
            defaults={"refreshed_at": clock.now(), "last_error": str(error)[:2000]},
        )
        raise
    return busy_blocks_store(row=row, start=start, end=end, blocks=blocks)


def busy_live_conflict(
    *,
    users: list[User],
    start: datetime,
    end: datetime,
    buffers: dict[Any, tuple[int, int]],
    own_uid: str = "",
) -> User | None:
    """Ask each interviewer's connected calendars, right now, whether [start, end) (widened by
    their buffers) is still free; the first person who is not, else None.

    Called just before a booking commits, outside its transaction. A calendar that cannot be
    asked does not stop the booking (the busy cache checked it minutes ago, and a calendar
    unread for long makes its owner busy anyway); it is logged.
    """
    rows = (
        CalendarConnection.objects.filter(user__in=users, status=ConnectionStatus.ACTIVE)
        .select_related("organization")
        .order_by("user_id")
    )
    by_user: dict[Any, list[CalendarConnection]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    if not (instant_in_range(start) and instant_in_range(end)):
        # No calendar holds such a time and nothing is offered there: nothing to ask (and
        # widening it by the buffers could overflow).
        return None
    for user in users:
        before, after = buffers.get(user.pk, (0, 0))
        low, high = start - timedelta(minutes=before), end + timedelta(minutes=after)
        for row in by_user.get(user.pk, []):
            try:
                blocks = connected_provider_for(row).busy_read(start=low, end=high)
            except ConnectionBrokenError as error:
                connection_mark_broken(row=row, error=str(error))
                continue
            except ProviderError as error:
                logger.warning("live free/busy of %s failed: %s", row.pk, error)
                continue
            # Only the interview being moved may overlap its own new time.
            if any(
                block.start < high
                and block.end > low
                and not (own_uid and block.interview_uid == own_uid)
                for block in blocks
            ):
                return user
    return None
