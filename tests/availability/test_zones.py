"""ZoneTable answers exactly what zoneinfo answers, without calling it per query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from hireslot.availability.instants import DAY, EPOCH
from hireslot.availability.zones import zone_table

from .generators import TRANSITIONS_2026, ZONES

YEAR_START = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
YEAR_END = int(datetime(2027, 1, 1, tzinfo=UTC).timestamp())


def _zoneinfo_offset(zone: ZoneInfo, instant: int) -> int:
    offset = (EPOCH + timedelta(seconds=instant)).astimezone(zone).utcoffset()
    assert offset is not None
    return int(offset.total_seconds())


def _zoneinfo_instant(zone: ZoneInfo, wall: int) -> int:
    """UTC instant of local wall seconds with fold=0 (RFC 5545's resolution)."""
    local = datetime(1970, 1, 1) + timedelta(seconds=wall)
    return int(local.replace(tzinfo=zone).timestamp())


def _probe_points() -> list[int]:
    coarse = list(range(YEAR_START, YEAR_END, 47 * 60))
    fine = [
        int(moment.timestamp()) + minutes * 60
        for moment in TRANSITIONS_2026
        for minutes in range(-150, 151, 5)
    ]
    return coarse + fine


PROBES = _probe_points()


@pytest.mark.parametrize("name", [*ZONES, "Europe/Berlin", "Africa/Cairo", "Asia/Gaza"])
def test_offsets_match_zoneinfo_through_2026(name: str) -> None:
    zone = ZoneInfo(name)
    table = zone_table(zone, YEAR_START - 3 * DAY, YEAR_END + 3 * DAY)
    mismatches = [t for t in PROBES if table.offset_at(t) != _zoneinfo_offset(zone, t)]
    assert mismatches == []


@pytest.mark.parametrize("name", [*ZONES, "Europe/Berlin", "Africa/Cairo", "Asia/Gaza"])
def test_wall_times_resolve_like_zoneinfo_fold_0(name: str) -> None:
    zone = ZoneInfo(name)
    table = zone_table(zone, YEAR_START - 3 * DAY, YEAR_END + 3 * DAY)
    # Wall-clock probes near every transition (so inside gaps and folds), plus a coarse sweep.
    walls = [t + _zoneinfo_offset(zone, t) + delta for t in PROBES[::7] for delta in (0, 1800)]
    mismatches = [w for w in walls if table.to_utc(w) != _zoneinfo_instant(zone, w)]
    assert mismatches == []


def test_transition_instants_are_found_to_the_second() -> None:
    table = zone_table(ZoneInfo("Australia/Lord_Howe"), YEAR_START, YEAR_END)
    assert [
        datetime.fromtimestamp(t, UTC).isoformat()
        for t in table.transitions
        if YEAR_START <= t < YEAR_END
    ] == [
        "2026-04-04T15:00:00+00:00",
        "2026-10-03T15:30:00+00:00",
    ]
    assert table.offsets[-1] == 11 * 3600


def test_historic_offset_with_seconds() -> None:
    # Liberia kept Monrovia Mean Time, -00:44:30, until 1972.
    zone = ZoneInfo("Africa/Monrovia")
    moment = int(datetime(1971, 6, 1, 12, tzinfo=UTC).timestamp())
    table = zone_table(zone, moment - 3 * DAY, moment + 3 * DAY)
    assert table.offset_at(moment) == -(44 * 60 + 30)
    assert table.local_day(moment) == moment // DAY
