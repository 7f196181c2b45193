"""Conferencing providers: where interview video and phone links come from.

Only ``base`` is imported here; provider modules are loaded by dotted path when chosen.
"""

from hireslot.conferencing.providers.base import (
    ConferencingKind,
    ConferencingNotAvailable,
    ConferencingProvider,
    Meeting,
    MeetingSpec,
    conferencing_oauth_flows,
    conferencing_provider,
    conferencing_provider_class,
)

__all__ = [
    "ConferencingKind",
    "ConferencingNotAvailable",
    "ConferencingProvider",
    "Meeting",
    "MeetingSpec",
    "conferencing_oauth_flows",
    "conferencing_provider",
    "conferencing_provider_class",
]
