"""HireSlot's availability engine: pure Python, standard library only.

It imports nothing from Django or the rest of ``hireslot``; the app calls ``find_slots`` with
requests built from database rows, and ``python -m hireslot.availability`` speaks the JSON
contract. Modules: ``types`` (the frozen dataclasses), ``events`` (calendar columns),
``parsing`` and ``rendering`` (JSON documents), ``zones`` (UTC offset tables), ``windows``
(rule 1: working windows, capped days), ``intervals`` (sweeps), ``busy`` (calendars
subtracted near the windows that matter), ``engine`` (rules 2 to 4), ``cli``.

>>> from datetime import datetime, timezone
>>> alice = Interviewer.build(id="alice", tz="Europe/London", weekly={"mon": [("09:00", "11:00")]})
>>> request = AvailabilityRequest.build(
...     now=datetime(2026, 3, 1, tzinfo=timezone.utc),
...     start=datetime(2026, 3, 2, tzinfo=timezone.utc),
...     end=datetime(2026, 3, 3, tzinfo=timezone.utc),
...     duration=60,
...     interviewers=[alice],
... )
>>> [slot.start_at.isoformat() for slot in find_slots(request)]
['2026-03-02T09:00:00+00:00', '2026-03-02T10:00:00+00:00']
"""

from .engine import find_slots
from .errors import InvalidDocument
from .events import Intervals
from .parsing import parse_document, parse_text
from .rendering import render_result
from .types import AvailabilityRequest, Interval, Interviewer, Mode, Slot, WallRange

__all__ = [
    "AvailabilityRequest",
    "Interval",
    "Intervals",
    "Interviewer",
    "InvalidDocument",
    "Mode",
    "Slot",
    "WallRange",
    "find_slots",
    "parse_document",
    "parse_text",
    "render_result",
]
