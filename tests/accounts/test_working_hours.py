"""Working hours typed by a person become the engine's ranges, or a message they understand."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hireslot.accounts.working_hours import hours_format, hours_parse


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("", []),
        ("09:00-17:00", [["09:00", "17:00"]]),
        ("9:00 - 12:00, 13:00-17:30", [["09:00", "12:00"], ["13:00", "17:30"]]),
        ("13:00-17:00, 09:00-12:00", [["09:00", "12:00"], ["13:00", "17:00"]]),
        ("22:00 to 24:00", [["22:00", "24:00"]]),
        ("08:00\u201312:00", [["08:00", "12:00"]]),
        ("09:00-12:00, 12:00-13:00", [["09:00", "12:00"], ["12:00", "13:00"]]),
    ],
)
def test_typed_hours_become_ranges(typed: str, stored: list[list[str]]) -> None:
    assert hours_parse(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("17:00-09:00", "ends before it starts"),
        ("09:00-09:00", "ends before it starts"),
        ("09:00-12:00, 11:00-13:00", "overlap"),
        ("9am-5pm", "is not a time"),
        ("25:00-26:00", "is not a time"),
        ("09:00", "is not a range"),
        ("24:00-24:00", "24:00 can only end a range"),
        ("09:00-24:30", "is not a time"),
    ],
)
def test_bad_hours_are_explained(typed: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        hours_parse(typed)

    assert message in error.value.messages[0]


def test_format_is_the_inverse_of_parse() -> None:
    assert hours_parse(hours_format([["09:00", "12:00"], ["13:00", "24:00"]])) == [
        ["09:00", "12:00"],
        ["13:00", "24:00"],
    ]
