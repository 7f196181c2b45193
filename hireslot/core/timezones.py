"""IANA time-zone names: the only kind HireSlot accepts (no abbreviations, no raw offsets)."""

from __future__ import annotations

from functools import lru_cache
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError


@lru_cache(maxsize=1)
def known_time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_known_time_zone(name: str) -> bool:
    return name in known_time_zones()


def validate_time_zone(value: str) -> None:
    if not is_known_time_zone(value):
        raise ValidationError(
            "%(value)s is not a known time zone; "
            "use a name like Europe/London or America/New_York.",
            params={"value": value},
            code="unknown_time_zone",
        )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(known_time_zones())]
