"""Seeded random availability documents that like to sit on 2026's DST transitions.

All instants are whole minutes (so the minute-by-minute reference model is exact), and every
document is valid.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

# Zones with interesting 2026 clocks: 1 h, 30 min (Lord Howe), 2 h (Troll) and 45-min-offset
# (Chatham) changes, a Ramadan back-and-forth (Casablanca, Feb 15 / Mar 22), midnight gaps and
# folds (Havana, Santiago, Beirut, Cairo), and fixed odd offsets (Kathmandu, Kolkata).
ZONES = (
    "America/New_York",
    "Europe/London",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "America/St_Johns",
    "Africa/Casablanca",
    "Asia/Kathmandu",
    "Asia/Kolkata",
    "America/Havana",
    "America/Santiago",
    "Asia/Beirut",
    "Antarctica/Troll",
    "UTC",
)

# UTC instants of the 2026 offset changes in those zones (found by scanning zoneinfo).
TRANSITIONS_2026 = tuple(
    datetime.fromisoformat(text)
    for text in (
        "2026-03-08T07:00:00+00:00",  # New York spring forward
        "2026-11-01T06:00:00+00:00",  # New York fall back
        "2026-03-29T01:00:00+00:00",  # London, Troll spring forward
        "2026-10-25T01:00:00+00:00",  # London, Troll fall back
        "2026-04-04T15:00:00+00:00",  # Lord Howe -30 min
        "2026-10-03T15:30:00+00:00",  # Lord Howe +30 min
        "2026-04-04T14:00:00+00:00",  # Chatham -1 h
        "2026-09-26T14:00:00+00:00",  # Chatham +1 h
        "2026-03-08T05:30:00+00:00",  # St John's
        "2026-11-01T04:30:00+00:00",
        "2026-02-15T02:00:00+00:00",  # Casablanca, Ramadan starts (back to +00)
        "2026-03-22T02:00:00+00:00",  # Casablanca, after Ramadan (+01)
        "2026-03-08T05:00:00+00:00",  # Havana, midnight becomes 01:00
        "2026-11-01T05:00:00+00:00",  # Havana, 01:00 back to 00:00
        "2026-04-05T03:00:00+00:00",  # Santiago, midnight back to 23:00
        "2026-09-06T04:00:00+00:00",  # Santiago, midnight becomes 01:00
        "2026-03-28T22:00:00+00:00",  # Beirut, midnight becomes 01:00
        "2026-10-24T21:00:00+00:00",  # Beirut, midnight back to 23:00
    )
)

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Wall times around where clocks change (00:00-04:00) are over-represented on purpose.
_TIMES = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 15, 30, 45)]
_TRICKY = ["00:00", "00:30", "01:00", "01:30", "02:00", "02:15", "02:30", "03:00", "03:45", "23:00"]


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _wall(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return rng.choice(_TRICKY)
    if roll < 0.45:
        return f"{rng.randrange(24):02d}:{rng.randrange(60):02d}"
    return rng.choice(_TIMES)


def _ranges(rng: random.Random) -> list[list[str]]:
    out = []
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        a, b = sorted((_wall(rng), _wall(rng)))
        if rng.random() < 0.25:
            b = "24:00"
        out.append([a, b])
    return out


def _anchor(rng: random.Random) -> datetime:
    if rng.random() < 0.75:
        base = rng.choice(TRANSITIONS_2026)
        return base + timedelta(minutes=rng.randrange(-36 * 60, 12 * 60))
    return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(365 * 1440))


def _events(rng: random.Random, low: datetime, high: datetime, count: int) -> list[list[str]]:
    span = int((high - low).total_seconds() // 60)
    events = []
    for _ in range(count):
        begin = low + timedelta(minutes=rng.randrange(max(span, 1)))
        length = rng.choice((0, 5, 15, 30, 30, 45, 60, 90, 180, 17))
        events.append([iso(begin), iso(begin + timedelta(minutes=length))])
    return events


def random_document(
    rng: random.Random, *, max_days: float = 3.0, weekly_caps: bool = False, people: int = 0
) -> dict[str, Any]:
    """A valid document whose horizon lasts at most ``max_days``.

    With ``weekly_caps``, interviewers may have ``max_per_week`` and more interviews spread
    over the weeks around the horizon (the plain documents stay exactly as they were, seed for
    seed). ``people`` fixes the number of interviewers.
    """
    anchor = _anchor(rng)
    start = anchor.replace(second=0, microsecond=0)
    end = start + timedelta(minutes=rng.randrange(30, int(max_days * 1440)))
    now = start + timedelta(minutes=rng.choice((-3000, -600, -60, 0, 45, 200, 900)))
    persons = []
    for index in range(people or rng.choice((1, 1, 2, 2, 3))):
        zone = rng.choice(ZONES)
        weekly = {day: _ranges(rng) for day in WEEKDAYS if rng.random() < 0.75}
        overrides = {}
        for _ in range(rng.choice((0, 0, 1, 2))):
            day = (start + timedelta(days=rng.uniform(-1, max_days))).date().isoformat()
            overrides[day] = [] if rng.random() < 0.3 else _ranges(rng)
        low, high = start - timedelta(hours=12), end + timedelta(hours=12)
        person: dict[str, Any] = {
            "id": f"p{index}",
            "tz": zone,
            "weekly": weekly,
            "overrides": overrides,
            "busy": _events(rng, low, high, rng.choice((0, 1, 3, 6, 10))),
            "interviews": _events(rng, low, high, rng.choice((0, 0, 1, 2, 4))),
            "buffer_before": rng.choice((0, 0, 5, 10, 15, 30)),
            "buffer_after": rng.choice((0, 0, 5, 10, 15, 30)),
            "max_per_day": rng.choice((None, None, 0, 1, 2)),
        }
        if weekly_caps:
            # Weeks run Monday to Monday in the person's zone; most 2026 clock changes fall on
            # a Sunday night, next to a week's edge.
            wide_low, wide_high = start - timedelta(days=8), end + timedelta(days=8)
            person["interviews"] += _events(rng, wide_low, wide_high, rng.choice((0, 2, 4, 8)))
            person["max_per_week"] = rng.choice((None, 0, 1, 2, 3, 4))
        persons.append(person)
    duration = rng.choice((15, 20, 25, 30, 45, 60, 90, 7))
    document: dict[str, Any] = {
        "now": iso(now),
        "start": iso(start),
        "end": iso(end),
        "duration": duration,
        "interviewers": persons,
    }
    if rng.random() < 0.7:
        document["interval"] = rng.choice((5, 7, 10, 15, 20, 25, 30, 40, 45, 50, 60, 90))
    if rng.random() < 0.6:
        document["min_notice"] = rng.choice((0, 17, 30, 120, 1440))
    if rng.random() < 0.5:
        document["grid_tz"] = rng.choice(ZONES)
    document["mode"] = rng.choice(("all", "any"))
    return document


def random_loop_document(rng: random.Random, *, max_days: float = 2.0) -> dict[str, Any]:
    """A valid document with ``sessions``: 1 to 4 sessions over 2 to 5 interviewers, with
    required people, seats, ``any`` sessions, gaps, and daily and weekly caps."""
    count = rng.choice((2, 3, 3, 4, 5))
    document = random_document(rng, max_days=max_days, weekly_caps=True, people=count)
    del document["duration"], document["mode"]
    # Shared working hours and milder caps, or loops would rarely fit.
    shared = {day: _ranges(rng) for day in WEEKDAYS if rng.random() < 0.9}
    for person in document["interviewers"]:
        if rng.random() < 0.7:
            person["weekly"] = shared
        if rng.random() < 0.6:
            person["max_per_day"] = None
            person["max_per_week"] = rng.choice((None, None, 1, 3, 5))
    document["interval"] = rng.choice((5, 10, 15, 20, 25, 30, 45, 60))
    ids = [person["id"] for person in document["interviewers"]]
    sessions = []
    for number in range(rng.choice((1, 1, 2, 2, 3, 4))):
        chosen = rng.sample(ids, rng.randint(1, len(ids)))
        session: dict[str, Any] = {
            "id": f"s{number}",
            "duration": rng.choice((15, 30, 45, 60, 7)),
        }
        if rng.random() < 0.2:
            session["mode"] = "any"
            session["interviewers"] = chosen
        else:
            if rng.random() < 0.5:
                session["mode"] = "all"
            elements: list[Any] = []
            while chosen:
                take = rng.choice((1, 1, 2, 3))
                group, chosen = chosen[:take], chosen[take:]
                elements.append(group if take > 1 or rng.random() < 0.2 else group[0])
            session["interviewers"] = elements
        if rng.random() < 0.6:
            session["gap_after"] = rng.choice((0, 5, 15, 45))
        sessions.append(session)
    document["sessions"] = sessions
    return document
