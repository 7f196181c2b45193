"""The HTML part of every email HireSlot sends candidates: the organization's logo (its
name when images are off), the message, one clear button, a footer.

Written for email clients rather than browsers: inline styles only (clients drop <style>
blocks and CSS variables), no images needed to read or act (the button is a styled link
whose colours come from the organization's accent, with the text colour that keeps it
readable), and the button's address repeated as text for clients that show neither. The
plain-text part stays the caller's; this builds only the HTML beside it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from hireslot.accounts.branding import WHITE, Brand
from hireslot.core.languages import is_right_to_left

INK = "#111827"
MUTED = "#4b5563"  # 7.6:1 on white
FONT = "-apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"  # no quotes: attribute-safe
_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# Punctuation that ends a sentence rather than the address it follows.
_TRAILING = ".,;:!?)]}'\""


@dataclass(frozen=True)
class EmailButton:
    label: str
    url: str


def link_color(brand: Brand) -> str:
    """The accent when it reads on white (links sit on the white page), else dark ink."""
    return brand.accent if brand.accent_text == WHITE else INK


def _link(url: str, color: str) -> SafeString:
    return format_html(
        '<a href="{}" style="color: {}; text-decoration: underline; word-break: break-all;">{}</a>',
        url,
        color,
        url,
    )


def linkify(text: str, *, color: str) -> SafeString:
    """``text`` escaped, with every http(s) address made a link."""
    out: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        out.append(escape(text[position : match.start()]))
        out.append(_link(url, color))
        position = match.start() + len(url)
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece escaped above)


def paragraph(text: str, *, color: str = INK, muted: bool = False) -> SafeString:
    """One paragraph: escaped, addresses linked, single line breaks kept."""
    style = f"margin: 0 0 16px; color: {MUTED if muted else INK};"
    lines = [linkify(line, color=color) for line in text.split("\n")]
    return format_html('<p style="{}">{}</p>', style, mark_safe("<br>".join(lines)))  # noqa: S308


def text_html(text: str, *, brand: Brand) -> SafeString:
    """Text someone wrote (a recruiter's email), as written: paragraphs at blank lines,
    line breaks kept, everything escaped, addresses linked."""
    color = link_color(brand)
    paragraphs = [part.strip("\n") for part in re.split(r"\n\s*\n", text.strip())]
    return mark_safe(  # noqa: S308 (each paragraph escaped by paragraph())
        "".join(paragraph(part, color=color) for part in paragraphs if part.strip())
    )


def details_html(rows: Sequence[tuple[str, str]], *, brand: Brand) -> SafeString:
    """Label and value pairs ("When", "With", "Join"), one per line, addresses linked."""
    color = link_color(brand)
    items = [
        format_html(
            '<p style="margin: 0 0 8px; color: {};"><strong>{}</strong><br>{}</p>',
            INK,
            label,
            linkify(value, color=color),
        )
        for label, value in rows
        if value
    ]
    return format_html(
        '<div style="margin: 0 0 16px; padding: 12px 16px; background: #f9fafb; '
        'border: 1px solid #e5e7eb; border-radius: 6px;">{}</div>',
        mark_safe("".join(items)),  # noqa: S308 (built with format_html)
    )


def email_html(
    *,
    brand: Brand,
    language: str,
    title: str,
    blocks: Sequence[SafeString],
    button: EmailButton | None = None,
    button_note: str = "",
    footer: str = "",
) -> str:
    """The whole HTML document. ``blocks`` are already-safe HTML (from ``paragraph``,
    ``text_html``, ``details_html``); ``button_note`` precedes the button's address written
    out, for clients that show no button."""
    return render_to_string(
        "messaging/email/layout.html",
        {
            "brand": brand,
            "language": language,
            "direction": "rtl" if is_right_to_left(language) else "ltr",
            "title": title,
            "blocks": blocks,
            "button": button,
            "button_note": button_note,
            "footer": footer,
            "ink": INK,
            "muted": MUTED,
            "font": FONT,
            "link_color": link_color(brand),
        },
    )
