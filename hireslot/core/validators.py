"""Validators shared by models of several apps."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

# Zero-width (non-)joiners are format characters that names in Persian, Arabic and Indic
# scripts, and emoji, legitimately contain; every other format character (bidi overrides,
# invisible separators) only disguises text.
_ALLOWED_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


@deconstructible
class SingleLineTextValidator:
    """Refuses line breaks, NUL and other control or invisible format characters.

    For text that ends up in an email header (a sender's display name, a subject, names that
    merge fields put into subjects) or in a one-line display: a line break there would end the
    header, and an email that cannot be built would never be delivered.
    """

    message = "Use a single line of text: line breaks, tabs and control characters are not allowed."
    code = "control_characters"

    def __call__(self, value: object) -> None:
        text = str(value)
        for character in text:
            if (
                unicodedata.category(character) in _REFUSED_CATEGORIES
                and character not in _ALLOWED_FORMAT_CHARACTERS
            ):
                raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineTextValidator)

    def __hash__(self) -> int:
        return hash(type(self))


validate_single_line = SingleLineTextValidator()


def single_line(text: str) -> str:
    """``text`` with every run of whitespace, control and invisible format characters made
    one space: for header text assembled at send time (a subject rendered from a template),
    which no field validator has seen."""
    kept = [
        " "
        if (
            character.isspace()
            or (
                unicodedata.category(character) in _REFUSED_CATEGORIES
                and character not in _ALLOWED_FORMAT_CHARACTERS
            )
        )
        else character
        for character in text
    ]
    return " ".join("".join(kept).split())
