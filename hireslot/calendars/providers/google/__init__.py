"""Google Calendar (with Google Meet) as a connected calendar.

- ``oauth``: consent URL, code exchange, refresh, the scope check, revoke;
- ``api``: authorized Calendar API calls and the shape of an interview event on Google;
- ``busy``: busy time from ``freeBusy``, HireSlot's own events carved out and marked;
- ``sync``: push channels (``events.watch``), sync tokens and notification checks;
- ``provider``: ``GoogleCalendarProvider`` (busy time, events, Meet, the calendar list, and
  push, sync, sign-in and revoking as the backend's methods).

Settings name ``hireslot.calendars.providers.google.GoogleCalendarProvider``; the vendor
addresses come from ``HIRESLOT_GOOGLE_*_URL`` so tests and company proxies can replace them.
"""

from hireslot.calendars.providers.google.oauth import (
    GoogleScopesMissingError,
    google_authorization_url,
    google_code_exchange,
    google_missing_scopes,
    google_token_refresh,
    google_token_revoke,
)
from hireslot.calendars.providers.google.provider import GoogleCalendarProvider
from hireslot.calendars.providers.google.sync import (
    google_notification_accept,
    google_sync,
    google_watch_renew,
    google_watch_start,
    google_watch_stop,
)

__all__ = [
    "GoogleCalendarProvider",
    "GoogleScopesMissingError",
    "google_authorization_url",
    "google_code_exchange",
    "google_missing_scopes",
    "google_notification_accept",
    "google_sync",
    "google_token_refresh",
    "google_token_revoke",
    "google_watch_renew",
    "google_watch_start",
    "google_watch_stop",
]
