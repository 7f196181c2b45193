"""What the candidate's pages show, read and worded for one candidate: their language and
clock, the no-script list of times, the booker's embedded data, the calendar deeplinks and who
cancelled. No writes (services do those) and no per-slot queries: everything here works on
rows the view already loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from babel import Locale
from django.utils.translation import gettext

from hireslot.accounts.branding import (
    MINIMUM_CONTRAST,
    WHITE,
    accent_text_color,
    color_normalize,
    contrast_ratio,
)
from hireslot.availability import Slot
from hireslot.core.time_text import (
    HourCycle,
    date_text,
    hour_cycle_of,
    time_range_text,
    when_text,
)
from hireslot.scheduling.models import Interview, InterviewLoop, RequestEvent, SchedulingRequest
from hireslot.scheduling.selectors import instant_text

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_LIVE = "https://outlook.live.com/calendar/0/deeplink/compose"
OUTLOOK_OFFICE = "https://outlook.office.com/calendar/0/deeplink/compose"


# --- Brand colours ----------------------------------------------------------------------------

LINK_FALLBACK = "#1d4ed8"


@dataclass(frozen=True)
class BrandColors:
    accent: str  # button and highlight background
    ink: str  # text on the accent: whichever of white or near-black reads better
    link: str  # the accent when it is readable as text on white, else a dark blue


def brand_colors(accent: str) -> BrandColors:
    accent = color_normalize(accent) or "#2563eb"
    link = accent if contrast_ratio(accent, WHITE) >= MINIMUM_CONTRAST else LINK_FALLBACK
    return BrandColors(accent=accent, ink=accent_text_color(accent), link=link)


# --- The no-script list of times --------------------------------------------------------------


@dataclass(frozen=True)
class TimeChoice:
    value: str  # the instant, ISO 8601 in UTC with Z, as posted back
    label: str  # "3:30 – 4:15 PM" on the candidate's wall clock, in their locale


@dataclass(frozen=True)
class TimeDay:
    day: date
    label: str  # "Tuesday, March 3, 2026"
    slots: list[TimeChoice]


def time_days(
    slots: list[Slot], *, zone: str, locale: str, hour_cycle: HourCycle | None
) -> list[TimeDay]:
    """Slots grouped by the candidate's local day. The same wall-clock times recur day after
    day: each distinct one is formatted once (Babel is the slow part of the page)."""
    tz = ZoneInfo(zone)
    labels: dict[tuple[int, int, int, int], str] = {}
    days: dict[date, list[TimeChoice]] = {}
    for slot in slots:
        start, end = slot.start_at.astimezone(tz), slot.end_at.astimezone(tz)
        key = (start.hour, start.minute, end.hour, end.minute)
        if key not in labels:
            labels[key] = time_range_text(
                slot.start_at, slot.end_at, zone=zone, locale=locale, hour_cycle=hour_cycle
            )
        days.setdefault(start.date(), []).append(
            TimeChoice(value=instant_text(slot.start_at), label=labels[key])
        )
    return [
        TimeDay(day=day, label=date_text(day, locale=locale), slots=choices)
        for day, choices in days.items()
    ]


# --- The booker's embedded data ---------------------------------------------------------------


def intl_locale(locale: str) -> str:
    """Babel's ``en_US`` as the browser's ``Intl`` writes it: ``en-US``."""
    return locale.replace("_", "-")


def first_week_day(locale: str) -> int:
    """The locale's first day of the week, as JavaScript's ``getDay()`` counts (0 = Sunday)."""
    return (Locale.parse(locale).first_week_day + 1) % 7


def booker_strings() -> dict[str, str]:
    """The booker script's words, translated here (no JavaScript catalogue): placeholders
    are named, the script fills them in."""
    return {
        "when": gettext("%(when)s (%(zone)s)"),
        "both_zones": gettext("%(mine)s your time · %(theirs)s for %(name)s"),
        "previous_month": gettext("Previous month"),
        "next_month": gettext("Next month"),
        "times_of": gettext("Times on %(day)s"),
        "day_times": gettext("%(day)s, times available: %(count)s"),
        "day_none": gettext("%(day)s, no times"),
        "no_times_month": gettext("No times this month. Try the next month."),
        "no_times_left": gettext("No times are open between now and %(day)s."),
        "no_times_day": gettext("No times on this day."),
        "loading": gettext("Loading times…"),
        "load_failed": gettext("Times could not be loaded. Check your connection and try again."),
        "confirm": gettext("Confirm"),
        "confirm_move": gettext("Move to this time"),
        "booking": gettext("Booking…"),
        "moving": gettext("Moving…"),
        "current": gettext("Your current time"),
        "zone_label": gettext("Time zone"),
        "zone_hint": gettext("Type a city, country or abbreviation"),
        "zone_none": gettext("No time zone matches “%(query)s”."),
        "zone_changed": gettext("Times are now shown in %(zone)s."),
        "zone_results": gettext("Time zones found: %(count)s"),
        "chosen": gettext("Chosen: %(when)s"),
        "agenda": gettext("Your agenda"),
        "session": gettext("%(name)s (%(minutes)s min)"),
        "session_with": gettext("with %(people)s"),
    }


def booker_data(
    *,
    slots: list[Slot],
    loaded: tuple[datetime, datetime],
    zone: str,
    zone_fixed: bool,
    locale: str,
    hour_cycle: HourCycle | None,
    request: SchedulingRequest,
    now: datetime,
    slots_url: str,
    zones_url: str,
    current: Interview | None,
    interviewer: tuple[str, str] | None,
    last_start: datetime,
) -> dict[str, object]:
    """Everything the booker needs for its first paint without another request: the times
    of the first weeks as UTC instants (the script groups them in the browser's zone), and
    how far it may look (``last_start``: the booking horizon's end, not the link's expiry —
    a link that must be used within a week may still offer times in three)."""
    return {
        "locale": intl_locale(locale),
        "hourCycle": hour_cycle or hour_cycle_of(locale),
        "firstDay": first_week_day(locale),
        "zone": zone,
        "zoneFixed": zone_fixed,
        "duration": request.duration_minutes,
        "slots": [instant_text(slot.start_at) for slot in slots],
        "loaded": [instant_text(loaded[0]), instant_text(loaded[1])],
        "now": instant_text(now),
        "until": instant_text(request.expires_at),
        "lastStart": instant_text(last_start),
        "slotsUrl": slots_url,
        "zonesUrl": zones_url,
        "current": instant_text(current.start) if current else None,
        "interviewer": {"name": interviewer[0], "zone": interviewer[1]} if interviewer else None,
        "strings": booker_strings(),
    }


# --- After booking ----------------------------------------------------------------------------


def _calendar_time(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("UTC")).strftime("%Y%m%dT%H%M%SZ")


def calendar_links(
    interview: Interview | InterviewLoop, *, title: str, details: str, location: str
) -> dict[str, str]:
    """Deeplinks that open a new event prefilled with the interview, in UTC (each calendar
    shows it in its owner's zone)."""
    google = urlencode(
        {
            "action": "TEMPLATE",
            "text": title,
            "dates": f"{_calendar_time(interview.start)}/{_calendar_time(interview.end)}",
            "details": details,
            "location": location,
        }
    )
    outlook = urlencode(
        {
            "path": "/calendar/action/compose",
            "rru": "addevent",
            "subject": title,
            "startdt": instant_text(interview.start),
            "enddt": instant_text(interview.end),
            "body": details,
            "location": location,
        }
    )
    return {
        "google": f"{GOOGLE_CALENDAR}?{google}",
        "outlook": f"{OUTLOOK_LIVE}?{outlook}",
        "office": f"{OUTLOOK_OFFICE}?{outlook}",
    }


def interview_when(
    interview: Interview | InterviewLoop | None,
    *,
    start: datetime | None = None,
    zone: str,
    locale: str,
    hour_cycle: HourCycle | None,
) -> str:
    """ "Tuesday, December 8, 2026, 3:30 – 4:15 PM (Central European Time)"."""
    if interview is None:
        return ""
    begin = start or interview.start
    end = begin + (interview.end - interview.start)
    return when_text(begin, end, zone=zone, locale=locale, hour_cycle=hour_cycle)


def cancelled_by_candidate(request: SchedulingRequest) -> bool | None:
    """Who cancelled the request's interview last: the candidate (True), the company
    (False), or nobody (None). One query; only asked on a cancelled page."""
    event = (
        RequestEvent.objects.filter(request=request, kind=RequestEvent.Kind.CANCELLED)
        .order_by("-created_at")
        .values_list("by_candidate", flat=True)
        .first()
    )
    return event


def page_window(first_day: date, days: int, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    start = datetime(first_day.year, first_day.month, first_day.day, tzinfo=tz)
    last = first_day + timedelta(days=days)
    return start, datetime(last.year, last.month, last.day, tzinfo=tz)
