"""The candidate's side: the page behind the secret link and its small HTTP interface.

Thin: resolve the link, parse input (every malformed value is a 4xx with a message), call a
service, render in the candidate's language. Candidates are not signed in; the link is their
credential.
"""

from hireslot.scheduling.views.candidate_actions import (
    candidate_book,
    candidate_cancel,
    candidate_invite,
    candidate_reschedule,
    candidate_slots,
)
from hireslot.scheduling.views.candidate_availability import candidate_availability
from hireslot.scheduling.views.candidate_page import candidate_page, candidate_zone

__all__ = [
    "candidate_availability",
    "candidate_book",
    "candidate_cancel",
    "candidate_invite",
    "candidate_page",
    "candidate_reschedule",
    "candidate_slots",
    "candidate_zone",
]
