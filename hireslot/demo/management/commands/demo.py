from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from hireslot.accounts.models import Organization
from hireslot.demo.services import demo_organization_seed


class Command(BaseCommand):
    help = "Create the demo organization Acme Robotics (safe to run again) and print its logins."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only seed when the database has no organization at all (used by `make run`).",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even when HIRESLOT_ENV=production (the demo logins are public).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["allow_production"]:
            raise CommandError(
                "Refusing to create demo accounts with published passwords in production; "
                "pass --allow-production if you really mean it."
            )
        if options["if_empty"] and Organization.objects.exists():
            return
        result = demo_organization_seed()
        verb = "Created" if result.created else "Already present:"
        self.stdout.write(
            f"{verb} {result.organization.name} ({result.organization.get_plan_display()} plan)."
        )
        self.stdout.write("Demo logins:")
        for login in result.logins:
            self.stdout.write(
                f"  {login.email:<32} password: {login.password:<15} {login.description}"
            )
        self.stdout.write(f"Play the candidate: {result.candidate_link}")
