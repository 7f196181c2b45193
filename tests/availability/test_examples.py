"""The examples written in the contract, through the Python API and through the CLI."""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import api_slots, cli_document, single


def _london_monday(interval: int | None) -> dict[str, Any]:
    # 2026-03-02 is a Monday; London is on GMT (= UTC) then, so local times read as Z.
    return single(
        "Europe/London",
        start="2026-03-02T00:00:00Z",
        end="2026-03-03T00:00:00Z",
        duration=60,
        interval=interval,
        grid_tz="Europe/London",
        weekly={"mon": [["09:00", "17:00"]]},
        busy=[["2026-03-02T10:20:00Z", "2026-03-02T10:40:00Z"]],
    )


def _slots(starts: list[str], minutes: int) -> list[dict[str, Any]]:
    out = []
    for start in starts:
        hours, mins = int(start[11:13]), int(start[14:16]) + minutes
        end = f"{start[:11]}{hours + mins // 60:02d}:{mins % 60:02d}:00Z"
        out.append({"start": start, "end": end, "interviewers": ["alice"]})
    return out


EXAMPLE_1 = _slots(
    [f"2026-03-02T{h:02d}:00:00Z" for h in (9, 11, 12, 13, 14, 15, 16)],
    60,
)
EXAMPLE_2 = _slots(
    ["2026-03-02T09:00:00Z"]
    + [f"2026-03-02T{m // 60:02d}:{m % 60:02d}:00Z" for m in range(11 * 60, 16 * 60 + 1, 30)],
    60,
)
EXAMPLE_3 = [
    {"start": "2026-03-08T06:00:00Z", "end": "2026-03-08T07:00:00Z", "interviewers": ["alice"]},
    {"start": "2026-03-08T07:00:00Z", "end": "2026-03-08T08:00:00Z", "interviewers": ["alice"]},
]


def _new_york_spring_forward() -> dict[str, Any]:
    return single(
        "America/New_York",
        start="2026-03-08T00:00:00Z",
        end="2026-03-09T00:00:00Z",
        duration=60,
        weekly={"sun": [["01:00", "04:00"]]},
    )


CASES = [
    pytest.param(_london_monday(60), EXAMPLE_1, id="busy-10:20-10:40-interval-60"),
    pytest.param(_london_monday(None), EXAMPLE_1, id="interval-defaults-to-duration"),
    pytest.param(_london_monday(30), EXAMPLE_2, id="busy-10:20-10:40-interval-30"),
    pytest.param(_new_york_spring_forward(), EXAMPLE_3, id="new-york-spring-forward"),
]


@pytest.mark.parametrize(("document", "expected"), CASES)
def test_contract_example_through_the_api(document: dict[str, Any], expected: list[Any]) -> None:
    assert api_slots(document) == expected


@pytest.mark.parametrize(("document", "expected"), CASES)
def test_contract_example_through_the_cli(document: dict[str, Any], expected: list[Any]) -> None:
    status, output = cli_document(document)
    assert status == 0
    assert output == {"slots": expected}


def test_example_1_reads_as_the_contract_says_in_local_time() -> None:
    # Given the first example, when slots are listed, then 10:00 is missing: it overlaps the
    # 10:20-10:40 meeting, and the window after the meeting starts 10:40, rounded up to 11:00.
    starts = [slot["start"][11:16] for slot in api_slots(_london_monday(60))]
    assert starts == ["09:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]


def test_example_3_offers_01_00_est_and_03_00_edt() -> None:
    # 06:00Z is 01:00 EST; 07:00Z is 03:00 EDT (02:00-03:00 does not exist that night).
    assert [slot["start"] for slot in api_slots(_new_york_spring_forward())] == [
        "2026-03-08T06:00:00Z",
        "2026-03-08T07:00:00Z",
    ]


CONTRACT_INPUT = {
    "now": "2026-03-01T12:00:00Z",
    "start": "2026-03-02T00:00:00Z",
    "end": "2026-03-16T00:00:00Z",
    "duration": 45,
    "interval": 30,
    "min_notice": 120,
    "grid_tz": "America/New_York",
    "mode": "all",
    "interviewers": [
        {
            "id": "alice",
            "tz": "America/New_York",
            "weekly": {
                "mon": [["09:00", "12:00"], ["13:00", "17:00"]],
                "tue": [["09:00", "17:00"]],
            },
            "overrides": {"2026-03-03": [], "2026-03-04": [["10:00", "24:00"]]},
            "busy": [["2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z"]],
            "interviews": [["2026-03-05T15:00:00Z", "2026-03-05T16:00:00Z"]],
            "buffer_before": 10,
            "buffer_after": 15,
            "max_per_day": 3,
        }
    ],
}


def test_the_contract_input_starts_with_the_contract_output() -> None:
    # Monday 09:00-12:00 EST is 14:00Z-17:00Z; busy 14:00Z-15:00Z widened by the buffers is
    # 13:45Z-15:10Z, so the free window starts 15:10Z and the first :00/:30 start is 15:30Z.
    slots = api_slots(CONTRACT_INPUT)
    assert slots[0] == {
        "start": "2026-03-02T15:30:00Z",
        "end": "2026-03-02T16:15:00Z",
        "interviewers": ["alice"],
    }
    status, output = cli_document(CONTRACT_INPUT)
    assert status == 0
    assert output["slots"] == slots


def test_the_contract_input_honours_the_day_off_and_the_override() -> None:
    slots = api_slots(CONTRACT_INPUT)
    days = {slot["start"][:10] for slot in slots}
    # Tuesday 3 March is a day off; Wednesday 4 March works 10:00-24:00 EST (15:00Z-05:00Z).
    assert "2026-03-03" not in days
    wednesday = [
        s["start"] for s in slots if "2026-03-04T15:00:00Z" <= s["start"] < "2026-03-05T05:00:00Z"
    ]
    assert wednesday[0] == "2026-03-04T15:00:00Z"
    assert wednesday[-1] == "2026-03-05T04:00:00Z"  # ends 04:45Z, inside the window
