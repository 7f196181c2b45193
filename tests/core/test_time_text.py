"""Times as a candidate reads them: their locale's clock, their zone, names people know."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hireslot.core.time_text import (
    day_text,
    gmt_offset_text,
    hour_cycle_of,
    time_range_text,
    when_text,
    zone_label,
    zone_name,
)

START = datetime(2026, 12, 8, 14, 30, tzinfo=UTC)
END = datetime(2026, 12, 8, 15, 15, tzinfo=UTC)


def test_a_us_reader_sees_a_12_hour_clock_and_a_british_reader_a_24_hour_one() -> None:
    us = time_range_text(START, END, zone="America/New_York", locale="en_US")
    assert us.replace("\u2009", " ").replace("\u202f", " ") == "9:30 – 10:15 AM"
    assert time_range_text(START, END, zone="Europe/London", locale="en_GB") == "14:30–15:15"
    assert hour_cycle_of("en_US") == "h12"
    assert hour_cycle_of("de_DE") == "h23"


def test_the_reader_can_override_the_locale_clock() -> None:
    text = time_range_text(START, END, zone="Europe/Berlin", locale="en_US", hour_cycle="h23")
    assert text.replace("\u2009", "") == "15:30–16:15"


def test_when_text_gives_day_times_and_zone_name_in_the_readers_language() -> None:
    english = when_text(START, END, zone="Europe/Berlin", locale="en_US")
    assert english.startswith("Tuesday, December 8, 2026, 3:30")
    assert english.endswith("(Central European Time)")
    german = when_text(START, END, zone="Europe/Berlin", locale="de_DE")
    assert german.startswith("Dienstag, 8. Dezember 2026, 15:30")
    assert "Mitteleuropäische Zeit" in german


def test_an_interview_across_midnight_names_both_days() -> None:
    late = datetime(2026, 12, 8, 22, 30, tzinfo=UTC)
    text = when_text(late, late.replace(hour=23, minute=30), zone="Europe/Berlin", locale="en_US")
    assert "December 8" in text
    assert "December 9" in text


def test_zone_labels_are_what_people_call_them_with_the_offset_of_the_day() -> None:
    winter = datetime(2026, 1, 15, tzinfo=UTC)
    summer = datetime(2026, 7, 15, tzinfo=UTC)
    assert zone_label("Europe/Berlin", at=winter, locale="en_US") == (
        "Central European Time — Berlin (GMT+1)"
    )
    assert zone_label("Europe/Berlin", at=summer, locale="en_US").endswith("(GMT+2)")
    assert zone_label("Asia/Kolkata", at=winter, locale="en_US").endswith("(GMT+5:30)")
    assert gmt_offset_text("America/Los_Angeles", at=winter, locale="en_US") == "GMT\u22128"
    assert zone_name("UTC", locale="en_US") == "Coordinated Universal Time"
    assert "_" not in zone_label("America/Los_Angeles", at=winter, locale="en_US")


@pytest.mark.parametrize("locale", ["en_US", "es_ES", "fr_FR", "de_DE", "pt_BR", "ja_JP", "ar_EG"])
def test_every_candidate_locale_formats_without_raw_zone_ids(locale: str) -> None:
    text = when_text(START, END, zone="America/Argentina/Buenos_Aires", locale=locale)
    assert "America/" not in text
    assert "_" not in text
    assert day_text(START.date(), locale=locale)
