"""People's Zoom accounts from the database side: the adapter's view of a connection (with
rotated tokens saved at once), choosing the host, and alerting when Zoom access breaks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction

from hireslot.accounts.models import Membership, User
from hireslot.calendars.connections import connection_admins_tell, oauth_client_for
from hireslot.calendars.models import ConnectionStatus
from hireslot.calendars.providers.base import Connection
from hireslot.conferencing.models import ZoomConnection
from hireslot.core import clock


def zoom_connection_view(row: ZoomConnection) -> Connection:
    """The Zoom adapter's view of ``row``; Zoom rotates refresh tokens, so each new pair is
    saved before it is used."""

    def save_credentials(credentials: dict[str, Any]) -> None:
        row.credentials = credentials
        ZoomConnection.objects.filter(pk=row.pk).update(
            credentials=credentials, updated_at=clock.now()
        )

    return Connection(
        id=str(row.pk),
        provider="zoom",
        account=row.account,
        credentials=dict(row.credentials),
        client=oauth_client_for(row.organization, "zoom"),
        on_credentials=save_credentials,
    )


def zoom_host_for(interviewers: Sequence[User]) -> ZoomConnection | None:
    """The first interviewer (in the request's fixed order) whose Zoom works hosts."""
    rows = {
        row.user_id: row
        for row in ZoomConnection.objects.filter(
            user__in=interviewers, status=ConnectionStatus.ACTIVE
        ).select_related("organization", "user")
    }
    for user in interviewers:
        if user.pk in rows:
            return rows[user.pk]
    return None


def zoom_connection_mark_broken(*, row: ZoomConnection, error: str) -> None:
    """Record the break and tell the owner once per outage."""
    from hireslot.messaging.services import outgoing_email_queue
    from hireslot.recruiting.services import notification_create

    with transaction.atomic():
        locked = ZoomConnection.objects.select_for_update().select_related("user").get(pk=row.pk)
        first_time = locked.status == ConnectionStatus.ACTIVE or locked.alerted_at is None
        locked.status = ConnectionStatus.BROKEN
        locked.last_error = error[:2000]
        if first_time:
            locked.alerted_at = clock.now()
        locked.save(update_fields=["status", "last_error", "alerted_at", "updated_at"])
        organization = locked.organization or next(
            (
                m.organization
                for m in Membership.objects.filter(user_id=locked.user_id).select_related(
                    "organization"
                )
            ),
            None,
        )
        if not first_time or organization is None:
            return
        verb = "Your Zoom connection stopped working; reconnect it in My Settings"
        notification_create(organization=organization, recipient=locked.user, verb=verb)
        outgoing_email_queue(
            organization=organization,
            to=locked.user.email,
            subject="Reconnect Zoom to keep hosting interviews",
            body_text=(
                f"{verb}.\n\nWhat Zoom said: {error}\n\n"
                f"{settings.HIRESLOT_BASE_URL}/settings/connections/\n"
            ),
            kind="connection_alert",
        )
        connection_admins_tell(
            organization=organization, owner=locked.user, what="Zoom connection", error=error
        )
