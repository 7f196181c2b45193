from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from hireslot.accounts.models import Organization
from hireslot.api.keys import api_key_create
from hireslot.core.errors import HireSlotError


class Command(BaseCommand):
    help = (
        "Create an API key for an organization and print it; the key alone is the last line "
        "(it is shown only this once: only its hash is kept)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--organization", required=True, help="The organization's slug.")
        parser.add_argument("--name", required=True, help="What the key is for, e.g. 'Greenhouse'.")
        parser.add_argument(
            "--read-only", action="store_true", help="The key may read but change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"No organization has the slug {options['organization']!r}.")
        try:
            new = api_key_create(
                organization=organization,
                name=options["name"],
                read_only=options["read_only"],
                created_by=None,
            )
        except HireSlotError as error:
            raise CommandError(error.message) from error
        access = "read-only" if new.key.read_only else "read and write"
        self.stdout.write(
            f"API key “{new.key.name}” for {organization.name} ({access}); store it now, "
            "it is not shown again:"
        )
        self.stdout.write(new.secret)
