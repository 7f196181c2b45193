"""The candidate shares when they could do (issue 16): ``POST /s/<token>/availability``.

JSON (``{"time_zone", "windows": [{"start", "end"}], "note"}``, the week grid's) or the plain
form (rows of day + from/to on the candidate's wall clock, and a note: the page's no-script
and keyboard way). A refusal is a 400 with the reason and writes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from hireslot.core.errors import HireSlotError
from hireslot.core.request_input import EARLIEST_DAY, LATEST_DAY, BadInputError, json_object_read
from hireslot.scheduling.selectors import default_zone
from hireslot.scheduling.services.availability import (
    MAX_WINDOWS,
    Window,
    availability_windows_parse,
    availability_zone_check,
    candidate_availability_submit,
)
from hireslot.scheduling.views.candidate_actions import after_change, refusal
from hireslot.scheduling.views.candidate_common import reader_of, request_or_404


def _clock_time(value: str, *, row: int, field: str) -> time | None:
    """``HH:MM`` (``24:00`` ends a day: None), or ``BadInputError`` naming the row."""
    if value in ("24:00", "24:00:00"):
        return None
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise BadInputError(
            gettext("Row %(row)s: “%(field)s” must be a time like 09:30.")
            % {"row": row, "field": field}
        ) from None


def _local(day: date, moment: time | None, tz: ZoneInfo) -> datetime:
    """A wall-clock time on ``day`` as an instant, resolved as the engine resolves working
    hours (a time in a spring-forward gap uses the offset before it; a repeated one its
    first occurrence); None is the next midnight."""
    if moment is None:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return datetime.combine(day, moment, tzinfo=tz)


def form_windows(days: list[str], starts: list[str], ends: list[str], zone: str) -> list[Window]:
    """The form's rows (``day``, ``from``, ``to``, one value per row) as instants; empty rows
    are skipped, a half-filled one is refused. ``to`` at or before ``from`` ends the next day
    (an evening into the night)."""
    tz = ZoneInfo(zone)
    rows = max(len(days), len(starts), len(ends))
    if rows > MAX_WINDOWS * 2:
        raise BadInputError(
            gettext("Share at most %(count)s times at once.") % {"count": MAX_WINDOWS}
        )
    windows: list[Window] = []
    for index in range(rows):
        number = index + 1
        day_text, start_text, end_text = (
            (values[index].strip() if index < len(values) else "")
            for values in (days, starts, ends)
        )
        if not (day_text or start_text or end_text):
            continue
        if not (day_text and start_text and end_text):
            raise BadInputError(
                gettext("Row %(row)s: give the day, and the time from and to.") % {"row": number}
            )
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise BadInputError(
                gettext("Row %(row)s: the day must be a date like 2026-03-02.") % {"row": number}
            ) from None
        if not EARLIEST_DAY <= day <= LATEST_DAY:
            raise BadInputError(gettext("Each time must be in the future."))
        start_time = _clock_time(start_text, row=number, field="from")
        if start_time is None:
            raise BadInputError(
                gettext("Row %(row)s: “%(field)s” must be a time like 09:30.")
                % {"row": number, "field": "from"}
            )
        end_time = _clock_time(end_text, row=number, field="to")
        start = _local(day, start_time, tz)
        end = _local(day, end_time, tz)
        if end_time is not None and end_time <= start_time:
            end = _local(day + timedelta(days=1), end_time, tz)
        windows.append((start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))))
    return windows


def _submitted(http: HttpRequest, zone: str) -> tuple[str, list[Window], str, dict[str, Any]]:
    """(zone, windows, note, what was posted) from JSON or the form."""
    if http.content_type == "application/json":
        data = json_object_read(http)
        zone = availability_zone_check(data.get("time_zone"))
        windows = availability_windows_parse(data.get("windows"))
        note = data.get("note") or ""
    else:
        data = http.POST.dict()
        zone = availability_zone_check(http.POST.get("time_zone") or http.POST.get("tz") or zone)
        windows = form_windows(
            http.POST.getlist("day"), http.POST.getlist("from"), http.POST.getlist("to"), zone
        )
        note = http.POST.get("note", "")
    if not isinstance(note, str):
        raise BadInputError(gettext("“note” must be text."))
    return zone, windows, note, data


@require_POST
def candidate_availability(http: HttpRequest, token: str) -> HttpResponse:
    request = request_or_404(token)
    reader = reader_of(http, request)
    zone = default_zone(request)
    with translation.override(reader.language):
        try:
            zone, windows, note, data = _submitted(http, zone)
            submitted = candidate_availability_submit(
                request=request,
                time_zone=zone,
                windows=windows,
                note=note,
                candidate_language=reader.language,
            )
        except HireSlotError as error:
            return refusal(http, request, token, zone, reader, error)
        if http.content_type == "application/json":
            return JsonResponse({"status": "availability_received"})
        done = "booked" if submitted.interview is not None else "availability"
        return after_change(token, zone, data, done=done)
