"""Phone interviews: the "link" is a tel: URL to the number on the template or interviewer."""

from __future__ import annotations

from hireslot.conferencing.providers.base import (
    ConferencingNotAvailable,
    ConferencingProvider,
    Meeting,
    MeetingSpec,
)

_DIALABLE = frozenset("0123456789+")


class PhoneProvider(ConferencingProvider):
    name = "phone"
    needs_network = False

    def meeting_create(self, *, spec: MeetingSpec) -> Meeting:
        number = spec.phone_number.strip()
        # RFC 3966 allows only a plain number in the URL; spaces, dashes and brackets are for
        # people, so they stay in ``details`` as written.
        dialable = "".join(char for char in number if char in _DIALABLE)
        if not any(char.isdigit() for char in dialable):
            raise ConferencingNotAvailable(
                "A phone interview needs a phone number: add one to the interview template "
                "or the interviewer's settings."
            )
        return Meeting(
            provider=self.name,
            join_url=f"tel:{dialable}",
            meeting_id=dialable,
            details=f"Phone: {number}",
        )

    def meeting_update(self, *, meeting: Meeting, spec: MeetingSpec) -> Meeting:
        # The number the candidate was given stays the number to call.
        return meeting

    def meeting_delete(self, *, meeting: Meeting) -> None:
        return None
