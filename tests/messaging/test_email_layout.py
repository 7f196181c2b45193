"""The HTML around candidate emails: text stays as written (escaped), web addresses become
links, nothing else does."""

from __future__ import annotations

from hireslot.accounts.branding import Brand
from hireslot.messaging.email_layout import EmailButton, email_html, linkify, text_html

BRAND = Brand(
    name="Acme & Sons", accent="#0f766e", accent_text="#ffffff", logo_path="", logo_url=""
)


def test_addresses_become_links_without_the_sentence_punctuation_after_them() -> None:
    html = linkify("See https://example.com/a?b=1&c=2. Or (http://x.example/y).", color="#000")

    assert '<a href="https://example.com/a?b=1&amp;c=2"' in html
    assert ">https://example.com/a?b=1&amp;c=2</a>. Or (" in html
    assert ">http://x.example/y</a>)." in html


def test_only_web_addresses_are_linked_and_markup_stays_text() -> None:
    html = linkify('javascript:alert(1) <img src=x onerror=alert(1)> "hi"', color="#000")

    assert "<a" not in html
    assert "&lt;img src=x onerror=alert(1)&gt; &quot;hi&quot;" in html


def test_a_quote_cannot_break_out_of_a_link() -> None:
    html = linkify('https://example.com/"onmouseover="alert(1)', color="#000")

    assert 'onmouseover="' not in html


def test_paragraphs_and_line_breaks_are_kept() -> None:
    html = text_html("One\ntwo\n\n\nThree", brand=BRAND)

    assert html.count("<p ") == 2
    assert "One<br>two" in html


def test_the_layout_is_one_document_with_inline_styles_and_a_named_header() -> None:
    html = email_html(
        brand=BRAND,
        language="fr",
        title="Votre entretien",
        blocks=[text_html("Bonjour", brand=BRAND)],
        button=EmailButton("Choisir", "https://hireslot.example/s/abc"),
        button_note="Or open:",
        footer="Footer & co",
    )

    assert html.startswith("<!doctype html>")
    assert 'lang="fr" dir="ltr"' in html
    assert ">Acme &amp; Sons</span>" in html
    assert "background: #0f766e; color: #ffffff;" in html
    assert ">Choisir</a>" in html and "Or open:<br>" in html
    assert "Footer &amp; co" in html
    assert "<style" not in html and "class=" not in html
