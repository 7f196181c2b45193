"""The candidate shares when they could do (issue 16): their windows are checked, replace any
they sent before, and — when the template auto-schedules — the earliest time that fits
everyone is booked at once (decision 0031)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from django.db import transaction
from django.utils.translation import gettext

from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.request_input import BadInputError, instant_parse
from hireslot.core.timezones import is_known_time_zone, zone_canonical
from hireslot.messaging.webhooks import AVAILABILITY_SUBMITTED, webhook_event_wanted
from hireslot.scheduling.errors import AlreadyBookedError, RequestClosedError, SlotTakenError
from hireslot.scheduling.locks import request_locked
from hireslot.scheduling.models import (
    AvailabilityWindow,
    CandidateAvailability,
    Interview,
    RequestEvent,
    SchedulingRequest,
)
from hireslot.scheduling.services.booking import interview_book
from hireslot.scheduling.services.nudges import nudges_cancel
from hireslot.scheduling.suggestions import availability_suggestions
from hireslot.scheduling.webhook_events import availability_event_emit

logger = logging.getLogger(__name__)

MAX_WINDOWS = 50
MAX_WINDOW = timedelta(hours=24)
MAX_NOTE = 2000
# Auto-scheduling tries the next suggestion when one is taken between listing and booking.
AUTO_SCHEDULE_TRIES = 3

Window = tuple[datetime, datetime]


def availability_zone_check(value: object) -> str:
    """The candidate's IANA zone (today's name for a retired alias), or ``BadInputError``."""
    if not isinstance(value, str) or not value:
        raise BadInputError(gettext("Choose your time zone (“time_zone” is missing)."))
    if not is_known_time_zone(value):
        raise BadInputError(
            gettext("“%(zone)s” is not a known time zone; use a name like Europe/London.")
            % {"zone": value[:64]}
        )
    return zone_canonical(value) or value


def availability_windows_parse(value: object) -> list[Window]:
    """``[{"start", "end"}, …]`` as posted in JSON, as instants (not yet checked against
    each other: ``availability_windows_check``)."""
    if not isinstance(value, list):
        raise BadInputError(gettext("“windows” must be a list of {start, end} times."))
    if len(value) > MAX_WINDOWS:
        raise BadInputError(
            gettext("Share at most %(count)s times at once.") % {"count": MAX_WINDOWS}
        )
    windows = []
    for item in value:
        if not isinstance(item, dict):
            raise BadInputError(gettext("“windows” must be a list of {start, end} times."))
        windows.append(
            (
                instant_parse(item.get("start"), field="start"),
                instant_parse(item.get("end"), field="end"),
            )
        )
    return windows


def availability_windows_check(windows: Sequence[Window], *, now: datetime) -> list[Window]:
    """The windows sorted, or ``BadInputError`` with the first reason they cannot be used:
    none, too many, in the past, ending before they start, longer than a day, overlapping."""
    if not windows:
        raise BadInputError(gettext("Add at least one time you could do."))
    if len(windows) > MAX_WINDOWS:
        raise BadInputError(
            gettext("Share at most %(count)s times at once.") % {"count": MAX_WINDOWS}
        )
    ordered = sorted(windows)
    for start, end in ordered:
        if end <= start:
            raise BadInputError(gettext("Each time must end after it starts."))
        if start < now:
            raise BadInputError(gettext("Each time must be in the future."))
        if end - start > MAX_WINDOW:
            raise BadInputError(gettext("Each time can be at most 24 hours long."))
    for (_, end), (start, _) in pairwise(ordered):
        if start < end:
            raise BadInputError(gettext("Two of your times overlap; join them into one."))
    return ordered


@dataclass(frozen=True)
class AvailabilitySubmitted:
    availability: CandidateAvailability
    interview: Interview | None  # booked at once (the template auto-schedules), else None


def candidate_availability_submit(
    *,
    request: SchedulingRequest,
    time_zone: str,
    windows: Sequence[Window],
    note: str = "",
    candidate_language: str = "",
    now: datetime | None = None,
) -> AvailabilitySubmitted:
    """Record the times the candidate could do, replacing any they sent before; the request
    becomes ``availability_received`` and ``availability.submitted`` is sent. Refused (and
    nothing written) when the input is bad (400), the link no longer works (410) or the
    interview is already booked (409).

    When the template auto-schedules, the earliest suggestion is then booked through
    ``interview_book`` (its own race-safe transaction, with the same effects, emails and
    webhooks as the candidate's own pick); the windows are committed first so a booking that
    fails never loses them, and if nothing fits the request stays ``availability_received``.
    """
    now = now or clock.now()
    zone = availability_zone_check(time_zone)
    ordered = availability_windows_check(windows, now=now)
    if len(note) > MAX_NOTE:
        raise BadInputError(
            gettext("The note can be at most %(count)s characters.") % {"count": MAX_NOTE}
        )
    with transaction.atomic():
        locked = request_locked(
            SchedulingRequest.objects.select_related("organization", "template")
        ).get(pk=request.pk)
        if locked.status in SchedulingRequest.BOOKED:
            raise AlreadyBookedError(
                gettext("This interview is already booked; you can reschedule it.")
            )
        if locked.status not in SchedulingRequest.WAITING or locked.expires_at <= now:
            raise RequestClosedError(gettext("This scheduling link is no longer available."))
        availability, _ = CandidateAvailability.objects.update_or_create(
            request=locked,
            defaults={
                "organization_id": locked.organization_id,
                "time_zone": zone,
                "note": note.strip(),
                "submitted_at": now,
            },
        )
        availability.windows.all().delete()
        AvailabilityWindow.objects.bulk_create(
            AvailabilityWindow(availability=availability, start=start, end=end)
            for start, end in ordered
        )
        locked.status = SchedulingRequest.Status.AVAILABILITY_RECEIVED
        # The team needs time to confirm: the link lives at least the template's expiry on.
        locked.expires_at = max(
            locked.expires_at, now + timedelta(days=locked.template.link_expiry_days)
        )
        locked.save(update_fields=["status", "expires_at", "updated_at"])
        RequestEvent.objects.create(
            organization_id=locked.organization_id,
            request=locked,
            kind=RequestEvent.Kind.AVAILABILITY_RECEIVED,
            by_candidate=True,
            # The team's timeline, in English like the rest of the workspace.
            detail=f"{len(ordered)} time{'s' if len(ordered) != 1 else ''} in {zone}",
        )
        nudges_cancel(request=locked, reason="The candidate shared their availability.")
        if webhook_event_wanted(
            organization=locked.organization, event_type=AVAILABILITY_SUBMITTED
        ):
            availability_event_emit(request=locked, availability=availability)
    interview = None
    if locked.template.auto_schedule:
        interview = _auto_schedule(
            request=locked,
            availability=availability,
            candidate_language=candidate_language,
        )
    return AvailabilitySubmitted(availability=availability, interview=interview)


def _auto_schedule(
    *,
    request: SchedulingRequest,
    availability: CandidateAvailability,
    candidate_language: str,
) -> Interview | None:
    """Book the earliest suggestion; a time taken meanwhile gives way to the next one."""
    suggestions = availability_suggestions(request=request, availability=availability)
    for suggestion in suggestions[:AUTO_SCHEDULE_TRIES]:
        try:
            return interview_book(
                request=request,
                start=suggestion.start,
                candidate_time_zone=availability.time_zone,
                candidate_language=candidate_language,
            )
        except SlotTakenError:
            continue
        except HireSlotError as error:
            # The request stays availability_received: the team books from the suggestions.
            logger.info("auto-schedule of request %s refused: %s", request.pk, error.message)
            return None
    return None
