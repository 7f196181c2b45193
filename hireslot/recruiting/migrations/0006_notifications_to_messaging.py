"""Notification and NotificationPreference now belong to messaging (issue 10): removed from
recruiting's state only; their tables stay, read by messaging's models (see
``messaging.0008_notifications_from_recruiting``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("recruiting", "0005_workflowstage_template_moved_to_scheduling"),
        ("messaging", "0008_notifications_from_recruiting"),
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
