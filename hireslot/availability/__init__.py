"""HireSlot's availability engine: pure Python, standard library only.

It imports nothing from Django or the rest of ``hireslot``; the app calls ``find_slots`` with
requests built from database rows, and ``python -m hireslot.availability`` speaks the JSON
contract. Modules: ``types`` (the frozen dataclasses), ``sessions`` (the same for loops),
``events`` (calendar columns),
``parsing`` and ``rendering`` (JSON documents), ``zones`` (UTC offset tables), ``windows``
(rule 1: working windows, capped days and weeks), ``intervals`` (sweeps), ``busy`` (calendars
subtracted near the windows that matter), ``free`` (one person's free time, rule 3's starts),
``engine`` (rules 2 to 4), ``loops`` (sessions), ``cli``.

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

A loop: sessions in order, each with its own length, people and seats (a tuple of ids: any one
of them will do), and a gap after it; the answer says which seat members are free.

>>> def person(name: str) -> Interviewer:
...     return Interviewer.build(id=name, tz="Europe/London", weekly={"mon": [("09:00", "11:00")]})
>>> loop_request = LoopRequest.build(
...     now=datetime(2026, 3, 1, tzinfo=timezone.utc),
...     start=datetime(2026, 3, 2, tzinfo=timezone.utc),
...     end=datetime(2026, 3, 3, tzinfo=timezone.utc),
...     interval=30,
...     interviewers=[person("ann"), person("bo"), person("cy")],
...     sessions=[
...         Session.build(id="intro", duration=30, interviewers=["ann"], gap_after=15),
...         Session.build(id="code", duration=60, interviewers=["ann", ["bo", "cy"]]),
...     ],
... )
>>> first = find_slots(loop_request)[0]
>>> [(part.id, part.start_at.strftime("%H:%M"), part.interviewers) for part in first.sessions]
[('intro', '09:00', ('ann',)), ('code', '09:45', ('ann', ('bo', 'cy')))]
"""

from .engine import find_slots
from .errors import InvalidDocument
from .events import Intervals
from .parsing import parse_document, parse_text
from .rendering import render_result
from .sessions import Element, LoopRequest, LoopSlot, Session, SessionSlot
from .types import AvailabilityRequest, Interval, Interviewer, Mode, Slot, WallRange

__all__ = [
    "AvailabilityRequest",
    "Element",
    "Interval",
    "Intervals",
    "Interviewer",
    "InvalidDocument",
    "LoopRequest",
    "LoopSlot",
    "Mode",
    "Session",
    "SessionSlot",
    "Slot",
    "WallRange",
    "find_slots",
    "parse_document",
    "parse_text",
    "render_result",
]
