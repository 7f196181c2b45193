"""Writes about people's conferencing accounts."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hireslot.accounts.models import Organization, User
from hireslot.calendars.models import ConnectionStatus
from hireslot.conferencing.models import ZoomConnection


@transaction.atomic
def zoom_connection_save(
    *, user: User, organization: Organization, account: str, credentials: dict[str, Any]
) -> ZoomConnection:
    row, _ = ZoomConnection.objects.select_for_update().get_or_create(
        user=user, defaults={"account": account}
    )
    row.account = account or user.email
    row.organization = organization
    row.credentials = credentials
    row.status = ConnectionStatus.ACTIVE
    row.last_error = ""
    row.alerted_at = None
    row.save()
    return row


def zoom_connection_delete(*, user: User) -> None:
    ZoomConnection.objects.filter(user=user).delete()
