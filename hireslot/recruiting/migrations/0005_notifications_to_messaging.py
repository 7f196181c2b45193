"""Notification and NotificationPreference now belong to messaging (issue 10): removed from
recruiting's state only; their tables stay, read by messaging's models (see
``messaging.0007_notifications_from_recruiting``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("recruiting", "0004_single_line_names"),
        ("messaging", "0007_notifications_from_recruiting"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Notification"),
                migrations.DeleteModel(name="NotificationPreference"),
            ],
            database_operations=[],
        ),
    ]
