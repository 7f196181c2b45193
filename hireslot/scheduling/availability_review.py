"""What a recruiter reads about a request whose candidate shared their availability: their
windows, the times that fit everyone (best first), and, when none does, why (issue 16).

Best first is earliest first, loops included: "fewest interviewer moves" is not defined
for a loop whose sessions are fixed in order with fixed gaps (decision 0032).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from hireslot.scheduling.availability_fit import FitExplanation, request_fit_explain
from hireslot.scheduling.models import CandidateAvailability, SchedulingRequest
from hireslot.scheduling.suggestions import (
    Suggestion,
    availability_of_request,
    availability_suggestions,
)


@dataclass(frozen=True)
class AvailabilityReview:
    request: SchedulingRequest
    availability: CandidateAvailability
    windows: list[tuple[datetime, datetime]]
    suggestions: list[Suggestion]
    # Only when nothing fits (and an explanation was asked for).
    explanation: FitExplanation | None


def availability_review(
    *, request: SchedulingRequest, now: datetime, explain: bool = True
) -> AvailabilityReview | None:
    """The review of ``request``, or None when its candidate shared nothing. ``explain``:
    work out why nothing fits (a few engine runs per window and person), when nothing does."""
    availability = availability_of_request(request)
    if availability is None:
        return None
    windows = [(window.start, window.end) for window in availability.windows.all()]
    suggestions = availability_suggestions(request=request, availability=availability, now=now)
    explanation = None
    if explain and not suggestions:
        future = [(start, end) for start, end in windows if end > now] or windows
        explanation = request_fit_explain(request=request, windows=future, now=now)
    return AvailabilityReview(
        request=request,
        availability=availability,
        windows=windows,
        suggestions=suggestions,
        explanation=explanation,
    )
