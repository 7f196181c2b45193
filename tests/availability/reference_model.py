"""A slow, obviously correct model of the availability contract, minute by minute.

Written from the contract text alone (shares no code with ``hireslot.availability``) and
used to cross-check the engine on generated documents. It expects a *valid* document whose
instants are whole minutes, and it only looks at minutes that can matter: ``[start, end +
duration)``.

Rule 3's free windows are built the way rule 3 describes them (working minutes, minus capped
local days, minus busy time widened by the buffers); rule 2 is checked literally, per slot, for
``any`` mode and for every session of a loop. Finding the two formulations agree is part of
the point.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None
    return moment.astimezone(UTC)


def _minute(moment: datetime) -> int:
    """Minutes since the epoch; the model only accepts whole-minute instants."""
    seconds = int(moment.timestamp())
    assert seconds % 60 == 0, moment
    return seconds // 60


def _wall_to_minute(day: date, hhmm: str, zone: ZoneInfo) -> int:
    """``hhmm`` on local ``day`` as a UTC minute; 24:00 is the next day's midnight.

    ``datetime(..., tzinfo=zone)`` has ``fold=0``: in a gap Python uses the offset from before
    the gap, in a fold the first occurrence — which is what RFC 5545 and the contract say.
    """
    if hhmm == "24:00":
        local = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=zone)
    else:
        hours, minutes = (int(part) for part in hhmm.split(":"))
        local = datetime.combine(day, time(hours, minutes), tzinfo=zone)
    return _minute(local)


def _local_date(minute: int, zone: ZoneInfo) -> date:
    return datetime.fromtimestamp(minute * 60, tz=zone).date()


class _Person:
    """One interviewer's per-minute status over the model's range ``[low, high)``."""

    def __init__(self, raw: dict[str, Any], low: int, high: int) -> None:
        self.id: str = raw["id"]
        self.zone = ZoneInfo(raw["tz"])
        self.low = low
        self.high = high
        size = high - low
        self.before = raw.get("buffer_before") or 0
        self.after = raw.get("buffer_after") or 0
        self.events = [
            (_minute(_instant(a)), _minute(_instant(b)))
            for a, b in (raw.get("busy") or []) + (raw.get("interviews") or [])
        ]

        # Rule 1: working minutes, day by day over every local date near the range.
        self.working = [False] * size
        weekly = raw.get("weekly") or {}
        overrides = {date.fromisoformat(k): v for k, v in (raw.get("overrides") or {}).items()}
        first = _local_date(low, self.zone) - timedelta(days=2)
        last = _local_date(high, self.zone) + timedelta(days=2)
        day = first
        while day <= last:
            hours = overrides.get(day, weekly.get(WEEKDAY_KEYS[day.weekday()], []))
            for start_text, end_text in hours:
                a = _wall_to_minute(day, start_text, self.zone)
                b = _wall_to_minute(day, end_text, self.zone)
                for minute in range(max(a, low), min(b, high)):
                    self.working[minute - low] = True
            day += timedelta(days=1)

        # Local dates with max_per_day or more interviews starting on them, and local weeks
        # (named by their Monday) with max_per_week or more.
        self.capped_dates: set[date] = set()
        self.capped_weeks: set[date] = set()
        cap = raw.get("max_per_day")
        weekly_cap = raw.get("max_per_week")
        starts = [_instant(a).astimezone(self.zone).date() for a, _ in raw.get("interviews") or []]
        if cap is not None:
            counts: dict[date, int] = {}
            for when in starts:
                counts[when] = counts.get(when, 0) + 1
            self.capped_dates = {d for d, n in counts.items() if n >= cap}
        if weekly_cap is not None:
            weeks: dict[date, int] = {}
            for when in starts:
                monday = when - timedelta(days=when.weekday())
                weeks[monday] = weeks.get(monday, 0) + 1
            self.capped_weeks = {d for d, n in weeks.items() if n >= weekly_cap}
        self.capped_all = cap == 0 or weekly_cap == 0
        self.capped = [False] * size
        if self.capped_all:
            self.capped = [True] * size
        elif self.capped_dates or self.capped_weeks:
            for index in range(size):
                day = _local_date(low + index, self.zone)
                monday = day - timedelta(days=day.weekday())
                if day in self.capped_dates or monday in self.capped_weeks:
                    self.capped[index] = True

        # Rule 3: busy and interviews widened to [x - after, y + before).
        self.blocked = [False] * size
        for a, b in self.events:
            if a == b:
                continue  # rule 2: nothing overlaps an empty interval
            for minute in range(max(a - self.after, low), min(b + self.before, high)):
                self.blocked[minute - low] = True

        self.free = [
            w and not c and not b
            for w, c, b in zip(self.working, self.capped, self.blocked, strict=True)
        ]

    def free_by_rule_2(self, start: int, duration: int) -> bool:
        """Rule 2, read literally, for the slot [start, start + duration) in minutes."""
        minutes = range(start - self.low, start - self.low + duration)
        if not all(self.working[i] for i in minutes):
            return False
        for a, b in self.events:
            if a < b and start - self.before < b and a < start + duration + self.after:
                return False
        return not any(self.capped[i] for i in minutes)


def _runs(flags: list[bool]) -> list[tuple[int, int]]:
    runs = []
    index = 0
    while index < len(flags):
        if flags[index]:
            begin = index
            while index < len(flags) and flags[index]:
                index += 1
            runs.append((begin, index))
        else:
            index += 1
    return runs


def _format(minute: int) -> str:
    return datetime.fromtimestamp(minute * 60, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _aligned_starts(
    flags: list[bool],
    low: int,
    end: int,
    duration: int,
    interval: int,
    earliest: int,
    grid: ZoneInfo,
) -> list[int]:
    """Rule 3: in each maximal run of ``flags`` (minute ``i`` is ``low + i``), the starts
    ``a', a' + interval, …`` with ``s + duration <= b`` and ``s < end``."""
    step = math.gcd(interval, 60)
    starts = []
    for begin, finish in _runs(flags):
        a, b = low + begin, low + finish
        # Minute by minute until the grid zone's wall clock reads a multiple of g.
        t = max(a, earliest)
        while True:
            wall = datetime.fromtimestamp(t * 60, tz=grid)
            if (wall.hour * 60 + wall.minute) % step == 0:
                break
            t += 1
        s = t
        while s + duration <= b and s < end:
            starts.append(s)
            s += interval
    return starts


def reference_slots(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The contract's output ``slots`` for a valid whole-minute document."""
    if document.get("sessions") is not None:
        return reference_loops(document)
    now = _instant(document["now"])
    start = _minute(_instant(document["start"]))
    end = _minute(_instant(document["end"]))
    duration = document["duration"]
    interval = document.get("interval") or duration
    notice = document.get("min_notice") or 0
    mode = document.get("mode") or "all"
    people_raw = document["interviewers"]
    grid = ZoneInfo(document.get("grid_tz") or people_raw[0]["tz"])
    low, high = start, end + duration
    if high <= low:
        return []
    people = [_Person(raw, low, high) for raw in people_raw]
    if mode == "all":
        combined = [all(p.free[i] for p in people) for i in range(high - low)]
    else:
        combined = [any(p.free[i] for p in people) for i in range(high - low)]
    earliest = max(math.ceil((now.timestamp() + notice * 60) / 60), start)
    slots = []
    for s in _aligned_starts(combined, low, end, duration, interval, earliest, grid):
        if mode == "all":
            names = [p.id for p in people]
        else:
            names = [p.id for p in people if p.free_by_rule_2(s, duration)]
        if names:
            slots.append({"start": _format(s), "end": _format(s + duration), "interviewers": names})
    return slots


def _session_people(
    session: dict[str, Any], people: dict[str, _Person], s: int
) -> list[Any] | None:
    """The session's ``interviewers`` as the output reports them for the session placed at
    minute ``s``, or None if the session is not free there (rule 2, literally, per person)."""
    duration = session["duration"]
    elements = session["interviewers"]
    if session.get("mode") == "any":
        free = [name for name in elements if people[name].free_by_rule_2(s, duration)]
        return free or None
    out: list[Any] = []
    for element in elements:
        if isinstance(element, str):
            if not people[element].free_by_rule_2(s, duration):
                return None
            out.append(element)
        else:
            free = [name for name in element if people[name].free_by_rule_2(s, duration)]
            if not free:
                return None
            out.append(free)
    return out


def reference_loops(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The contract's output ``slots`` for a valid whole-minute document with ``sessions``."""
    now = _instant(document["now"])
    start = _minute(_instant(document["start"]))
    end = _minute(_instant(document["end"]))
    interval = document["interval"]
    notice = document.get("min_notice") or 0
    sessions = document["sessions"]
    people_raw = document["interviewers"]
    grid = ZoneInfo(document.get("grid_tz") or people_raw[0]["tz"])
    offsets = []
    elapsed = 0
    for session in sessions:
        offsets.append(elapsed)
        elapsed += session["duration"] + (session.get("gap_after") or 0)
    length = offsets[-1] + sessions[-1]["duration"]
    low, high = start, end + length
    if end <= start:
        return []
    people = {raw["id"]: _Person(raw, low, high) for raw in people_raw}
    # Rule 2 of the loop semantics: the first session's free windows, minute by minute.
    first = sessions[0]
    if first.get("mode") == "any":
        combined = [
            any(people[name].free[i] for name in first["interviewers"]) for i in range(high - low)
        ]
    else:
        combined = [
            all(
                people[e].free[i] if isinstance(e, str) else any(people[m].free[i] for m in e)
                for e in first["interviewers"]
            )
            for i in range(high - low)
        ]
    earliest = max(math.ceil((now.timestamp() + notice * 60) / 60), start)
    slots = []
    starts = _aligned_starts(combined, low, end, first["duration"], interval, earliest, grid)
    for s in starts:
        parts = []
        for session, offset in zip(sessions, offsets, strict=True):
            chosen = _session_people(session, people, s + offset)
            if chosen is None:
                break
            at = s + offset
            parts.append(
                {
                    "id": session["id"],
                    "start": _format(at),
                    "end": _format(at + session["duration"]),
                    "interviewers": chosen,
                }
            )
        else:
            slots.append({"start": _format(s), "end": _format(s + length), "sessions": parts})
    return slots
