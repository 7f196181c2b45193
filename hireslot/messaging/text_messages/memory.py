"""The in-memory double for tests: messages land in ``outbox``; a test makes the next sends
fail by putting errors in ``failures``, and signs inbound webhooks with ``INBOUND_SECRET``."""

from __future__ import annotations

import hashlib
import hmac
import itertools
from dataclasses import dataclass

from django.http import HttpRequest

from hireslot.messaging.text_messages.base import (
    InboundRejectedError,
    InboundText,
    SentText,
    TextMessageBackend,
    TextMessageError,
)

INBOUND_SECRET = b"memory-text-messages"
SIGNATURE_HEADER = "X-Memory-Signature"


@dataclass(frozen=True)
class Sent:
    to: str
    body: str
    provider_message_id: str


outbox: list[Sent] = []
failures: list[TextMessageError] = []
_ids = itertools.count(1)


def reset() -> None:
    outbox.clear()
    failures.clear()


def inbound_signature(body: bytes) -> str:
    return hmac.new(INBOUND_SECRET, body, hashlib.sha256).hexdigest()


class MemoryBackend(TextMessageBackend):
    name = "memory"

    def send(self, *, to: str, body: str) -> SentText:
        if failures:
            raise failures.pop(0)
        sent = Sent(to=to, body=body, provider_message_id=f"MEM{next(_ids)}")
        outbox.append(sent)
        return SentText(provider_message_id=sent.provider_message_id)

    def inbound_read(self, request: HttpRequest) -> InboundText:
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not hmac.compare_digest(given, inbound_signature(request.body)):
            raise InboundRejectedError("The inbound message is not signed.")
        return InboundText(
            sender=request.POST.get("From", ""),
            body=request.POST.get("Body", ""),
            provider_message_id=request.POST.get("MessageSid", ""),
        )
