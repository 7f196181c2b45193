"""Notification and NotificationPreference moved from recruiting to messaging (issue 10) by
state-only migrations: rows written before the move are read, unchanged, by the new models,
and the content types (with the permissions granted on them) follow."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hireslot.accounts.models import Organization, User
from hireslot.messaging.models import Notification, NotificationPreference

BEFORE = [
    ("messaging", "0006_single_line_names"),
    ("recruiting", "0004_single_line_names"),
]
AFTER = [
    ("messaging", "0008_notifications_from_recruiting"),
    ("recruiting", "0006_notifications_to_messaging"),
]
READ_AT = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.fixture
def before_the_move() -> Iterator[MigrationExecutor]:
    """The database as it was before the move; migrated to the end again afterwards, so the
    tests after this one find the whole schema whatever happens here."""
    executor = migrate(BEFORE)
    try:
        yield executor
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


# Migrating on SQLite needs foreign-key checks off, which it refuses inside a transaction.
@pytest.mark.django_db(transaction=True)
def test_notifications_written_before_the_move_are_read_by_the_messaging_models(
    before_the_move: MigrationExecutor,
) -> None:
    old = before_the_move.loader.project_state(BEFORE).apps
    assert not old.all_models["messaging"].get("notification")
    organization = old.get_model("accounts", "Organization").objects.create(
        name="Acme", slug="acme"
    )
    user_model = old.get_model("accounts", "User")
    ada = user_model.objects.create(email="ada@acme.example")
    bo = user_model.objects.create(email="bo@acme.example")
    old_content_type = old.get_model("contenttypes", "ContentType")
    target_type = old_content_type.objects.get_or_create(app_label="accounts", model="user")[0]
    old_notification = old.get_model("recruiting", "Notification")
    unread = old_notification.objects.create(
        organization=organization,
        recipient=ada,
        verb="Bo booked a Manager Interview",
        target_type=target_type,
        target_id=bo.pk,
    )
    read = old_notification.objects.create(
        organization=organization, recipient=ada, verb="An older one", read_at=READ_AT
    )
    old.get_model("recruiting", "NotificationPreference").objects.create(
        user=ada, email_on_booked=False, email_on_cancelled=False
    )
    # Permissions granted on the old model, e.g. to an operator's group in the admin.
    notification_type = old_content_type.objects.get_or_create(
        app_label="recruiting", model="notification"
    )[0]
    old.get_model("auth", "Permission").objects.get_or_create(
        content_type=notification_type,
        codename="view_notification",
        defaults={"name": "Can view notification"},
    )

    migrate(AFTER)

    ada_now = User.objects.get(email="ada@acme.example")
    rows = {row.pk: row for row in Notification.objects.filter(recipient=ada_now)}
    assert set(rows) == {unread.pk, read.pk}
    assert rows[unread.pk].verb == "Bo booked a Manager Interview"
    assert rows[unread.pk].target == User.objects.get(email="bo@acme.example")
    assert rows[unread.pk].organization == Organization.objects.get(slug="acme")
    assert (rows[unread.pk].is_read, rows[read.pk].read_at) == (False, READ_AT)
    preference = ada_now.notification_preference
    assert (
        preference.email_on_booked,
        preference.email_on_rescheduled,
        preference.email_on_cancelled,
    ) == (False, True, False)
    assert NotificationPreference.objects.count() == 1
    # The content type moved with its permission instead of being replaced by a new one.
    moved = ContentType.objects.get(pk=notification_type.pk)
    assert (moved.app_label, moved.model) == ("messaging", "notification")
    assert moved.model_class() is Notification
    assert Permission.objects.filter(content_type=moved, codename="view_notification").exists()
    assert not ContentType.objects.filter(app_label="recruiting", model="notification").exists()
