"""Phone numbers as people type them become E.164, or a message saying what to fix."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from hireslot.messaging.text_messages.phone_numbers import (
    phone_number_display,
    phone_number_normalize,
)


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("+1 (415) 555-0123", "+14155550123"),
        ("+44 20 7946 0958", "+442079460958"),
        ("  +49 30 901820  ", "+4930901820"),
        ("+81 3-1234-5678", "+81312345678"),
    ],
)
def test_numbers_with_a_country_code_become_e164(typed: str, e164: str) -> None:
    assert phone_number_normalize(typed) == e164


def test_a_number_without_country_code_is_read_in_the_given_region() -> None:
    assert phone_number_normalize("(415) 555-0123", region="us") == "+14155550123"
    assert phone_number_normalize("020 7946 0958", region="GB") == "+442079460958"


def test_the_installations_default_region_applies_when_none_is_given(settings: Any) -> None:
    settings.HIRESLOT_PHONE_DEFAULT_REGION = "US"
    assert phone_number_normalize("415 555 0123") == "+14155550123"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "Enter a phone number"),
        ("415 555 0123", "country code"),
        ("call me maybe", "not a phone number"),
        ("+1 555", "does not exist"),
        ("+1 415 555 01234567", "does not exist"),
        ("+" + "1" * 50, "too long"),
    ],
)
def test_what_is_not_a_number_says_what_to_fix(settings: Any, typed: str, words: str) -> None:
    settings.HIRESLOT_PHONE_DEFAULT_REGION = ""
    with pytest.raises(ValidationError) as raised:
        phone_number_normalize(typed)
    assert words in raised.value.messages[0]


def test_numbers_are_shown_as_people_read_them() -> None:
    assert phone_number_display("+14155550123") == "+1 415-555-0123"
