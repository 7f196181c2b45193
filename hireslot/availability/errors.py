"""The single exception type raised for documents and requests the engine cannot accept."""

from __future__ import annotations


# The name is part of the published API (the contract's word for bad input), hence noqa.
class InvalidDocument(ValueError):  # noqa: N818
    """An input value the engine refuses; ``message`` starts with the offending field's path.

    The CLI shows ``message`` verbatim as ``{"error": message}``, so it must make sense to
    someone who only has the document in front of them.
    """

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        self.message = f"{field}: {problem}" if field else problem
        super().__init__(self.message)


def describe(value: object, limit: int = 60) -> str:
    """A short, safe rendering of a bad value for an error message."""
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


def type_name(value: object) -> str:
    """JSON-flavoured names, since most callers speak JSON."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
