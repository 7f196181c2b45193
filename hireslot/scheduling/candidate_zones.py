"""The zone chooser's data: one static JSON file per candidate language, built from tzdata's
canonical zones and CLDR names (``manage.py candidate_zones_build``) and committed.

The page never renders the zone list: the booker's script fetches the file (a cached static
file) when the chooser is first used, and the no-script zone page searches the same data.

File shape (compact, since every candidate may download it)::

    {"zones": [[id, zone name, city, country, "ABBR ABBR"], ...],
     "aliases": {"Asia/Calcutta": "Asia/Kolkata", ...}}

Offsets and current local times are not stored: the browser computes them for today.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from babel import Locale
from django.utils import translation

from hireslot.core.languages import CANDIDATE_LANGUAGES, formatting_locale
from hireslot.core.time_text import zone_city, zone_name
from hireslot.core.timezones import (
    known_time_zones,
    zone_abbreviations,
    zone_canonical,
    zone_countries,
)

ZONES_DIR = Path(__file__).resolve().parent / "static" / "hireslot" / "zones"
STATIC_PREFIX = "hireslot/zones/"

Zone = list[str]  # [id, name, city, country, abbreviations]


def zones_file_name(language: str) -> str:
    return f"{language}.json"


def zones_static_path(language: str) -> str:
    """The file's path for ``{% static %}``."""
    return STATIC_PREFIX + zones_file_name(language)


def zones_document(language: str) -> dict[str, object]:
    """The chooser's data in ``language`` (names in that language, CLDR's translations)."""
    locale = formatting_locale(language)
    territories = Locale.parse(locale).territories
    with translation.override(language):
        zones: list[Zone] = [
            [
                "UTC",
                zone_name("UTC", locale=locale),
                "UTC",
                "",
                "UTC GMT",
            ]
        ]
        for zone, country in sorted(zone_countries().items()):
            zones.append(
                [
                    zone,
                    zone_name(zone, locale=locale),
                    zone_city(zone, locale=locale),
                    str(territories.get(country, country)),
                    " ".join(zone_abbreviations(zone)),
                ]
            )
    canonical = {zone[0] for zone in zones}
    aliases = {
        name: zone_canonical(name)
        for name in sorted(known_time_zones())
        if name not in canonical and zone_canonical(name)
    }
    return {"zones": zones, "aliases": aliases}


def zones_text(language: str) -> str:
    document = zones_document(language)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def zones_build(directory: Path = ZONES_DIR) -> list[Path]:
    """Write every language's file; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for language, _name in CANDIDATE_LANGUAGES:
        path = directory / zones_file_name(language)
        path.write_text(zones_text(language), encoding="utf-8")
        written.append(path)
    return written


@lru_cache(maxsize=16)
def zones_load(language: str) -> tuple[tuple[str, ...], ...]:
    """The committed file's zones (for the no-script zone page), read once per process."""
    text = (ZONES_DIR / zones_file_name(language)).read_text(encoding="utf-8")
    return tuple(tuple(zone) for zone in json.loads(text)["zones"])


def zones_search(language: str, query: str, *, limit: int = 30) -> list[tuple[str, ...]]:
    """Zones whose id, name, city, country or abbreviation contains ``query`` (any case);
    an exact abbreviation or city first."""
    needle = query.strip().casefold()
    if not needle:
        return []
    found: list[tuple[int, tuple[str, ...]]] = []
    for zone in zones_load(language):
        words = [part.casefold() for part in zone]
        abbreviations = words[4].split()
        if needle in abbreviations or needle == words[2]:
            found.append((0, zone))
        elif any(needle in word for word in words[:4]) or needle in words[0].replace("_", " "):
            found.append((1, zone))
    found.sort(key=lambda item: item[0])
    return [zone for _rank, zone in found[:limit]]
