"""For development: each message is one line in the log (to, first words) instead of a text;
the whole message is on its row (Admin → Outgoing text messages). Inbound webhooks are not
accepted: nothing outside can send to a console."""

from __future__ import annotations

import itertools
import logging

from django.http import HttpRequest

from hireslot.messaging.text_messages.base import (
    InboundRejectedError,
    InboundText,
    SentText,
    TextMessageBackend,
)

logger = logging.getLogger(__name__)
_ids = itertools.count(1)


class ConsoleBackend(TextMessageBackend):
    name = "console"

    def send(self, *, to: str, body: str) -> SentText:
        first_line = body.splitlines()[0] if body else ""
        logger.info("text message to %s: %s", to, first_line[:80])
        return SentText(provider_message_id=f"CONSOLE{next(_ids)}")

    def inbound_read(self, request: HttpRequest) -> InboundText:
        raise InboundRejectedError("The console backend receives no messages.")
