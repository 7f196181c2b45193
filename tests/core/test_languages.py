"""Which language a candidate reads: their choice, the recruiter's setting, their browser."""

from __future__ import annotations

from hireslot.core.languages import (
    formatting_locale,
    is_right_to_left,
    language_choose,
    language_normalize,
)


def test_the_candidates_own_choice_wins_then_the_recruiters_then_the_browsers() -> None:
    assert language_choose(chosen="fr", preferred="de", accept_language="es") == "fr"
    assert language_choose(preferred="de", accept_language="es") == "de"
    assert language_choose(accept_language="xx-YY, pt-BR;q=0.9, en;q=0.5") == "pt-br"
    assert language_choose(accept_language="") == "en"


def test_unsupported_or_malformed_codes_fall_through_to_the_next_source() -> None:
    assert language_choose(chosen="klingon", accept_language="ja") == "ja"
    assert language_choose(chosen="x" * 500, accept_language="de") == "de"
    assert language_normalize("PT_br") == "pt-br"
    assert language_normalize("zz") == ""


def test_dates_use_the_browsers_region_when_it_asked_for_the_same_language() -> None:
    assert formatting_locale("en", accept_language="en-GB,en;q=0.8") == "en_GB"
    assert formatting_locale("en", accept_language="de-DE") == "en_US"
    assert formatting_locale("pt-br") == "pt_BR"
    assert formatting_locale("ja") == "ja_JP"


def test_arabic_reads_right_to_left() -> None:
    assert is_right_to_left("ar")
    assert not is_right_to_left("en")
