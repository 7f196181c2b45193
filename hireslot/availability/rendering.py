"""``find_slots``'s answer -> the contract's output document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from .instants import format_instants
from .sessions import LoopSlot, SessionSlot
from .types import Slot


def render_result(slots: Iterable[Slot | LoopSlot]) -> dict[str, Any]:
    """``{"slots": [{"start": "…Z", "end": "…Z", "interviewers": [...]}, ...]}``, or for loops
    ``{"slots": [{"start", "end", "sessions": [{"id", "start", "end", "interviewers"}]}]}``
    (a seat's free members as a nested list)."""
    slots = list(slots)
    starts = format_instants([slot.start for slot in slots])
    ends = format_instants([slot.end for slot in slots])
    # find_slots answers either kind, never both.
    if slots and isinstance(slots[0], LoopSlot):
        return {"slots": _loops(cast("list[LoopSlot]", slots), starts, ends)}
    singles = cast("list[Slot]", slots)
    return {
        "slots": [
            {"start": start, "end": end, "interviewers": list(slot.interviewers)}
            for start, end, slot in zip(starts, ends, singles, strict=True)
        ]
    }


def _loops(loops: list[LoopSlot], starts: list[str], ends: list[str]) -> list[dict[str, Any]]:
    # Every session's instants formatted in one pass, then dealt back to their loops.
    parts: list[SessionSlot] = [part for loop in loops for part in loop.sessions]
    part_starts = iter(format_instants([part.start for part in parts]))
    part_ends = iter(format_instants([part.end for part in parts]))
    return [
        {
            "start": start,
            "end": end,
            "sessions": [
                {
                    "id": part.id,
                    "start": next(part_starts),
                    "end": next(part_ends),
                    "interviewers": [
                        list(element) if isinstance(element, tuple) else element
                        for element in part.interviewers
                    ],
                }
                for part in loop.sessions
            ],
        }
        for start, end, loop in zip(starts, ends, loops, strict=True)
    ]


def render_error(message: str) -> dict[str, Any]:
    """``{"error": message}``."""
    return {"error": message}
