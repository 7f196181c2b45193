"""What a text message provider is, and which one this installation uses.

Shaped like Django's email backends: a small base class, one module per provider, the class
named by a dotted path in ``HIRESLOT_TEXT_MESSAGE_BACKEND`` (empty: texts are off and never
offered), and an in-memory double for tests (``memory``). A provider sends one message and
reads the provider's inbound webhook (replies such as STOP), checking that it really came
from the provider.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.module_loading import import_string

from hireslot.core.errors import HireSlotError

# The longest body HireSlot sends: Twilio refuses more than 1,600 characters (error 21617),
# and a reminder that needs more is an email, not a text.
MAX_BODY_LENGTH = 1600


@dataclass(frozen=True)
class SentText:
    provider_message_id: str


@dataclass(frozen=True)
class InboundText:
    """A message a person sent to the installation's number."""

    sender: str  # E.164
    body: str
    provider_message_id: str


class TextMessageError(HireSlotError):
    """A provider refused or failed to take a message."""

    def __init__(
        self,
        message: str,
        *,
        transient: bool,
        opted_out: bool = False,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.transient = transient
        # The recipient replied STOP to the sending number: never text them again.
        self.opted_out = opted_out
        self.retry_after = retry_after


class InboundRejectedError(HireSlotError):
    """An inbound webhook that did not come from the provider (bad or missing signature)."""


class TextMessagesOffError(HireSlotError):
    """No provider is configured: this installation does not send text messages."""


class TextMessageBackend:
    """Subclasses send one message and read inbound webhooks."""

    name: ClassVar[str] = ""

    def send(self, *, to: str, body: str) -> SentText:
        """Hand one message to the provider; raise ``TextMessageError`` when it will not go."""
        raise NotImplementedError

    def inbound_read(self, request: HttpRequest) -> InboundText:
        """The message in the provider's inbound webhook; ``InboundRejectedError`` when the request
        cannot be shown to come from the provider."""
        raise NotImplementedError

    def inbound_answer(self) -> tuple[str, str]:
        """What the provider expects back from the webhook: (body, content type)."""
        return "", "text/plain"


def text_messages_enabled() -> bool:
    return bool(settings.HIRESLOT_TEXT_MESSAGE_BACKEND)


def text_message_backend() -> TextMessageBackend:
    path = settings.HIRESLOT_TEXT_MESSAGE_BACKEND
    if not path:
        raise TextMessagesOffError("This installation does not send text messages.")
    try:
        backend_class = import_string(path)
    except ImportError as error:
        raise ImproperlyConfigured(f"HIRESLOT_TEXT_MESSAGE_BACKEND: {error}") from error
    if not (isinstance(backend_class, type) and issubclass(backend_class, TextMessageBackend)):
        raise ImproperlyConfigured(f"HIRESLOT_TEXT_MESSAGE_BACKEND {path} is not a backend.")
    backend: TextMessageBackend = backend_class()
    return backend
