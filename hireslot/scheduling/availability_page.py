"""What the candidate's page shows of an availability request (issue 16): the plain form
(rows of day + from/to, in the candidate's zone) and the times they already shared."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from hireslot.core.time_text import HourCycle, when_text
from hireslot.scheduling.models import CandidateAvailability, RequestKind, SchedulingRequest

# Empty rows offered below the ones already shared (more come with each send).
SPARE_ROWS = 3
MIN_ROWS = 4


@dataclass(frozen=True)
class WindowRow:
    day: str  # YYYY-MM-DD on the candidate's wall clock
    start: str  # HH:MM
    end: str  # HH:MM; at or before ``start``: the next day


@dataclass(frozen=True)
class AvailabilityForm:
    rows: list[WindowRow]
    note: str
    first_day: str  # the earliest day the date inputs accept
    shared: list[str]  # the windows already shared, as sentences in the candidate's zone
    submitted: bool


def availability_form(
    *,
    request: SchedulingRequest,
    availability: CandidateAvailability | None,
    zone: str,
    locale: str,
    hour_cycle: HourCycle | None,
    now: datetime,
) -> AvailabilityForm:
    """The form prefilled with what the candidate shared before (sending replaces it, so
    adding a time keeps the others), plus empty rows."""
    tz = ZoneInfo(zone)
    rows: list[WindowRow] = []
    shared: list[str] = []
    note = ""
    if availability is not None:
        note = availability.note
        for window in sorted(availability.windows.all(), key=lambda w: w.start):
            start, end = window.start.astimezone(tz), window.end.astimezone(tz)
            shared.append(
                when_text(window.start, window.end, zone=zone, locale=locale, hour_cycle=hour_cycle)
            )
            if window.end > now:
                rows.append(WindowRow(f"{start:%Y-%m-%d}", f"{start:%H:%M}", f"{end:%H:%M}"))
    blanks = max(SPARE_ROWS, MIN_ROWS - len(rows))
    rows += [WindowRow("", "", "") for _ in range(blanks)]
    return AvailabilityForm(
        rows=rows,
        note=note,
        first_day=f"{now.astimezone(tz):%Y-%m-%d}",
        shared=shared,
        submitted=availability is not None,
    )


def asks_availability(request: SchedulingRequest) -> bool:
    return request.kind == RequestKind.ASK_AVAILABILITY
