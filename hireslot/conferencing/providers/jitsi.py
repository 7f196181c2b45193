"""Jitsi Meet links: made locally, no account, the embedded default.

A Jitsi room is open to whoever knows its name, so the name is the only lock: it carries 160
random bits. Jitsi treats room names case-insensitively, so the random part is lower-case
base32 (every bit survives lower-casing, unlike base64).
"""

from __future__ import annotations

import base64
import secrets

from django.conf import settings

from hireslot.conferencing.providers.base import ConferencingProvider, Meeting, MeetingSpec

ROOM_RANDOM_BYTES = 20  # 160 bits


def _room_name() -> str:
    token = base64.b32encode(secrets.token_bytes(ROOM_RANDOM_BYTES)).decode("ascii")
    return f"HireSlot-{token.rstrip('=').lower()}"


class JitsiProvider(ConferencingProvider):
    name = "jitsi"
    needs_network = False

    def meeting_create(self, *, spec: MeetingSpec) -> Meeting:
        room = _room_name()
        base_url = settings.HIRESLOT_JITSI_BASE_URL.rstrip("/")
        return Meeting(provider=self.name, join_url=f"{base_url}/{room}", meeting_id=room)

    def meeting_update(self, *, meeting: Meeting, spec: MeetingSpec) -> Meeting:
        # A room has no time: the link already sent to the candidate stays valid.
        return meeting

    def meeting_delete(self, *, meeting: Meeting) -> None:
        # Rooms exist only while someone is in them; there is nothing to cancel.
        return None
