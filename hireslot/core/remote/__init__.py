"""What every adapter of a remote service shares (calendars, video meetings, and whatever
comes next): the errors, a person's connection, the OAuth client, grant and flow, and the
HTTP client (``hireslot.core.remote.http``).

It sits below every app so that calendars and conferencing import it alike and neither
imports the other for it. Adapters never see the ORM: everything here is a dataclass or a
protocol, and the apps turn their rows into a ``Connection``.
"""

from hireslot.core.remote.connection import Connection
from hireslot.core.remote.errors import (
    ConnectionBrokenError,
    PermanentProviderError,
    ProviderError,
    TransientProviderError,
)
from hireslot.core.remote.oauth import (
    AuthorizationUrl,
    CodeExchange,
    OAuthClient,
    OAuthFlow,
    TokenGrant,
)

__all__ = [
    "AuthorizationUrl",
    "CodeExchange",
    "Connection",
    "ConnectionBrokenError",
    "OAuthClient",
    "OAuthFlow",
    "PermanentProviderError",
    "ProviderError",
    "TokenGrant",
    "TransientProviderError",
]
