"""Calendar providers: where interview events are written (see ``base`` for the contract).

Only ``base`` is imported here; provider modules are loaded by dotted path when chosen, so
importing this package touches no models and no network client. The errors and the
connection every adapter shares live in ``hireslot.core.remote``.
"""

from hireslot.calendars.providers.base import (
    CalendarOwner,
    CalendarProvider,
    EventRef,
    EventSpec,
    calendar_provider_load,
)

__all__ = [
    "CalendarOwner",
    "CalendarProvider",
    "EventRef",
    "EventSpec",
    "calendar_provider_load",
]
