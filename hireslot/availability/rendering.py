"""``list[Slot]`` -> the contract's output document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .instants import format_instants
from .types import Slot


def render_result(slots: Iterable[Slot]) -> dict[str, Any]:
    """``{"slots": [{"start": "…Z", "end": "…Z", "interviewers": [...]}, ...]}``."""
    slots = list(slots)
    starts = format_instants([slot.start for slot in slots])
    ends = format_instants([slot.end for slot in slots])
    return {
        "slots": [
            {"start": start, "end": end, "interviewers": list(slot.interviewers)}
            for start, end, slot in zip(starts, ends, slots, strict=True)
        ]
    }


def render_error(message: str) -> dict[str, Any]:
    """``{"error": message}``."""
    return {"error": message}
