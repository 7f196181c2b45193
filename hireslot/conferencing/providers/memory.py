"""A conferencing provider that keeps meetings in memory, for tests.

It stands in for a remote service such as Zoom, so it says ``needs_network = True`` and can
be made to fail (``fail_next``) the way a remote service does. Meetings live in a class-level
dict shared by every instance; call ``InMemoryConferencingProvider.reset()`` between tests.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import replace
from typing import ClassVar

from hireslot.conferencing.providers.base import ConferencingProvider, Meeting, MeetingSpec
from hireslot.core.remote import ProviderError, TransientProviderError


class InMemoryConferencingProvider(ConferencingProvider):
    name = "memory"
    needs_network = True

    # Keyed by meeting id, which is the spec's key: creating twice for one interview gives the
    # same meeting, as an idempotent remote service would.
    meetings: ClassVar[dict[str, tuple[Meeting, MeetingSpec]]] = {}
    # Every call, failed ones included, as (method, meeting id or key).
    calls: ClassVar[list[tuple[str, str]]] = []
    _failures: ClassVar[deque[ProviderError]] = deque()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.meetings.clear()
            cls.calls.clear()
            cls._failures.clear()

    @classmethod
    def fail_next(cls, error: ProviderError | None = None, *, times: int = 1) -> None:
        """Make the next ``times`` calls raise ``error`` (default: a transient timeout)."""
        failure = error or TransientProviderError("The video service did not answer in time.")
        with cls._lock:
            cls._failures.extend([failure] * times)

    def _attempt(self, method: str, ref: str) -> None:
        # Called with the lock held; a failed call changes nothing.
        self.calls.append((method, ref))
        if self._failures:
            failure = self._failures.popleft()
            raise type(failure)(str(failure))

    def meeting_create(self, *, spec: MeetingSpec) -> Meeting:
        with self._lock:
            self._attempt("meeting_create", spec.key)
            existing = self.meetings.get(spec.key)
            if existing is not None:
                return existing[0]
            meeting = Meeting(
                provider=self.name,
                join_url=f"https://meetings.invalid/{spec.key}",
                meeting_id=spec.key,
                details=f"{spec.topic} at {spec.start.isoformat()}",
            )
            self.meetings[spec.key] = (meeting, spec)
            return meeting

    def meeting_update(self, *, meeting: Meeting, spec: MeetingSpec) -> Meeting:
        with self._lock:
            self._attempt("meeting_update", meeting.meeting_id)
            updated = replace(meeting, details=f"{spec.topic} at {spec.start.isoformat()}")
            self.meetings[meeting.meeting_id] = (updated, spec)
            return updated

    def meeting_delete(self, *, meeting: Meeting) -> None:
        with self._lock:
            self._attempt("meeting_delete", meeting.meeting_id)
            self.meetings.pop(meeting.meeting_id, None)
