"""The event types an endpoint can subscribe to, and the error every webhook service raises
for input a person must fix."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hireslot.core.errors import HireSlotError

ALL_EVENTS = "*"
SCHEDULING_REQUEST_SENT = "scheduling_request.sent"
SCHEDULING_REQUEST_OPENED = "scheduling_request.opened"
SCHEDULING_REQUEST_CANCELLED = "scheduling_request.cancelled"
SCHEDULING_REQUEST_EXPIRED = "scheduling_request.expired"
AVAILABILITY_SUBMITTED = "availability.submitted"
INTERVIEW_SCHEDULED = "interview.scheduled"
INTERVIEW_RESCHEDULED = "interview.rescheduled"
INTERVIEW_CANCELLED = "interview.cancelled"
INTERVIEW_NO_SHOW = "interview.no_show"
CALENDAR_CONNECTION_BROKEN = "calendar_connection.broken"
# Sent by "Send test event" only, whatever the endpoint subscribed to.
WEBHOOK_TEST = "webhook.test"

# What endpoints subscribe to, in the order the settings page lists them.
WEBHOOK_EVENT_TYPES: tuple[str, ...] = (
    SCHEDULING_REQUEST_SENT,
    SCHEDULING_REQUEST_OPENED,
    SCHEDULING_REQUEST_CANCELLED,
    SCHEDULING_REQUEST_EXPIRED,
    AVAILABILITY_SUBMITTED,
    INTERVIEW_SCHEDULED,
    INTERVIEW_RESCHEDULED,
    INTERVIEW_CANCELLED,
    INTERVIEW_NO_SHOW,
    CALENDAR_CONNECTION_BROKEN,
)

# Who cancelled an interview, as ``interview.cancelled`` says it.
CancelledBy = Literal["candidate", "recruiter", "api"]
CANCELLED_BY: tuple[CancelledBy, ...] = ("candidate", "recruiter", "api")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class WebhookValidationError(HireSlotError):
    """Input refused, field by field (the API answers 400 with ``errors``; pages show each
    message by its field)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{error.field}: {error.message}" for error in errors))
        self.errors = errors
