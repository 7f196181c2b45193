"""Dates, times and time zones as people read them: one formatter for every page, email and
calendar-file description, in the reader's locale (Babel's CLDR data).

Every function takes a Babel locale name (see ``languages.formatting_locale``) and, where a
time is shown, the IANA zone it is shown in. ``hour_cycle`` overrides the locale's clock
("h12" for 3:30 pm, "h23" for 15:30) when the reader chose one on the page.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import (
    format_date,
    format_interval,
    format_skeleton,
    get_timezone_location,
    get_timezone_name,
)
from django.utils.translation import gettext

HourCycle = Literal["h12", "h23"]
HOUR_CYCLES: tuple[HourCycle, ...] = ("h12", "h23")
UTC_ZONES = frozenset({"UTC", "Etc/UTC", "Etc/GMT", "GMT"})


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def hour_cycle_of(locale: str) -> HourCycle:
    """The clock the locale's readers expect: en_US "h12", en_GB and de "h23"."""
    pattern = _locale(locale).time_formats["short"].pattern
    return "h12" if "h" in pattern or "K" in pattern else "h23"


def _time_skeleton(locale: str, hour_cycle: HourCycle | None) -> str:
    return "hm" if (hour_cycle or hour_cycle_of(locale)) == "h12" else "Hm"


def day_text(day: date, *, locale: str) -> str:
    """A day in a list of days: "Tue, Dec 8" (en_US), "mar. 8 déc." (fr)."""
    return format_skeleton("MMMEd", day, locale=locale)


def date_text(day: date, *, locale: str) -> str:
    """A day on its own, in full: "Tuesday, December 8, 2026"."""
    return format_date(day, "full", locale=locale)


def time_text(
    moment: datetime, *, zone: str, locale: str, hour_cycle: HourCycle | None = None
) -> str:
    """A clock time in ``zone``: "3:30 PM" (en_US), "15:30" (de)."""
    return format_skeleton(
        _time_skeleton(locale, hour_cycle), moment, tzinfo=ZoneInfo(zone), locale=locale
    )


def time_range_text(
    start: datetime,
    end: datetime,
    *,
    zone: str,
    locale: str,
    hour_cycle: HourCycle | None = None,
) -> str:
    """ "3:30 – 4:15 PM": the interval as the locale writes it (shared parts once)."""
    return format_interval(
        start,
        end,
        _time_skeleton(locale, hour_cycle),
        tzinfo=ZoneInfo(zone),
        locale=locale,
    )


def when_text(
    start: datetime,
    end: datetime,
    *,
    zone: str,
    locale: str,
    hour_cycle: HourCycle | None = None,
    with_zone: bool = True,
) -> str:
    """An interview's time in full: "Tuesday, December 8, 2026, 3:30 – 4:15 PM (Central
    European Time)". An interview crossing midnight shows both days."""
    tz = ZoneInfo(zone)
    local_start, local_end = start.astimezone(tz), end.astimezone(tz)
    pattern = _locale(locale).datetime_formats["full"]
    pattern = pattern if isinstance(pattern, str) else str(pattern)
    if local_start.date() == (local_end - timedelta(microseconds=1)).date():
        times = time_range_text(start, end, zone=zone, locale=locale, hour_cycle=hour_cycle)
        text = pattern.replace("{1}", date_text(local_start.date(), locale=locale)).replace(
            "{0}", times
        )
    else:
        first = pattern.replace("{1}", date_text(local_start.date(), locale=locale)).replace(
            "{0}", time_text(start, zone=zone, locale=locale, hour_cycle=hour_cycle)
        )
        last = pattern.replace("{1}", date_text(local_end.date(), locale=locale)).replace(
            "{0}", time_text(end, zone=zone, locale=locale, hour_cycle=hour_cycle)
        )
        text = f"{first} – {last}"
    if not with_zone:
        return text
    return gettext("%(when)s (%(zone)s)") % {"when": text, "zone": zone_name(zone, locale=locale)}


def zone_name(zone: str, *, locale: str) -> str:
    """The zone as people call it: "Central European Time", "Eastern Time"."""
    if zone in UTC_ZONES:
        return gettext("Coordinated Universal Time")
    name = get_timezone_name(ZoneInfo(zone), "long", locale=locale)
    # CLDR has no common name for some zones and falls back to "Unknown Region"-style text
    # or the raw offset; the city then says more.
    if not name or name.startswith(("GMT", "UTC")) or "Unknown" in name:
        return zone_city(zone, locale=locale)
    return name


def zone_city(zone: str, *, locale: str) -> str:
    """The zone's city in the reader's language: "Berlin", "Nueva York"."""
    if zone in UTC_ZONES:
        return "UTC"
    return str(get_timezone_location(ZoneInfo(zone), locale=locale, return_city=True))


def gmt_offset_text(zone: str, *, at: datetime, locale: str) -> str:
    """ "GMT+1", "GMT+5:30", "GMT−3", "GMT" at the instant ``at`` (offsets change with DST)."""
    offset = at.astimezone(ZoneInfo(zone)).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    gmt_format = str(_locale(locale).zone_formats.get("gmt", "GMT%s"))
    if minutes == 0:
        return str(_locale(locale).zone_formats.get("gmt_zero", gmt_format.replace("%s", "")))
    sign = "+" if minutes > 0 else "\u2212"
    hours, rest = divmod(abs(minutes), 60)
    return str(gmt_format % (f"{sign}{hours}" + (f":{rest:02d}" if rest else "")))


def zone_label(zone: str, *, at: datetime, locale: str) -> str:
    """What a zone chooser shows: "Central European Time — Berlin (GMT+1)"."""
    offset = gmt_offset_text(zone, at=at, locale=locale)
    if zone in UTC_ZONES:
        return f"{zone_name(zone, locale=locale)} ({offset})"
    name, city = zone_name(zone, locale=locale), zone_city(zone, locale=locale)
    if name == city:
        return f"{city} ({offset})"
    return f"{name} — {city} ({offset})"
