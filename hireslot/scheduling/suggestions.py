"""Matching a candidate's availability to the interviewers' (issue 16, decision 0031).

The engine is not told about the candidate: the times it would offer them (exactly what the
candidate's slots endpoint answers, ``selectors.offered_slots``) are intersected here with
the windows the candidate shared. The engine stays pure and unchanged, and a suggestion is by
construction a time the candidate could have picked themselves, so booking it goes through
the same checks and the same race-safe booking as their own pick.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from hireslot.availability import Slot
from hireslot.core import clock
from hireslot.scheduling.models import AvailabilityWindow, CandidateAvailability, SchedulingRequest
from hireslot.scheduling.selectors import offered_slots

# Windows closer than this are asked of the engine in one range (fewer engine runs); farther
# apart, one range each (a range never spans the empty weeks between them).
_JOIN_GAP = timedelta(days=1)


@dataclass(frozen=True)
class Suggestion:
    """A time (for a loop: the whole loop, first start to last end) the candidate could book
    that lies wholly inside one of their windows."""

    start: datetime
    end: datetime


def availability_of_request(request: SchedulingRequest) -> CandidateAvailability | None:
    """The availability the request's candidate shared, or None if they have not."""
    return (
        CandidateAvailability.objects.filter(request_id=request.pk)
        .prefetch_related("windows")
        .first()
    )


def window_ranges(windows: Sequence[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """``windows`` (sorted by start) grouped into the ranges the engine is asked about."""
    ranges: list[tuple[datetime, datetime]] = []
    for start, end in windows:
        if ranges and start - ranges[-1][1] <= _JOIN_GAP:
            ranges[-1] = (ranges[-1][0], max(ranges[-1][1], end))
        else:
            ranges.append((start, end))
    return ranges


def slots_inside_windows(
    slots: Sequence[Slot], windows: Sequence[tuple[datetime, datetime]]
) -> list[Suggestion]:
    """The slots lying wholly inside one window (``start >= window start`` and ``end <=
    window end``), earliest first, each once. Pure: the acceptance test applies the same rule
    to the engine's own answer."""
    found: dict[datetime, Suggestion] = {}
    for slot in slots:
        start, end = slot.start_at, slot.end_at
        if any(w_start <= start and end <= w_end for w_start, w_end in windows):
            found.setdefault(start, Suggestion(start=start, end=end))
    return [found[start] for start in sorted(found)]


def availability_suggestions(
    *,
    request: SchedulingRequest,
    availability: CandidateAvailability | None = None,
    now: datetime | None = None,
) -> list[Suggestion]:
    """The times the team can book for a candidate who shared their availability, best
    (earliest) first: exactly the times the candidate's own slots endpoint would offer them
    now (the request's interviewers, pools, loop, rules, busy time, notice and horizon), kept
    when they lie wholly inside one of the candidate's windows (a loop: the whole loop inside
    one window). Empty when they shared nothing or nothing fits.

    For the recruiter's pages (candidate page, Home), the API's ``suggestions`` and
    auto-scheduling; booking one goes through ``interview_book`` like the candidate's own
    pick."""
    now = now or clock.now()
    if availability is None:
        availability = availability_of_request(request)
    if availability is None:
        return []
    windows = [
        (window.start, window.end)
        for window in sorted(availability.windows.all(), key=lambda w: w.start)
        if window.end > now
    ]
    slots: list[Slot] = []
    for start, end in window_ranges(windows):
        slots += offered_slots(request=request, start=start, end=end, now=now)
    return slots_inside_windows(slots, windows)


def is_inside_windows(
    *, availability: CandidateAvailability, start: datetime, end: datetime
) -> bool:
    """Whether [start, end) lies wholly inside one of the candidate's windows."""
    return AvailabilityWindow.objects.filter(
        availability=availability, start__lte=start, end__gte=end
    ).exists()
