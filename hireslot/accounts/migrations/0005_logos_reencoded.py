"""Logos uploaded before they were re-encoded are re-encoded now (or dropped when they are
not a readable image), so no uploaded file is ever served byte for byte."""

from django.core.files.base import ContentFile
from django.db import migrations


def logos_reencode(apps, schema_editor):
    from hireslot.accounts.logos import LogoError, logo_reencode

    Organization = apps.get_model("accounts", "Organization")
    for organization in Organization.objects.exclude(logo=""):
        old_name = organization.logo.name
        storage = organization.logo.storage
        try:
            with storage.open(old_name, "rb") as source:
                png = logo_reencode(source, name=old_name)
        except (LogoError, OSError):
            organization.logo = ""
        else:
            organization.logo.save(f"{organization.slug}.png", ContentFile(png), save=False)
        organization.save(update_fields=["logo"])
        if storage.exists(old_name):
            storage.delete(old_name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_password_reset_emails"),
    ]

    operations = [migrations.RunPython(logos_reencode, migrations.RunPython.noop)]
