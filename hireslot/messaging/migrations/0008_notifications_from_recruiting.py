"""Notification and NotificationPreference join messaging (issue 10) without moving a row.

The tables keep recruiting's names (``db_table``): this migration only adds the models to
messaging's state, and ``recruiting.0006_notifications_to_messaging`` only removes them from
recruiting's. The content types are renamed, so permissions granted on them and admin log
entries follow the models.
"""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

MOVED = ("notification", "notificationpreference")


def _content_types_move(apps: StateApps, source: str, destination: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MOVED:
        # A content type already made for the destination (by an earlier post_migrate) wins;
        # the source's is then stale and left for remove_stale_contenttypes.
        if not content_type.objects.filter(app_label=destination, model=model).exists():
            content_type.objects.filter(app_label=source, model=model).update(app_label=destination)


def content_types_to_messaging(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _content_types_move(apps, "recruiting", "messaging")


def content_types_to_recruiting(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _content_types_move(apps, "messaging", "recruiting")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("messaging", "0007_outgoing_email_generic_target"),
        # No dependency on recruiting, whose migrations create these tables: that would point
        # up the stack. Only the state moves here; recruiting.0006 depends on this migration
        # and drops its own state, and the tables exist whichever order a fresh database uses.
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("verb", models.CharField(max_length=200)),
                        ("target_id", models.UUIDField(blank=True, null=True)),
                        ("read_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "organization",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="accounts.organization",
                            ),
                        ),
                        (
                            "recipient",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notifications",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "target_type",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="contenttypes.contenttype",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "recruiting_notification",
                        "ordering": ["-created_at"],
                        "indexes": [
                            models.Index(
                                fields=["recipient", "read_at"],
                                name="recruiting__recipie_528eaf_idx",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="NotificationPreference",
                    fields=[
                        (
                            "id",
                            models.UUIDField(
                                default=uuid.uuid4,
                                editable=False,
                                primary_key=True,
                                serialize=False,
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "email_on_booked",
                            models.BooleanField(
                                default=True, verbose_name="Email me when an interview is booked"
                            ),
                        ),
                        (
                            "email_on_rescheduled",
                            models.BooleanField(
                                default=True,
                                verbose_name="Email me when an interview is rescheduled",
                            ),
                        ),
                        (
                            "email_on_cancelled",
                            models.BooleanField(
                                default=True,
                                verbose_name="Email me when an interview is cancelled",
                            ),
                        ),
                        (
                            "user",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="notification_preference",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "recruiting_notificationpreference",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_messaging, content_types_to_recruiting),
    ]
