"""Microsoft 365 (Graph) with Teams: sign-in, busy time, interview events, notifications.

``HIRESLOT_CONNECTED_CALENDAR_PROVIDERS["microsoft"]`` names ``MicrosoftCalendarProvider``
here; vendor addresses come from ``HIRESLOT_MICROSOFT_LOGIN_URL`` and
``HIRESLOT_GRAPH_API_URL``.
"""

from hireslot.calendars.providers.microsoft.notifications import (
    Subscription,
    microsoft_delta_sync,
    microsoft_lifecycle_events,
    microsoft_notification_accept,
    microsoft_subscription_create,
    microsoft_subscription_delete,
    microsoft_subscription_renew,
    microsoft_validation_response,
)
from hireslot.calendars.providers.microsoft.oauth import (
    microsoft_authorization_url,
    microsoft_code_exchange,
    microsoft_token_refresh,
)
from hireslot.calendars.providers.microsoft.provider import MicrosoftCalendarProvider

__all__ = [
    "MicrosoftCalendarProvider",
    "Subscription",
    "microsoft_authorization_url",
    "microsoft_code_exchange",
    "microsoft_delta_sync",
    "microsoft_lifecycle_events",
    "microsoft_notification_accept",
    "microsoft_subscription_create",
    "microsoft_subscription_delete",
    "microsoft_subscription_renew",
    "microsoft_token_refresh",
    "microsoft_validation_response",
]
