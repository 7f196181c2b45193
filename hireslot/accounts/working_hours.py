"""Working hours as people type them ("09:00-12:00, 13:00-17:00") and as the engine stores
them ([["09:00", "12:00"], ["13:00", "17:00"]]), with messages a person understands."""

from __future__ import annotations

import re
from itertools import pairwise

from django.core.exceptions import ValidationError

WEEKDAYS = (
    ("mon", "Monday"),
    ("tue", "Tuesday"),
    ("wed", "Wednesday"),
    ("thu", "Thursday"),
    ("fri", "Friday"),
    ("sat", "Saturday"),
    ("sun", "Sunday"),
)
_TIME = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")
# Hyphen, en dash or em dash, as people type them (\u2013, \u2014), or the word "to".
_SEPARATOR = re.compile("\\s*[-\u2013\u2014]\\s*|\\s+to\\s+")


def _minutes(text: str, *, is_end: bool) -> int:
    match = _TIME.match(text)
    if not match or (match.group(1) == "24" and match.group(2) != "00"):
        raise ValidationError(
            f"“{text}” is not a time: write it as HH:MM on a 24-hour clock, like 09:30 or 17:00."
        )
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours == 24 and not is_end:
        raise ValidationError(
            "24:00 can only end a range (it means midnight at the end of the day)."
        )
    return hours * 60 + minutes


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def hours_parse(text: str) -> list[list[str]]:
    """``"9:00-12:00, 13:00-17:00"`` → ``[["09:00", "12:00"], ["13:00", "17:00"]]``.

    Blank means not working. Ranges must end after they start and must not overlap.
    """
    ranges: list[tuple[int, int]] = []
    for part in (p.strip() for p in re.split(r"[,;\n]", text)):
        if not part:
            continue
        pieces = _SEPARATOR.split(part)
        if len(pieces) != 2:
            raise ValidationError(
                f"“{part}” is not a range: write it as start-end, like 09:00-17:00."
            )
        start, end = _minutes(pieces[0], is_end=False), _minutes(pieces[1], is_end=True)
        if end <= start:
            raise ValidationError(
                f"{_clock(start)}-{_clock(end)} ends before it starts. "
                "For hours past midnight, end this day at 24:00 and continue the next day."
            )
        ranges.append((start, end))
    ranges.sort()
    for (a_start, a_end), (b_start, b_end) in pairwise(ranges):
        if b_start < a_end:
            raise ValidationError(
                f"{_clock(a_start)}-{_clock(a_end)} and {_clock(b_start)}-{_clock(b_end)} overlap."
            )
    return [[_clock(start), _clock(end)] for start, end in ranges]


def hours_format(ranges: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in ranges)
