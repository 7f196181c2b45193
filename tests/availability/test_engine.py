"""Rules 2 to 4: buffers, caps, panels and pools, notice, the grid and the horizon."""

from __future__ import annotations

from typing import Any

from .helpers import api_slots, api_starts, single

MONDAY: dict[str, Any] = {"start": "2026-03-02T00:00:00Z", "end": "2026-03-03T00:00:00Z"}


def _utc_person(**fields: Any) -> dict[str, Any]:
    return {"tz": "UTC", "weekly": {"mon": [["09:00", "17:00"]]}, **fields}


def _panel(*people: dict[str, Any], mode: str = "all", **fields: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "now": "2026-01-01T00:00:00Z",
        "duration": 60,
        "mode": mode,
        "interviewers": list(people),
        **MONDAY,
    }
    document.update(fields)
    return document


def test_buffers_keep_slots_away_from_busy_time() -> None:
    # Busy 12:00-13:00, 15 minutes before and 30 after every interview.
    document = single(
        "UTC",
        **MONDAY,
        duration=60,
        weekly={"mon": [["09:00", "17:00"]]},
        busy=[["2026-03-02T12:00:00Z", "2026-03-02T13:00:00Z"]],
        buffer_before=15,
        buffer_after=30,
    )
    # 10:00-11:00 + 30 min after = 11:30, clear of 12:00; 11:00 would need until 12:30.
    # After the meeting: 13:00 + 15 before = 13:15, rounded to the next whole hour 14:00.
    assert [s[11:16] for s in api_starts(document)] == ["09:00", "10:00", "14:00", "15:00", "16:00"]


def test_buffers_never_apply_against_working_hours() -> None:
    document = single(
        "UTC",
        **MONDAY,
        duration=60,
        weekly={"mon": [["09:00", "11:00"]]},
        buffer_before=30,
        buffer_after=30,
    )
    assert [s[11:16] for s in api_starts(document)] == ["09:00", "10:00"]


def test_an_empty_busy_interval_blocks_nothing_even_with_buffers() -> None:
    document = single(
        "UTC",
        **MONDAY,
        duration=60,
        weekly={"mon": [["09:00", "11:00"]]},
        busy=[["2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z"]],
        buffer_before=30,
        buffer_after=30,
    )
    assert [s[11:16] for s in api_starts(document)] == ["09:00", "10:00"]


def test_busy_touching_a_slot_does_not_block_it() -> None:
    document = single(
        "UTC",
        **MONDAY,
        duration=60,
        weekly={"mon": [["09:00", "12:00"]]},
        busy=[
            ["2026-03-02T08:00:00Z", "2026-03-02T09:00:00Z"],
            ["2026-03-02T11:00:00Z", "2026-03-02T11:30:00Z"],
        ],
    )
    assert [s[11:16] for s in api_starts(document)] == ["09:00", "10:00"]


def test_interviews_are_busy_and_fill_the_daily_cap() -> None:
    base: dict[str, Any] = {
        "weekly": {"mon": [["09:00", "17:00"]], "tue": [["09:00", "11:00"]]},
        "interviews": [
            ["2026-03-02T09:00:00Z", "2026-03-02T10:00:00Z"],
            ["2026-03-02T13:00:00Z", "2026-03-02T14:00:00Z"],
        ],
    }
    window: dict[str, Any] = {"start": "2026-03-02T00:00:00Z", "end": "2026-03-04T00:00:00Z"}
    uncapped = single("UTC", **window, duration=60, **base)
    assert [s[5:16] for s in api_starts(uncapped)] == [
        "03-02T10:00",
        "03-02T11:00",
        "03-02T12:00",
        "03-02T14:00",
        "03-02T15:00",
        "03-02T16:00",
        "03-03T09:00",
        "03-03T10:00",
    ]
    capped = single("UTC", **window, duration=60, max_per_day=2, **base)
    assert [s[5:16] for s in api_starts(capped)] == ["03-03T09:00", "03-03T10:00"]
    nobody = single("UTC", **window, duration=60, max_per_day=0, **base)
    assert api_starts(nobody) == []


def test_panel_needs_everyone_free_and_lists_them_all() -> None:
    alice = _utc_person(id="alice", busy=[["2026-03-02T10:00:00Z", "2026-03-02T11:00:00Z"]])
    bob = {"id": "bob", "tz": "Europe/Berlin", "weekly": {"mon": [["12:00", "20:00"]]}}
    # Bob works 11:00Z-19:00Z (Berlin is +01:00 in March); the overlap is 11:00Z-17:00Z.
    slots = api_slots(_panel(alice, bob))
    assert [s["start"][11:16] for s in slots] == [
        "11:00",
        "12:00",
        "13:00",
        "14:00",
        "15:00",
        "16:00",
    ]
    assert {tuple(s["interviewers"]) for s in slots} == {("alice", "bob")}


def test_pool_lists_whoever_is_free_in_input_order() -> None:
    zoe = _utc_person(id="zoe", weekly={"mon": [["09:00", "11:00"]]})
    adam = _utc_person(id="adam", weekly={"mon": [["10:00", "12:00"]]})
    slots = api_slots(_panel(zoe, adam, mode="any"))
    assert [(s["start"][11:16], s["interviewers"]) for s in slots] == [
        ("09:00", ["zoe"]),
        ("10:00", ["zoe", "adam"]),
        ("11:00", ["adam"]),
    ]


def test_pool_needs_one_person_free_for_the_whole_slot() -> None:
    # The union 09:00-10:00 is covered, but by two people in turn: no one can take 09:00-10:00.
    first = _utc_person(id="first", weekly={"mon": [["09:00", "09:30"]]})
    second = _utc_person(id="second", weekly={"mon": [["09:30", "10:00"]]})
    assert api_slots(_panel(first, second, mode="any")) == []


def test_pool_grid_restarts_per_union_window() -> None:
    # One person's free windows 09:00-10:00 and 10:20-12:00 (busy 10:00-10:20): the second
    # window starts 10:20, so with hourly alignment its first start is 11:00.
    person = _utc_person(
        id="p",
        weekly={"mon": [["09:00", "12:00"]]},
        busy=[["2026-03-02T10:00:00Z", "2026-03-02T10:20:00Z"]],
    )
    assert [s["start"][11:16] for s in api_slots(_panel(person, mode="any"))] == ["09:00", "11:00"]


def test_min_notice_and_the_horizon_bound_slot_starts() -> None:
    document = single(
        "UTC",
        start="2026-03-02T10:00:00Z",
        end="2026-03-02T13:30:00Z",
        now="2026-03-02T08:10:00Z",
        min_notice=120,
        duration=60,
        weekly={"mon": [["09:00", "17:00"]]},
    )
    # now + 2 h = 10:10 -> 11:00; starts must be before 13:30 but may end after it.
    assert [s[11:16] for s in api_starts(document)] == ["11:00", "12:00", "13:00"]


def test_start_of_horizon_does_not_re_anchor_the_grid() -> None:
    document = single(
        "UTC",
        start="2026-03-02T09:10:00Z",
        end="2026-03-02T12:00:00Z",
        duration=30,
        interval=40,
        weekly={"mon": [["09:00", "12:00"]]},
    )
    # g = gcd(40, 60) = 20: first start at a :00/:20/:40 at or after 09:10, then every 40 min.
    assert [s[11:16] for s in api_starts(document)] == ["09:20", "10:00", "10:40", "11:20"]


def test_grid_defaults_to_the_first_interviewers_zone() -> None:
    kathmandu = {"id": "k", "tz": "Asia/Kathmandu", "weekly": {"mon": [["00:00", "24:00"]]}}
    utc = {"id": "u", "tz": "UTC", "weekly": {"mon": [["09:00", "11:00"]]}}
    # 09:00Z is 14:45 in Kathmandu: the first :00 there is 15:00 = 09:15Z.
    assert [s["start"][11:16] for s in api_slots(_panel(kathmandu, utc))] == ["09:15"]
    assert [s["start"][11:16] for s in api_slots(_panel(utc, kathmandu))] == ["09:00", "10:00"]


def test_instants_with_offsets_and_fractions() -> None:
    document = single(
        "UTC",
        **MONDAY,
        duration=1,
        interval=1,
        weekly={"mon": [["10:00", "10:45"]]},
        # 10:20-10:40:00.5 UTC written with a New York offset; the end has half a second.
        busy=[["2026-03-02T05:20:00-05:00", "2026-03-02T05:40:00.500-05:00"]],
    )
    starts = [s[11:19] for s in api_starts(document)]
    assert starts[19:21] == ["10:19:00", "10:41:00"]
    assert len(starts) == 20 + 4


def test_now_with_seconds_rounds_up_to_the_minute() -> None:
    document = single(
        "UTC",
        start="2026-03-02T00:00:00Z",
        end="2026-03-02T12:00:00Z",
        now="2026-03-02T09:00:00.000001Z",
        duration=60,
        interval=1,
        weekly={"mon": [["09:00", "11:00"]]},
    )
    assert api_starts(document)[0] == "2026-03-02T09:01:00Z"


def test_historic_seconds_offset_on_the_grid() -> None:
    # Monrovia was -00:44:30 in 1971: 12:00:00Z reads 11:15:30; the next whole hour on that
    # wall, 12:00:00, is 12:44:30Z. Slot starts then carry seconds.
    document = single(
        "UTC",
        start="1971-06-01T00:00:00Z",
        end="1971-06-02T00:00:00Z",
        now="1971-01-01T00:00:00Z",
        duration=60,
        grid_tz="Africa/Monrovia",
        weekly={"tue": [["12:00", "15:00"]]},
    )
    assert api_starts(document) == ["1971-06-01T12:44:30Z", "1971-06-01T13:44:30Z"]


def test_empty_horizon_and_past_horizon() -> None:
    empty = single(
        "UTC",
        start="2026-03-02T10:00:00Z",
        end="2026-03-02T10:00:00Z",
        duration=60,
        weekly={"mon": [["09:00", "17:00"]]},
    )
    assert api_slots(empty) == []
    past = single(
        "UTC",
        **MONDAY,
        now="2026-03-05T00:00:00Z",
        duration=60,
        weekly={"mon": [["09:00", "17:00"]]},
    )
    assert api_slots(past) == []


def test_slots_are_sorted_unique_and_whole_duration() -> None:
    document = single(
        "UTC",
        start="2026-03-02T00:00:00Z",
        end="2026-03-09T00:00:00Z",
        duration=45,
        interval=20,
        weekly={d: [["08:00", "12:00"], ["11:00", "18:00"]] for d in ("mon", "wed")},
        busy=[["2026-03-04T10:00:00Z", "2026-03-04T10:05:00Z"]],
    )
    slots = api_slots(document)
    starts = [s["start"] for s in slots]
    assert starts == sorted(set(starts))
    assert all(s["end"] > s["start"] for s in slots)
