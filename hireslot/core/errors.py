"""Errors that services raise for conditions a person can act on.

Views turn these into a 4xx with the message shown; they are never a 500.
"""

from __future__ import annotations


class HireSlotError(Exception):
    """A refusal with a message fit to show to the person who asked."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlanRequiredError(HireSlotError):
    """The organization's plan does not include the feature."""

    status_code = 403
