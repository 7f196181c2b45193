"""The availability grid's embedded data: what the candidate's "none of these times work"
painting grid needs for its first paint (its words, translated here like the booker's, and the
booker's own offer of times for the light "likely free" shading: nothing more about the
interviewers reaches the page)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext

from hireslot.scheduling.models import CandidateAvailability
from hireslot.scheduling.selectors import instant_text
from hireslot.scheduling.services.availability import MAX_WINDOW, MAX_WINDOWS

# How far ahead the candidate can paint (or to the link's expiry, if later): four weeks.
HORIZON_DAYS = 28
# The hours shown until the candidate asks for the whole day: 07:00 to 21:00, in half hours.
FIRST_ROW, LAST_ROW = 14, 42
BOOKER_KEYS = (
    "locale",
    "hourCycle",
    "zone",
    "zoneFixed",
    "duration",
    "slots",
    "loaded",
    "until",
    "slotsUrl",
)


def availability_grid_strings() -> dict[str, str]:
    """The grid script's words; placeholders are named, the script fills them in."""
    return {
        "intro": gettext(
            "Drag across the times you could do, or tap them one by one. "
            "Shaded times are when the interviewers are likely free."
        ),
        "keys": gettext(
            "With a keyboard: the arrow keys move, Space chooses or clears a half hour, "
            "Shift with an arrow key carries it on."
        ),
        "grid": gettext("Times you could do"),
        "zone": gettext("Times in %(zone)s"),
        "time": gettext("Time"),
        "previous": gettext("Previous days"),
        "next": gettext("Next days"),
        "whole_day": gettext("Show the whole day"),
        "legend_free": gettext("Interviewers likely free"),
        "legend_mine": gettext("Your times"),
        "cell": gettext("%(day)s, %(time)s"),
        "likely_free": gettext("interviewers likely free"),
        "chosen_heading": gettext("Your times"),
        "none_yet": gettext("No times chosen yet."),
        "window": gettext("%(day)s, %(from)s–%(to)s"),
        "window_days": gettext("%(from)s – %(to)s"),
        "count": gettext("Times chosen: %(count)s."),
        "added": gettext("Added %(window)s."),
        "removed": gettext("Removed."),
        "remove": gettext("Remove"),
        "remove_one": gettext("Remove %(window)s"),
        "add_heading": gettext("Or type your times"),
        "none_chosen": gettext("Choose at least one time you could do."),
        "too_many": gettext(
            "That is %(count)s separate times; please send at most %(max)s. "
            "Join some of them together."
        ),
        "too_long": gettext(
            "%(window)s is longer than %(hours)s hours. Split it into shorter times."
        ),
        "sending": gettext("Sending…"),
        "failed": gettext("Your times could not be sent. Check your connection and try again."),
        "row_incomplete": gettext("Row %(row)s: give the day, and the time from and to."),
        # The same words as the page after the plain form is sent.
        "done_heading": gettext("Thank you, we have your availability"),
        "done_text": gettext("The team will confirm a time with you by email soon."),
        "change": gettext("Change my times"),
    }


def availability_grid_data(booker: dict[str, object], *, auto_schedule: bool) -> dict[str, object]:
    """The grid's data: the booker's locale, zone, clock and offered times, and the grid's own
    words and limits. ``auto_schedule``: sending may book at once, so the script shows the
    page again (the JSON answer is the same either way) instead of its own thank-you."""
    data = {key: booker[key] for key in BOOKER_KEYS}
    data.update(
        {
            "autoSchedule": auto_schedule,
            "horizonDays": HORIZON_DAYS,
            "firstRow": FIRST_ROW,
            "lastRow": LAST_ROW,
            "maxWindows": MAX_WINDOWS,
            # The contract's limits, checked before sending so the candidate reads the reason
            # beside what they painted; the server checks them again.
            "maxHours": int(MAX_WINDOW.total_seconds() // 3600),
            "strings": availability_grid_strings(),
        }
    )
    return data


def availability_grid_windows(
    availability: CandidateAvailability | None, *, now: datetime
) -> list[dict[str, str]]:
    """The windows the candidate shared before that have not ended, as UTC instants."""
    if availability is None:
        return []
    return [
        {"start": instant_text(window.start), "end": instant_text(window.end)}
        for window in availability.windows.all()
        if window.end > now
    ]
