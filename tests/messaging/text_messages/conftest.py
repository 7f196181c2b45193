from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hireslot.messaging.text_messages import memory
from tests.messaging.text_messages.fake_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    FROM_NUMBER,
    FakeTwilio,
    fake_twilio,
)

MEMORY = "hireslot.messaging.text_messages.memory.MemoryBackend"
TWILIO = "hireslot.messaging.text_messages.twilio.TwilioBackend"


@pytest.fixture
def texts(settings: Any) -> Iterator[list[memory.Sent]]:
    """Texts on, through the in-memory double; yields what it sent."""
    settings.HIRESLOT_TEXT_MESSAGE_BACKEND = MEMORY
    memory.reset()
    yield memory.outbox
    memory.reset()


@pytest.fixture
def twilio(settings: Any) -> Iterator[FakeTwilio]:
    """Texts on, through the Twilio adapter talking to a local Twilio."""
    with fake_twilio() as fake:
        settings.HIRESLOT_TEXT_MESSAGE_BACKEND = TWILIO
        settings.HIRESLOT_TWILIO_ACCOUNT_SID = ACCOUNT_SID
        settings.HIRESLOT_TWILIO_AUTH_TOKEN = AUTH_TOKEN
        settings.HIRESLOT_TWILIO_FROM = FROM_NUMBER
        settings.HIRESLOT_TWILIO_API_URL = fake.url
        yield fake
