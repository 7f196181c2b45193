"""Calendar lists in the canonical UTC shape are read as text; the answers must not change.

The text reader only accepts what ``datetime.fromisoformat`` accepts for that shape and hands
everything else to the general reader, so errors name the same item with the same message.
"""

from __future__ import annotations

import copy
import gc
import json
import random
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from hireslot.availability import Intervals, InvalidDocument, parse_document, parse_text
from hireslot.availability.instants import utc_dates_valid, utc_texts_valid
from hireslot.availability.types import UtcTextIntervals

from .generators import random_document
from .helpers import api_slots

GOOD_PAIRS = [
    ["2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z"],
    ["2026-03-02T09:15:00Z", "2026-03-02T10:00:00Z"],
    ["2024-02-29T23:59:59Z", "2024-03-01T00:00:00Z"],
]


def _document(busy: Any, interviews: Any = None) -> dict[str, Any]:
    person: dict[str, Any] = {"id": "a", "tz": "UTC", "busy": busy}
    if interviews is not None:
        person["interviews"] = interviews
    return {
        "now": "2026-03-01T00:00:00Z",
        "start": "2026-03-02T00:00:00Z",
        "end": "2026-03-03T00:00:00Z",
        "duration": 30,
        "interviewers": [person],
    }


def _with_offsets(document: dict[str, Any]) -> dict[str, Any]:
    """The same document with every busy and interview instant written ``+00:00``."""
    changed = copy.deepcopy(document)
    for person in changed["interviewers"]:
        for key in ("busy", "interviews"):
            person[key] = [
                [a.replace("Z", "+00:00"), b.replace("Z", "+00:00")] for a, b in person[key]
            ]
    return changed


def test_canonical_lists_are_kept_as_text_and_read_like_intervals() -> None:
    busy = parse_document(_document(GOOD_PAIRS)).interviewers[0].busy
    assert isinstance(busy, UtcTextIntervals)
    expected = [(datetime.fromisoformat(a), datetime.fromisoformat(b)) for a, b in GOOD_PAIRS]
    assert list(busy) == expected
    assert len(busy) == 3
    assert busy == Intervals.of(expected)
    assert busy.starts[0].tzinfo is UTC
    assert busy.sorted_starts == sorted(a for a, _ in GOOD_PAIRS)


@pytest.mark.parametrize(
    "text", ["2026-03-02T14:00:00+00:00", "2026-03-02 14:00:00Z", "2026-03-02T14:00:00.5Z"]
)
def test_other_shapes_take_the_general_reader(text: str) -> None:
    busy = parse_document(_document([[text, "2026-03-02T15:00:00Z"]])).interviewers[0].busy
    assert isinstance(busy, Intervals)
    assert busy.starts == (datetime.fromisoformat(text),)


def test_pairs_that_are_not_lists_of_two() -> None:
    # A dict's two keys must not pass for a pair.
    keyed = [{"2026-03-02T14:00:00Z": 1, "2026-03-02T15:00:00Z": 2}]
    with pytest.raises(InvalidDocument, match=re.escape("busy[0]: expected a [start, end] pair")):
        parse_document(_document(keyed))
    # Three and one items make as many texts as two pairs.
    uneven = [[*GOOD_PAIRS[0], GOOD_PAIRS[1][0]], [GOOD_PAIRS[1][1]]]
    with pytest.raises(InvalidDocument, match=re.escape("busy[0]: expected a [start, end] pair")):
        parse_document(_document(uneven))


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-29T10:00:00Z",  # 2026 is not a leap year
        "2100-02-29T10:00:00Z",  # nor is 2100
        "2026-02-30T10:00:00Z",
        "2026-04-31T10:00:00Z",
        "2026-13-01T10:00:00Z",
        "2026-00-10T10:00:00Z",
        "2026-03-00T10:00:00Z",
        "2026-03-32T10:00:00Z",
        "0000-03-02T10:00:00Z",
        "2026-03-02T24:00:00Z",
        "2026-03-02T29:00:00Z",
        "2026-03-02T23:60:00Z",
        "2026-03-02T23:59:60Z",
        "2026-03-02T10:00:0aZ",
        "2026-03-02T10:00:00z",
        "2026-03-02T10:00:00Z ",
        "2026-03-02T10:00:\u0660\u0660Z",
    ],
)
@pytest.mark.parametrize("where", [(0, 0), (2, 1)])
def test_bad_instants_in_the_canonical_shape_are_named(text: str, where: tuple[int, int]) -> None:
    pairs = copy.deepcopy(GOOD_PAIRS)
    index, side = where
    pairs[index][side] = text
    with pytest.raises(InvalidDocument) as caught:
        parse_document(_document(pairs))
    assert caught.value.message.startswith(f"interviewers[0].busy[{index}][{side}]: ")


def test_leap_days_that_exist_are_accepted() -> None:
    pairs = [["2000-02-29T10:00:00Z", "2024-02-29T23:59:59Z"]]
    assert isinstance(parse_document(_document(pairs)).interviewers[0].busy, UtcTextIntervals)


def test_end_before_start_and_empty_intervals() -> None:
    backwards = [GOOD_PAIRS[0], ["2026-03-02T15:00:00Z", "2026-03-02T14:59:59Z"]]
    with pytest.raises(InvalidDocument, match=re.escape("busy[1]: end is before start")):
        parse_document(_document(backwards))
    empty = [*GOOD_PAIRS, ["2026-03-02T12:00:00Z", "2026-03-02T12:00:00Z"]]
    busy = parse_document(_document(empty)).interviewers[0].busy
    assert isinstance(busy, UtcTextIntervals)
    assert busy.has_empty
    assert "2026-03-02T12:00:00Z" not in busy.sorted_starts


@pytest.mark.parametrize("mode", ["all", "any"])
def test_text_and_datetime_readings_give_the_same_slots(mode: str) -> None:
    # Given seeded random documents whose calendars are canonical text, when the same
    # instants are written with +00:00 (read as datetimes) or only one list is, then the
    # slots are identical.
    for seed in range(300):
        document = random_document(random.Random(seed))
        document["mode"] = mode
        offsets = _with_offsets(document)
        expected = api_slots(offsets)
        assert api_slots(document) == expected, f"seed {seed}"
        mixed = copy.deepcopy(document)
        for person, changed in zip(mixed["interviewers"], offsets["interviewers"], strict=True):
            person["interviews"] = changed["interviews"]
        assert api_slots(mixed) == expected, f"seed {seed} (mixed)"


def test_many_interviews_merge_with_busy_time() -> None:
    # More interviews than the handful inserted one by one: the columns are sorted together.
    rng = random.Random(5)
    pairs = []
    for _ in range(200):
        minute = rng.randrange(24 * 60 - 30)
        start = datetime(2026, 3, 2, minute // 60, minute % 60, tzinfo=UTC)
        end = start.replace(minute=start.minute // 2)
        pairs.append([start.strftime("%Y-%m-%dT%H:%M:%SZ"), end.strftime("%Y-%m-%dT%H:%M:%SZ")])
    pairs = [[a, b] if a <= b else [b, a] for a, b in pairs]
    document = _document(pairs[:100], pairs[100:])
    document["interviewers"][0]["weekly"] = {"mon": [["00:00", "24:00"]]}
    document["interviewers"][0]["buffer_before"] = 5
    assert api_slots(document) == api_slots(_with_offsets(document))


def _canonical_shaped(rng: random.Random, year: int) -> str:
    """A text of the canonical shape whose fields are often, not always, in range."""

    def pick(low: int, high: int, wide: int) -> int:
        return rng.randrange(low, high + 1) if rng.random() < 0.85 else rng.randrange(wide)

    return (
        f"{year:04d}-{pick(1, 12, 100):02d}-{pick(1, 31, 100):02d}"
        f"T{pick(0, 23, 30):02d}:{pick(0, 59, 70):02d}:{pick(0, 59, 70):02d}Z"
    )


def _readable(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("years", [1, 3, 40])
def test_shape_and_date_checks_accept_exactly_what_fromisoformat_reads(years: int) -> None:
    # Given lists of canonical-shaped texts with random fields over one, three (the bisect
    # ranges per month) or forty years (one look-up per date), the two checks together
    # accept a list iff datetime.fromisoformat reads every text.
    rng = random.Random(years)
    for _ in range(400):
        first = rng.randrange(1990, 2150)
        texts = [
            _canonical_shaped(rng, first + rng.randrange(years))
            for _ in range(rng.choice((1, 2, 5, 30)))
        ]
        accepted = utc_texts_valid(texts) and utc_dates_valid(sorted(texts))
        assert accepted == all(map(_readable, texts)), texts


def test_parse_text_pauses_the_collector_only_while_reading() -> None:
    text = json.dumps(_document(GOOD_PAIRS))
    assert gc.isenabled()
    assert parse_text(text) == parse_document(_document(GOOD_PAIRS))
    assert gc.isenabled()
    with pytest.raises(json.JSONDecodeError):
        parse_text(text[:-1])
    assert gc.isenabled()
    with pytest.raises(InvalidDocument, match="duration"):
        parse_text(text.replace('"duration": 30', '"duration": 0'))
    assert gc.isenabled()
    gc.disable()
    try:
        parse_text(text)
        assert not gc.isenabled()  # a caller's pause (the CLI's) is left alone
    finally:
        gc.enable()
