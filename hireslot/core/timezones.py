"""IANA time-zone names: the only kind HireSlot accepts (no abbreviations, no raw offsets)."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

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


# --- The zone chooser: canonical zones only, labelled for people -----------------------------


def _tzdata_file(name: str) -> str:
    return (resources.files("tzdata") / "zoneinfo" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def zone_countries() -> dict[str, str]:
    """Every zone a person can live in (tzdata's zone.tab, no aliases such as ``CET``,
    ``Cuba`` or ``EST5EDT``), with its ISO country code."""
    zones: dict[str, str] = {}
    for line in _tzdata_file("zone.tab").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        country, _coordinates, zone, *_comment = line.split("\t")
        if zone in known_time_zones():
            zones[zone] = country
    return zones


@lru_cache(maxsize=1)
def _links() -> dict[str, str]:
    """Retired and alias names → today's zone (``Asia/Calcutta`` → ``Asia/Kolkata``)."""
    links: dict[str, str] = {}
    for line in _tzdata_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _l, target, alias = line.split()[:3]
            links[alias] = target
    return links


def zone_canonical(name: str) -> str:
    """The name the chooser lists for ``name``: itself when canonical, the zone an alias
    points to, or "" when unknown. UTC stays UTC."""
    if name in ("UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Universal", "Zulu"):
        return "UTC"
    if name in zone_countries():
        return name
    target = _links().get(name, "")
    seen = 0
    while target and target not in zone_countries() and seen < 4:
        target, seen = _links().get(target, ""), seen + 1
    return target if target in zone_countries() else ""


def zone_abbreviations(zone: str, *, year: int = 2026) -> list[str]:
    """Letters-only abbreviations the zone uses in winter and summer ("CET", "CEST");
    numeric ones such as "+03" are left out (the offset already says that)."""
    tz = ZoneInfo(zone)
    names: list[str] = []
    for month in (1, 7):
        name = datetime(year, month, 1, 12, tzinfo=tz).tzname() or ""
        if name.isalpha() and name not in names:
            names.append(name)
    return names
