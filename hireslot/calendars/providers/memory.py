"""A calendar provider that keeps events in memory, for tests (like Django's locmem outbox).

Events live in a class-level dict shared by every instance, so a test can read what a worker
wrote through its own instance. Call ``InMemoryCalendarProvider.reset()`` between tests.
``fail_next`` makes the next calls raise, so retry and failure handling can be tested without
a network.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque
from dataclasses import dataclass
from typing import ClassVar
from uuid import UUID

from hireslot.calendars.providers.base import CalendarOwner, CalendarProvider, EventRef, EventSpec
from hireslot.core.remote import ProviderError, TransientProviderError


@dataclass(frozen=True)
class StoredEvent:
    owner: CalendarOwner
    spec: EventSpec
    event_id: str


class InMemoryCalendarProvider(CalendarProvider):
    name = "memory"

    # Keyed by (owner's user id, uid), as a real calendar is per person.
    events: ClassVar[dict[tuple[UUID, str], StoredEvent]] = {}
    # Every call, failed ones included, as (method, uid): lets a test count attempts.
    calls: ClassVar[list[tuple[str, str]]] = []
    _failures: ClassVar[deque[ProviderError]] = deque()
    # Workers under test may run in threads.
    _lock: ClassVar[threading.Lock] = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.events.clear()
            cls.calls.clear()
            cls._failures.clear()

    @classmethod
    def fail_next(cls, error: ProviderError | None = None, *, times: int = 1) -> None:
        """Make the next ``times`` calls raise ``error`` (default: a transient timeout)."""
        failure = error or TransientProviderError("The calendar did not answer in time.")
        with cls._lock:
            cls._failures.extend([failure] * times)

    @classmethod
    def events_of(cls, user_id: UUID) -> list[EventSpec]:
        """One person's events as last written, earliest first."""
        with cls._lock:
            specs = [
                stored.spec for (owner_id, _), stored in cls.events.items() if owner_id == user_id
            ]
        return sorted(specs, key=lambda spec: spec.start)

    def _attempt(self, method: str, uid: str) -> None:
        # Called with the lock held. Failures come before any change, as with a real provider
        # whose request did not get through.
        self.calls.append((method, uid))
        if self._failures:
            failure = self._failures.popleft()
            raise type(failure)(str(failure))

    def event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> EventRef:
        with self._lock:
            self._attempt("event_upsert", spec.uid)
            key = (owner.user_id, spec.uid)
            stored = self.events.get(key)
            if stored is None:
                stored = StoredEvent(owner=owner, spec=spec, event_id=uuid.uuid4().hex)
            elif spec.sequence >= stored.spec.sequence:
                stored = StoredEvent(owner=owner, spec=spec, event_id=stored.event_id)
            self.events[key] = stored
        return EventRef(provider=self.name, event_id=stored.event_id)

    def event_delete(self, *, owner: CalendarOwner, uid: str) -> None:
        with self._lock:
            self._attempt("event_delete", uid)
            self.events.pop((owner.user_id, uid), None)
