"""``candidate_zones_build``: rewrite the zone chooser's static files (one per candidate
language). Run it after upgrading tzdata or Babel, or after a translation pass; a test fails
while the committed files are stale."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from hireslot.scheduling.candidate_zones import zones_build


class Command(BaseCommand):
    help = "Write hireslot/scheduling/static/hireslot/zones/<language>.json for the zone chooser."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in zones_build():
            self.stdout.write(f"wrote {path}")
