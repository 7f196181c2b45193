"""The push-validation window, and Graph clientState secrets kept as digests, not plain."""

import hashlib
from typing import Any

from django.db import migrations, models


def client_state_digest(apps: Any, schema_editor: Any) -> None:
    # Mirrors hireslot.calendars.providers.microsoft.notifications.client_state_digest.
    connections = apps.get_model("calendars", "CalendarConnection")
    for row in connections.objects.filter(provider="microsoft").only("pk", "sync_state"):
        subscription = (row.sync_state or {}).get("subscription")
        if not isinstance(subscription, dict) or "client_state" not in subscription:
            continue
        plain = str(subscription.pop("client_state") or "")
        if plain:
            subscription["client_state_digest"] = hashlib.sha256(plain.encode()).hexdigest()
        connections.objects.filter(pk=row.pk).update(sync_state=row.sync_state)


class Migration(migrations.Migration):
    dependencies = [
        ("calendars", "0003_calendarconnection_oauthapp"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarconnection",
            name="push_validation_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        # One way: the plain secrets are gone; subscriptions keep working with the digests.
        migrations.RunPython(client_state_digest, migrations.RunPython.noop),
    ]
