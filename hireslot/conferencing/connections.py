"""People's Zoom accounts from the database side: the adapter's view of a connection (with
rotated tokens saved at once), choosing the host, and alerting when Zoom access breaks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hireslot.accounts.models import User
from hireslot.calendars.connections import connection_break, oauth_client_for
from hireslot.calendars.models import ConnectionStatus
from hireslot.conferencing.models import ZoomConnection
from hireslot.core import clock
from hireslot.core.remote import Connection


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
    connection_break(
        model=ZoomConnection,
        pk=row.pk,
        error=error,
        what="Zoom connection",
        subject="Reconnect Zoom to keep hosting interviews",
        consequence="Until then, interviews you host cannot get a Zoom link.",
    )
