"""The languages candidates can read HireSlot in, and how one is chosen for a person.

Candidate-facing pages and emails are translated; the recruiter's workspace stays in English
(its strings are not marked), so no middleware switches the whole site: candidate views and
candidate emails activate the chosen language themselves (``translation.override``).

A language here is a Django language code (``pt-br``). Dates and times are formatted by Babel
in a *formatting locale*: the same language, with the region the person's browser asked for
when it is one of that language's (``en-GB`` reads "15:30", ``en-US`` "3:30 pm").
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

# Names in their own language: a person looking for theirs recognises it.
CANDIDATE_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("pt-br", "Português (Brasil)"),
    ("ja", "日本語"),
    ("ar", "العربية"),
)
DEFAULT_LANGUAGE = "en"
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur"})
# The region a bare language code is formatted for (the most common reader's).
_DEFAULT_REGION = {
    "en": "US",
    "pt": "BR",
    "es": "ES",
    "fr": "FR",
    "de": "DE",
    "ja": "JP",
    "ar": "EG",
}


def is_candidate_language(code: str) -> bool:
    return code in dict(CANDIDATE_LANGUAGES)


def language_normalize(code: str) -> str:
    """``pt_BR``/``PT-br`` → ``pt-br``; the supported variant, or "" when unsupported."""
    cleaned = (code or "").strip().replace("_", "-").lower()
    if not cleaned or len(cleaned) > 35:
        return ""
    try:
        variant = get_supported_language_variant(cleaned)
    except LookupError:
        return ""
    return variant if is_candidate_language(variant) else ""


def _accepted(accept_language: str) -> list[str]:
    parsed = parse_accept_lang_header(accept_language or "")
    return [code for code, _quality in parsed if code != "*"]


def language_choose(*, chosen: str = "", preferred: str = "", accept_language: str = "") -> str:
    """The language to use: what the person chose on the page, else what the recruiter set
    for them, else the browser's first supported language, else English."""
    for code in (chosen, preferred, *_accepted(accept_language)):
        language = language_normalize(code)
        if language:
            return language
    return DEFAULT_LANGUAGE


def is_right_to_left(language: str) -> bool:
    return language.split("-")[0] in RIGHT_TO_LEFT


def formatting_locale(language: str, *, accept_language: str = "") -> str:
    """A Babel locale name for dates and times in ``language``: the browser's own region
    when it asked for this language with one (``en-GB``), else the language's usual one."""
    base = language.split("-")[0]
    for code in _accepted(accept_language):
        parts = code.replace("_", "-").split("-")
        if parts[0].lower() == base and len(parts) > 1 and len(parts[1]) == 2:
            candidate = f"{base}_{parts[1].upper()}"
            if _is_babel_locale(candidate):
                return candidate
    if "-" in language and _is_babel_locale(f"{base}_{language.split('-')[1].upper()}"):
        return f"{base}_{language.split('-')[1].upper()}"
    usual = _DEFAULT_REGION.get(base, "")
    return f"{base}_{usual}" if usual and _is_babel_locale(f"{base}_{usual}") else base


@lru_cache(maxsize=256)
def _is_babel_locale(name: str) -> bool:
    try:
        Locale.parse(name)
    except (UnknownLocaleError, ValueError):
        return False
    return True
