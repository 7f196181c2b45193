"""Slots on the 2026 clock-change days, with expectations worked out by hand.

Each case states the local reading of its UTC instants. Offsets and transition instants
(checked against zoneinfo once, by hand, while writing these):

- America/New_York: EST -05:00 / EDT -04:00; 2026-03-08 02:00 EST -> 03:00 EDT (07:00Z);
  2026-11-01 02:00 EDT -> 01:00 EST (06:00Z).
- Europe/London: GMT / BST +01:00; 2026-03-29 01:00 GMT -> 02:00 BST (01:00Z);
  2026-10-25 02:00 BST -> 01:00 GMT (01:00Z).
- Australia/Lord_Howe: +11:00 / +10:30; 2026-04-05 02:00 -> 01:30 (2026-04-04T15:00Z);
  2026-10-04 02:00 -> 02:30 (2026-10-03T15:30Z).
- Pacific/Chatham: +13:45 / +12:45; 2026-04-05 03:45 -> 02:45 (2026-04-04T14:00Z);
  2026-09-27 02:45 -> 03:45 (2026-09-26T14:00Z).
- America/St_Johns: -03:30 / -02:30; 2026-03-08 02:00 -> 03:00 (05:30Z);
  2026-11-01 02:00 -> 01:00 (04:30Z).
- Africa/Casablanca: +01:00, but +00:00 during Ramadan: 2026-02-15 03:00 -> 02:00 (02:00Z),
  2026-03-22 02:00 -> 03:00 (02:00Z).
- America/Havana: -05:00 / -04:00; 2026-03-08 00:00 -> 01:00 (05:00Z): midnight does not exist.
- Asia/Kathmandu +05:45 and Asia/Kolkata +05:30 all year.
"""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import api_slots, api_starts, single


def _z(day: str, *times: str) -> list[str]:
    return [f"{day}T{time}:00Z" for time in times]


CASES: list[Any] = [
    # --- America/New_York -------------------------------------------------------------------
    pytest.param(
        single(
            "America/New_York",
            start="2026-03-08T00:00:00Z",
            end="2026-03-09T00:00:00Z",
            duration=30,
            weekly={"sun": [["02:30", "05:00"]]},
        ),
        # 02:30 does not exist: it takes EST, the offset before the gap -> 07:30Z (= 03:30 EDT).
        # 05:00 EDT = 09:00Z.
        _z("2026-03-08", "07:30", "08:00", "08:30"),
        id="new-york-window-opening-inside-the-gap",
    ),
    pytest.param(
        single(
            "America/New_York",
            start="2026-03-08T00:00:00Z",
            end="2026-03-09T00:00:00Z",
            duration=30,
            weekly={"sun": [["01:30", "02:30"]]},
        ),
        # 01:30 EST = 06:30Z; 02:30 (gap, EST) = 07:30Z: one real hour, 01:30 EST and 03:00 EDT.
        _z("2026-03-08", "06:30", "07:00"),
        id="new-york-window-closing-inside-the-gap",
    ),
    pytest.param(
        single(
            "America/New_York",
            start="2026-03-08T00:00:00Z",
            end="2026-03-09T00:00:00Z",
            duration=15,
            weekly={"sun": [["02:30", "03:00"]]},
        ),
        # 02:30 (gap, EST) = 07:30Z but 03:00 EDT = 07:00Z: the range is empty.
        [],
        id="new-york-range-that-vanishes-in-the-gap",
    ),
    pytest.param(
        single(
            "America/New_York",
            start="2026-11-01T00:00:00Z",
            end="2026-11-02T00:00:00Z",
            duration=60,
            weekly={"sun": [["01:00", "02:00"]]},
        ),
        # 01:00 is ambiguous: first occurrence, EDT -> 05:00Z; 02:00 EST = 07:00Z. Two real
        # hours, both starting at 01:00 on the wall.
        _z("2026-11-01", "05:00", "06:00"),
        id="new-york-repeated-hour-counts-twice",
    ),
    pytest.param(
        single(
            "America/New_York",
            start="2026-11-01T00:00:00Z",
            end="2026-11-02T00:00:00Z",
            duration=30,
            weekly={"sun": [["01:30", "03:00"]]},
        ),
        # 01:30 EDT = 05:30Z; 03:00 EST = 08:00Z.
        _z("2026-11-01", "05:30", "06:00", "06:30", "07:00", "07:30"),
        id="new-york-window-spanning-the-repeated-hour",
    ),
    pytest.param(
        single(
            "America/New_York",
            start="2026-10-31T12:00:00Z",
            end="2026-11-01T12:00:00Z",
            duration=90,
            weekly={"sat": [["22:00", "24:00"]], "sun": [["00:00", "02:00"]]},
        ),
        # Sat 22:00 EDT = 02:00Z, 24:00 = Sun 00:00 EDT = 04:00Z; Sun 00:00 EDT = 04:00Z to
        # 02:00 EST = 07:00Z. Merged: 02:00Z-07:00Z, so 03:30Z (23:30 EDT Saturday) spans
        # midnight. Unmerged windows would have offered 02:00Z, 04:00Z and 05:30Z instead.
        _z("2026-11-01", "02:00", "03:30", "05:00"),
        id="new-york-windows-meeting-at-midnight-are-merged",
    ),
    # --- Europe/London ----------------------------------------------------------------------
    pytest.param(
        single(
            "Europe/London",
            start="2026-03-29T00:00:00Z",
            end="2026-03-30T00:00:00Z",
            duration=30,
            weekly={"sun": [["00:30", "03:00"]]},
        ),
        # 00:30 GMT = 00:30Z; 03:00 BST = 02:00Z: 00:30 GMT, 02:00 BST, 02:30 BST.
        _z("2026-03-29", "00:30", "01:00", "01:30"),
        id="london-spring-forward",
    ),
    pytest.param(
        single(
            "Europe/London",
            start="2026-03-29T00:00:00Z",
            end="2026-03-30T00:00:00Z",
            duration=15,
            weekly={"sun": [["01:15", "01:45"]]},
        ),
        # Both ends inside the gap take GMT: 01:15Z-01:45Z, which the wall shows as 02:15-02:45.
        _z("2026-03-29", "01:15", "01:30"),
        id="london-window-entirely-inside-the-gap",
    ),
    pytest.param(
        single(
            "Europe/London",
            start="2026-03-28T12:00:00Z",
            end="2026-03-29T12:00:00Z",
            duration=90,
            weekly={"sat": [["22:00", "24:00"]], "sun": [["00:00", "02:00"]]},
        ),
        # Sat 22:00 GMT = 22:00Z to Sun 00:00Z; Sun 00:00Z to 02:00 BST = 01:00Z. Merged
        # 22:00Z-01:00Z; g = 30.
        _z("2026-03-28", "22:00", "23:30"),
        id="london-midnight-crossing-on-the-short-night",
    ),
    pytest.param(
        single(
            "Europe/London",
            start="2026-10-24T00:00:00Z",
            end="2026-10-26T00:00:00Z",
            duration=60,
            overrides={"2026-10-25": [["01:00", "02:00"]]},
        ),
        # Override on the fall-back day: 01:00 first occurrence (BST) = 00:00Z; 02:00 GMT = 02:00Z.
        _z("2026-10-25", "00:00", "01:00"),
        id="london-override-on-the-repeated-hour",
    ),
    pytest.param(
        single(
            "Europe/London",
            now="2026-10-24T23:20:00Z",
            min_notice=90,
            start="2026-10-24T12:00:00Z",
            end="2026-10-26T00:00:00Z",
            duration=60,
            weekly={"sun": [["00:00", "06:00"]]},
        ),
        # Window 00:00 BST = 23:00Z (Sat) to 06:00 GMT = 06:00Z. now + 90 min = 00:50Z, which
        # reads 01:50 BST; the next :00 on the wall is 02:00 BST = 01:00Z — and at that very
        # instant clocks go back to 01:00 GMT, still a whole hour.
        _z("2026-10-25", "01:00", "02:00", "03:00", "04:00", "05:00"),
        id="london-notice-running-into-the-fall-back",
    ),
    # --- America/New_York notice across the gap ----------------------------------------------
    pytest.param(
        single(
            "America/New_York",
            now="2026-03-08T05:10:00Z",
            min_notice=60,
            start="2026-03-08T00:00:00Z",
            end="2026-03-09T00:00:00Z",
            duration=30,
            weekly={"sun": [["00:00", "06:00"]]},
        ),
        # Window 00:00 EST = 05:00Z to 06:00 EDT = 10:00Z; notice ends 06:10Z (01:10 EST);
        # next :00/:30 is 01:30 EST = 06:30Z.
        _z("2026-03-08", "06:30", "07:00", "07:30", "08:00", "08:30", "09:00", "09:30"),
        id="new-york-notice-before-the-gap",
    ),
    pytest.param(
        single(
            "America/New_York",
            now="2026-03-08T06:45:00Z",
            min_notice=10,
            start="2026-03-08T00:00:00Z",
            end="2026-03-09T00:00:00Z",
            duration=45,
            weekly={"sun": [["00:00", "06:00"]]},
        ),
        # Notice ends 06:55Z = 01:55 EST. g = gcd(45, 60) = 15: the next aligned wall time,
        # 02:00 EST, does not exist; at 07:00Z the wall reads 03:00 EDT, aligned.
        _z("2026-03-08", "07:00", "07:45", "08:30", "09:15"),
        id="new-york-notice-ending-just-before-the-gap",
    ),
    # --- Australia/Lord_Howe (30-minute change) ------------------------------------------------
    pytest.param(
        single(
            "Australia/Lord_Howe",
            start="2026-04-04T00:00:00Z",
            end="2026-04-06T00:00:00Z",
            duration=30,
            overrides={"2026-04-05": [["01:00", "03:00"]]},
        ),
        # 01:00 (+11) = 14:00Z; 03:00 (+10:30) = 16:30Z. Wall: 01:00, 01:30, 01:30 again,
        # 02:00, 02:30.
        _z("2026-04-04", "14:00", "14:30", "15:00", "15:30", "16:00"),
        id="lord-howe-repeated-half-hour",
    ),
    pytest.param(
        single(
            "Australia/Lord_Howe",
            start="2026-04-04T00:00:00Z",
            end="2026-04-06T00:00:00Z",
            duration=60,
            overrides={"2026-04-05": [["01:00", "03:00"]]},
        ),
        # Same window, hourly: only the first start is aligned; the next is one elapsed hour
        # later, 15:00Z, which the wall shows as 01:30.
        _z("2026-04-04", "14:00", "15:00"),
        id="lord-howe-steps-are-elapsed-time",
    ),
    pytest.param(
        single(
            "Australia/Lord_Howe",
            start="2026-10-03T00:00:00Z",
            end="2026-10-05T00:00:00Z",
            duration=60,
            weekly={"sun": [["02:00", "04:00"]]},
        ),
        # 02:00 does not exist (+10:30 before the gap) = 15:30Z, read as 02:30; 04:00 (+11) =
        # 17:00Z. The first whole hour on the wall is 03:00 = 16:00Z.
        _z("2026-10-03", "16:00"),
        id="lord-howe-gap-with-hourly-grid",
    ),
    pytest.param(
        single(
            "Australia/Lord_Howe",
            grid_tz="Asia/Kolkata",
            start="2026-10-03T00:00:00Z",
            end="2026-10-05T00:00:00Z",
            duration=60,
            weekly={"sun": [["02:00", "04:00"]]},
        ),
        # Same window on a Kolkata grid: 15:30Z is 21:00 IST, a whole hour there.
        _z("2026-10-03", "15:30"),
        id="lord-howe-gap-with-kolkata-grid",
    ),
    # --- Pacific/Chatham (+13:45 / +12:45) -------------------------------------------------------
    pytest.param(
        single(
            "Pacific/Chatham",
            start="2026-09-26T00:00:00Z",
            end="2026-09-28T00:00:00Z",
            duration=60,
            weekly={"sun": [["02:00", "05:00"]]},
        ),
        # 02:00 (+12:45) = 13:15Z; 05:00 (+13:45) = 15:15Z: 02:00, then 04:00 on the wall.
        _z("2026-09-26", "13:15", "14:15"),
        id="chatham-spring-forward",
    ),
    pytest.param(
        single(
            "Pacific/Chatham",
            start="2026-04-04T00:00:00Z",
            end="2026-04-06T00:00:00Z",
            duration=60,
            overrides={"2026-04-05": [["02:00", "04:00"]]},
        ),
        # 02:00 (+13:45) = 12:15Z; 04:00 (+12:45) = 15:15Z: 02:00, 03:00, 03:00 again.
        _z("2026-04-04", "12:15", "13:15", "14:15"),
        id="chatham-fall-back",
    ),
    # --- America/St_Johns (-03:30 / -02:30) -----------------------------------------------------
    pytest.param(
        single(
            "America/St_Johns",
            start="2026-03-08T00:00:00Z",
            end="2026-03-09T00:00:00Z",
            duration=60,
            weekly={"sun": [["01:00", "04:00"]]},
        ),
        # 01:00 NST = 04:30Z; 04:00 NDT = 06:30Z: 01:00 NST and 03:00 NDT.
        _z("2026-03-08", "04:30", "05:30"),
        id="st-johns-spring-forward",
    ),
    pytest.param(
        single(
            "America/St_Johns",
            grid_tz="America/New_York",
            start="2026-03-08T00:00:00Z",
            end="2026-03-09T00:00:00Z",
            duration=60,
            weekly={"sun": [["01:00", "04:00"]]},
        ),
        # Same window on a New York grid: 04:30Z is 23:30 EST; the first whole hour there is
        # 00:00 EST = 05:00Z; 06:00Z would end after 06:30Z.
        _z("2026-03-08", "05:00"),
        id="st-johns-on-a-new-york-grid",
    ),
    pytest.param(
        single(
            "America/St_Johns",
            start="2026-11-01T00:00:00Z",
            end="2026-11-02T00:00:00Z",
            duration=90,
            overrides={"2026-11-01": [["00:30", "02:30"]]},
        ),
        # 00:30 NDT = 03:00Z; 02:30 NST = 06:00Z (three real hours).
        _z("2026-11-01", "03:00", "04:30"),
        id="st-johns-fall-back-override",
    ),
    # --- Africa/Casablanca (Ramadan 2026) --------------------------------------------------------
    pytest.param(
        single(
            "Africa/Casablanca",
            start="2026-02-14T12:00:00Z",
            end="2026-02-16T00:00:00Z",
            duration=60,
            weekly={"sun": [["02:00", "04:00"]]},
        ),
        # 15 Feb: 03:00 (+01) -> 02:00 (+00) at 02:00Z. 02:00 first occurrence (+01) = 01:00Z;
        # 04:00 (+00) = 04:00Z.
        _z("2026-02-15", "01:00", "02:00", "03:00"),
        id="casablanca-ramadan-fall-back",
    ),
    pytest.param(
        single(
            "Africa/Casablanca",
            start="2026-03-21T12:00:00Z",
            end="2026-03-23T00:00:00Z",
            duration=60,
            weekly={"sun": [["01:00", "04:00"]]},
        ),
        # 22 Mar: 02:00 (+00) -> 03:00 (+01) at 02:00Z. 01:00 (+00) = 01:00Z; 04:00 (+01) = 03:00Z.
        _z("2026-03-22", "01:00", "02:00"),
        id="casablanca-after-ramadan-spring-forward",
    ),
    pytest.param(
        single(
            "Africa/Casablanca",
            start="2026-03-04T00:00:00Z",
            end="2026-03-26T00:00:00Z",
            duration=60,
            overrides={"2026-03-04": [["09:00", "10:00"]], "2026-03-25": [["09:00", "10:00"]]},
        ),
        # The same wall-clock hour: +00 during Ramadan (4 Mar), +01 after (25 Mar).
        ["2026-03-04T09:00:00Z", "2026-03-25T08:00:00Z"],
        id="casablanca-offset-during-and-after-ramadan",
    ),
    # --- America/Havana (midnight does not exist on 8 March) ------------------------------------
    pytest.param(
        single(
            "America/Havana",
            start="2026-03-07T12:00:00Z",
            end="2026-03-08T12:00:00Z",
            duration=60,
            weekly={"sat": [["22:00", "24:00"]], "sun": [["00:00", "02:00"]]},
        ),
        # Sat 22:00 CST = 03:00Z; 24:00 and Sun 00:00 do not exist: CST -> 05:00Z; 02:00 CDT =
        # 06:00Z. Merged 03:00Z-06:00Z.
        _z("2026-03-08", "03:00", "04:00", "05:00"),
        id="havana-midnight-gap",
    ),
    pytest.param(
        single(
            "America/Havana",
            start="2026-03-07T12:00:00Z",
            end="2026-03-08T12:00:00Z",
            duration=60,
            weekly={"sat": [["22:00", "24:00"]], "sun": [["00:00", "02:00"]]},
            interviews=[["2026-03-08T16:00:00Z", "2026-03-08T16:30:00Z"]],
            max_per_day=1,
        ),
        # Sunday 8 March has its one interview: the whole local day, from its (missing)
        # midnight = 05:00Z, is off; Saturday's two hours remain.
        _z("2026-03-08", "03:00", "04:00"),
        id="havana-capped-day-starting-in-the-gap",
    ),
    # --- Fixed odd offsets ---------------------------------------------------------------------
    pytest.param(
        single(
            "Asia/Kathmandu",
            start="2026-03-02T00:00:00Z",
            end="2026-03-03T00:00:00Z",
            duration=30,
            weekly={"mon": [["09:00", "11:00"]]},
        ),
        # 09:00-11:00 NPT (+05:45) = 03:15Z-05:15Z, on the Kathmandu grid.
        _z("2026-03-02", "03:15", "03:45", "04:15", "04:45"),
        id="kathmandu-own-grid",
    ),
    pytest.param(
        single(
            "Asia/Kathmandu",
            grid_tz="UTC",
            start="2026-03-02T00:00:00Z",
            end="2026-03-03T00:00:00Z",
            duration=30,
            weekly={"mon": [["09:00", "11:00"]]},
        ),
        # On a UTC grid the same window starts at :00/:30 UTC.
        _z("2026-03-02", "03:30", "04:00", "04:30"),
        id="kathmandu-on-a-utc-grid",
    ),
    pytest.param(
        single(
            "America/New_York",
            grid_tz="Asia/Kathmandu",
            start="2026-03-02T00:00:00Z",
            end="2026-03-03T00:00:00Z",
            duration=30,
            weekly={"mon": [["09:00", "11:00"]]},
        ),
        # 09:00-11:00 EST = 14:00Z-16:00Z. 14:00Z is 19:45 NPT; the first :00/:30 there is
        # 20:00 NPT = 14:15Z — 09:15 in New York.
        _z("2026-03-02", "14:15", "14:45", "15:15"),
        id="new-york-interviewer-on-a-kathmandu-grid",
    ),
    pytest.param(
        single(
            "Asia/Kolkata",
            start="2026-03-03T00:00:00Z",
            end="2026-03-04T00:00:00Z",
            duration=45,
            weekly={"tue": [["10:00", "12:00"]]},
        ),
        # 10:00-12:00 IST (+05:30) = 04:30Z-06:30Z; g = gcd(45, 60) = 15.
        _z("2026-03-03", "04:30", "05:15"),
        id="kolkata-45-minute-interviews",
    ),
    pytest.param(
        single(
            "Asia/Kolkata",
            grid_tz="America/New_York",
            start="2026-03-03T00:00:00Z",
            end="2026-03-04T00:00:00Z",
            duration=60,
            weekly={"tue": [["10:00", "12:00"]]},
        ),
        # 04:30Z is 23:30 EST; the next whole New York hour is 05:00Z.
        _z("2026-03-03", "05:00"),
        id="kolkata-on-a-new-york-grid",
    ),
]


@pytest.mark.parametrize(("document", "expected"), CASES)
def test_slot_starts_on_clock_change_days(document: dict[str, Any], expected: list[str]) -> None:
    assert api_starts(document) == expected


def test_capped_day_follows_the_short_local_day() -> None:
    # Given a New York interviewer working all day Sunday and Monday, with max_per_day 1 and
    # one interview on Sunday 8 March (a 23-hour day: 05:00Z to 04:00Z next day),
    document = single(
        "America/New_York",
        start="2026-03-08T00:00:00Z",
        end="2026-03-09T06:00:00Z",
        duration=60,
        weekly={"sun": [["00:00", "24:00"]], "mon": [["00:00", "24:00"]]},
        interviews=[["2026-03-08T15:00:00Z", "2026-03-08T16:00:00Z"]],
        max_per_day=1,
    )
    # then nothing is offered on Sunday and Monday opens at its local midnight, 04:00Z.
    assert api_starts(document) == ["2026-03-09T04:00:00Z", "2026-03-09T05:00:00Z"]


def test_slots_end_duration_after_they_start_even_across_a_change() -> None:
    slots = api_slots(
        single(
            "America/New_York",
            start="2026-11-01T00:00:00Z",
            end="2026-11-02T00:00:00Z",
            duration=90,
            weekly={"sun": [["00:00", "04:00"]]},
        )
    )
    # 00:00 EDT = 04:00Z to 04:00 EST = 09:00Z: five real hours on a four-hour wall.
    assert [(s["start"][11:16], s["end"][11:16]) for s in slots] == [
        ("04:00", "05:30"),
        ("05:30", "07:00"),
        ("07:00", "08:30"),
    ]
