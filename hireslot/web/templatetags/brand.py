"""The organization's accent in the workspace's styles: the text colour that reads on it,
and the colour links on white use (the accent itself only when it reads on white)."""

from __future__ import annotations

from django import template

from hireslot.accounts.branding import DARK_TEXT, WHITE, accent_text_color, color_normalize

register = template.Library()


@register.filter
def on_accent(accent: str) -> str:
    return accent_text_color(color_normalize(accent) or "#2563eb")


@register.filter
def accent_link(accent: str) -> str:
    color = color_normalize(accent) or "#2563eb"
    return color if accent_text_color(color) == WHITE else DARK_TEXT
