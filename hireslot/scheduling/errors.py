"""Refusals of scheduling services, each with the HTTP status a page answers with."""

from __future__ import annotations

from hireslot.core.errors import HireSlotError


class RequestSkippedError(HireSlotError):
    """This candidate cannot be sent a request now (no email address, one already pending);
    bulk sending records the reason and goes on."""

    status_code = 409


class RequestClosedError(HireSlotError):
    """The link no longer works: the request expired or was cancelled."""

    status_code = 410


class AlreadyBookedError(HireSlotError):
    status_code = 409


class SlotTakenError(HireSlotError):
    """The time was offered but is no longer free."""

    status_code = 409


class SlotNotOfferedError(HireSlotError):
    """The time was never one of the offered slots (wrong grid, outside hours or the window)."""

    status_code = 400


class ReasonMissingError(HireSlotError):
    """The template asks candidates for a reason to reschedule or cancel, and none was given."""

    status_code = 400


class ChangeTooLateError(HireSlotError):
    """Too close to the start for the candidate to change it; the recruiter still can."""

    status_code = 409
