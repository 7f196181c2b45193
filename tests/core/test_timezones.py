"""The zones a candidate can choose: canonical names, aliases mapped to them."""

from __future__ import annotations

from hireslot.core.timezones import zone_abbreviations, zone_canonical, zone_countries


def test_the_chooser_lists_places_people_live_not_aliases() -> None:
    zones = zone_countries()
    assert zones["Europe/Berlin"] == "DE"
    assert zones["Asia/Kolkata"] == "IN"
    for alias in ("CET", "Cuba", "EST5EDT", "US/Eastern", "Asia/Calcutta"):
        assert alias not in zones


def test_aliases_and_retired_names_map_to_todays_zone() -> None:
    assert zone_canonical("Asia/Calcutta") == "Asia/Kolkata"
    assert zone_canonical("Europe/Kiev") == "Europe/Kyiv"
    assert zone_canonical("US/Eastern") == "America/New_York"
    assert zone_canonical("Etc/UTC") == "UTC"
    assert zone_canonical("Mars/Olympus") == ""


def test_abbreviations_are_letters_only() -> None:
    assert zone_abbreviations("Europe/Berlin") == ["CET", "CEST"]
    assert zone_abbreviations("America/New_York") == ["EST", "EDT"]
    assert zone_abbreviations("Asia/Dubai") == []
