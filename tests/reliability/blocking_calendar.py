"""The built-in calendar, made slow on request, so a test knows a worker is in the middle of
a calendar effect when it kills it.

While the file ``$HIRESLOT_TEST_HOLD_DIR/hold-calendar`` exists, the first worker to write an
event claims ``entered-calendar`` (written with its pid, atomically: one entrant only) and
waits there until the file is removed; every other call goes straight through.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from hireslot.calendars.providers.base import CalendarOwner, EventRef, EventSpec
from hireslot.calendars.providers.local import BuiltInCalendarProvider


class BlockingCalendarProvider(BuiltInCalendarProvider):
    def event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> EventRef:
        folder = Path(os.environ.get("HIRESLOT_TEST_HOLD_DIR", "/nonexistent"))
        hold = folder / "hold-calendar"
        if hold.exists():
            try:
                descriptor = os.open(
                    folder / "entered-calendar", os.O_CREAT | os.O_EXCL | os.O_WRONLY
                )
            except FileExistsError:
                pass
            else:
                os.write(descriptor, f"{os.getpid()} {spec.uid}".encode())
                os.close(descriptor)
                while hold.exists():
                    time.sleep(0.05)
        return super().event_upsert(owner=owner, spec=spec)
