"""An organization's brand as candidates see it: its name, logo and accent colour, and the
text colour that stays readable on that accent.

The accent is a button's background on the candidate's page and in emails, so it must carry
text at WCAG AA contrast (4.5:1 for normal text). Of white and HireSlot's dark text, the one
with more contrast is used on it; an accent on which neither reaches 4.5:1 (mid-tones such
as #777777) is refused when it is set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse

from hireslot.accounts.models import Organization

WHITE = "#ffffff"
DARK_TEXT = "#111827"
MINIMUM_CONTRAST = 4.5
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def color_normalize(value: str) -> str:
    """``#2563EB`` → ``#2563eb``; "" for anything that is not a six-digit hex colour."""
    cleaned = (value or "").strip()
    if cleaned and not cleaned.startswith("#"):
        cleaned = f"#{cleaned}"
    return cleaned.lower() if _HEX.match(cleaned) else ""


def _channel(value: int) -> float:
    # sRGB to linear light, as WCAG 2 defines relative luminance.
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    hex_digits = color_normalize(color)
    if not hex_digits:
        raise ValueError(f"Not a colour like #2563eb: {color!r}")
    r, g, b = (int(hex_digits[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio, 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def accent_text_color(accent: str) -> str:
    """The text colour to write on ``accent``: white or dark, whichever contrasts more."""
    if contrast_ratio(accent, WHITE) >= contrast_ratio(accent, DARK_TEXT):
        return WHITE
    return DARK_TEXT


def accent_problem(accent: str) -> str | None:
    """Why ``accent`` cannot be a button colour, or None when it can."""
    if not color_normalize(accent):
        return "Use a colour like #2563eb: a # and six hexadecimal digits."
    on_white = contrast_ratio(accent, WHITE)
    on_dark = contrast_ratio(accent, DARK_TEXT)
    if max(on_white, on_dark) < MINIMUM_CONTRAST:
        return (
            f"{color_normalize(accent)} is too hard to read text on: white text reaches "
            f"{_shown(on_white)}:1 and dark text {_shown(on_dark)}:1, and buttons need "
            f"{MINIMUM_CONTRAST:g}:1. Choose a darker or a lighter shade."
        )
    return None


def _shown(ratio: float) -> str:
    # Rounded down: 4.497 must not read as the "4.50" it fails to reach.
    return f"{math.floor(ratio * 100) / 100:.2f}"


@dataclass(frozen=True)
class Brand:
    name: str
    accent: str
    accent_text: str
    logo_path: str  # "" without a logo; on this site
    logo_url: str  # absolute, for emails

    @property
    def accent_contrast(self) -> float:
        return contrast_ratio(self.accent, self.accent_text)


def brand_of(organization: Organization) -> Brand:
    accent = color_normalize(organization.accent_color) or "#2563eb"
    path = reverse("web:organization-logo", args=[organization.slug]) if organization.logo else ""
    return Brand(
        name=organization.name,
        accent=accent,
        accent_text=accent_text_color(accent),
        logo_path=path,
        logo_url=f"{settings.HIRESLOT_BASE_URL}{path}" if path else "",
    )
