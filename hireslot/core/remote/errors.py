"""How a remote service's trouble is told: one family of errors for every adapter.

The worker that calls adapters retries ``TransientProviderError`` (with the service's own
``Retry-After`` when it gave one) and gives up on ``PermanentProviderError`` until a person
acts; ``ConnectionBrokenError`` also marks the account's connection broken and alerts its
owner. Any other exception is a bug, not weather. Messages are fit for the interview page.
"""

from __future__ import annotations


class ProviderError(Exception):
    """A provider refused or failed; the message is fit to show on the interview page."""


class TransientProviderError(ProviderError):
    """Worth retrying later: timeouts, rate limits (429), the provider's 5xx.

    ``retry_after`` (seconds) is the provider's own advice (``Retry-After``), when it gave one.
    """

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PermanentProviderError(ProviderError):
    """Not worth retrying until someone acts: revoked access, a 4xx, a missing calendar."""


class ConnectionBrokenError(PermanentProviderError):
    """The account's access is gone (revoked or expired grant, missing scopes): its owner must
    reconnect. The connection is marked broken and its owner alerted."""
