"""``list[Slot]`` -> the contract's output document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .instants import format_instant
from .types import Slot


def render_result(slots: Iterable[Slot]) -> dict[str, Any]:
    """``{"slots": [{"start": "…Z", "end": "…Z", "interviewers": [...]}, ...]}``."""
    return {
        "slots": [
            {
                "start": format_instant(slot.start),
                "end": format_instant(slot.end),
                "interviewers": list(slot.interviewers),
            }
            for slot in slots
        ]
    }


def render_error(message: str) -> dict[str, Any]:
    """``{"error": message}``."""
    return {"error": message}
