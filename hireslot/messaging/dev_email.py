"""Development email without SMTP: one summary line per message where `make run` shows its logs.

Django's console backend printed the whole MIME of every message (an invite is a hundred
lines of base64), which buried the `make run` banner; the full message stays readable in the
app, on the page this line links to.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage

# Set by the delivery service on the message it builds, so the line can link to the stored row.
EMAIL_ID_ATTRIBUTE = "hireslot_email_id"


def email_summary_line(message: EmailMessage) -> str:
    recipients = ", ".join(message.recipients())
    email_id = getattr(message, EMAIL_ID_ATTRIBUTE, None)
    where = f"  read it: {settings.HIRESLOT_BASE_URL}/emails/{email_id}/" if email_id else ""
    return f"Email to {recipients}: {message.subject!r}{where}"


class SummaryEmailBackend(BaseEmailBackend):
    def __init__(self, *args: Any, stream: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stream = stream or sys.stdout
        self._lock = threading.RLock()

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        with self._lock:
            for message in email_messages:
                # Built as SMTP would build it: a message that cannot be sent fails here too.
                message.message()
                self.stream.write(email_summary_line(message) + "\n")
                sent += 1
            self.stream.flush()
        return sent
