"""The candidate languages' catalogues are complete, compiled and current.

Every language a candidate can choose (but English, the source) has a catalogue in
hireslot/locale; every string in it is translated and none is fuzzy; the committed .mo says
what the .po says; a translation keeps the placeholders of its source; and the catalogue holds
exactly the strings the code marks today (what ``make messages`` would extract). How to fix a
failure: docs/translations.md.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import to_locale
from django.utils.translation.template import templatize

from hireslot.core.languages import CANDIDATE_LANGUAGES, is_right_to_left

PACKAGE = Path(settings.BASE_DIR) / "hireslot"
LOCALE_DIR = PACKAGE / "locale"
# What `make messages` reads (makemessages' "django" domain): Python, and templates.
SOURCE_SUFFIXES = {".py", ".html", ".txt"}
SKIPPED_DIRECTORIES = {"locale", "static", "__pycache__", "migrations"}
# Django's own xgettext keywords (makemessages) on top of the standard ones.
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "gettext_noop": None,
    "gettext_lazy": None,
    "ngettext_lazy": (1, 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
LANGUAGES = [code for code, _name in CANDIDATE_LANGUAGES if code != settings.LANGUAGE_CODE]
# %(name)s and %s (Python formatting), {name} (str.format): what a translation must keep.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|%[sd]|\{\w*\}")

Key = tuple[str, str | None]  # (msgid, msgctxt); a plural's msgid is its singular


def catalogue_path(language: str, suffix: str = "po") -> Path:
    return LOCALE_DIR / to_locale(language) / "LC_MESSAGES" / f"django.{suffix}"


def catalogue(language: str) -> Catalog:
    with catalogue_path(language).open("rb") as source:
        return read_po(source, locale=to_locale(language), abort_invalid=True)


def messages_of(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def key_of(message: Message) -> Key:
    msgid = message.id[0] if isinstance(message.id, tuple | list) else message.id
    return (str(msgid), message.context)


def strings_of(message: Message) -> list[str]:
    if isinstance(message.string, tuple | list):
        return [str(form or "") for form in message.string]
    return [str(message.string or "")]


def ids_of(message: Message) -> list[str]:
    return [str(i) for i in message.id] if isinstance(message.id, tuple | list) else [message.id]


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def source_files() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE)
        if path.suffix in SOURCE_SUFFIXES and not SKIPPED_DIRECTORIES & set(relative.parts):
            yield path


def marked_strings(paths: Iterable[Path]) -> set[Key]:
    """The msgids ``makemessages`` would extract: Python as it is, templates through Django's
    own ``templatize`` (as makemessages does before xgettext), both read by Babel's Python
    extractor with Django's keywords."""
    found: set[Key] = set()
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".py":
            # templatize keeps the template's layout, which Python's tokenizer would read as
            # indentation; its string literals never span lines, so the indentation can go.
            text = "\n".join(
                line.lstrip() for line in templatize(text, origin=str(path)).splitlines()
            )
        for _line, message, _comments, context in extract(
            "python", io.BytesIO(text.encode()), keywords=KEYWORDS, options={"encoding": "utf-8"}
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.add((msgid, context))
    return found


def translated(catalog: Catalog) -> dict[Key, tuple[str, ...]]:
    return {
        key_of(message): tuple(strings_of(message))
        for message in messages_of(catalog)
        if all(strings_of(message))
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_candidate_language_has_a_compiled_catalogue(language: str) -> None:
    assert catalogue_path(language).is_file(), f"run `make messages` to create {language}'s"
    assert catalogue_path(language, "mo").is_file(), "run `make messages` to compile it"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language: str) -> None:
    catalog = catalogue(language)

    assert not catalog.fuzzy, "the header is marked fuzzy: msgfmt would drop its plural forms"
    untranslated = [key_of(m)[0] for m in messages_of(catalog) if not all(strings_of(m))]
    fuzzy = [key_of(m)[0] for m in messages_of(catalog) if m.fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated in {language}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language} (check, then remove the flag)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_says_what_the_po_says(language: str) -> None:
    """Both read as messages (msgfmt's bytes are not Babel's): what the .mo answers is every
    translated, non-fuzzy entry of the .po, and nothing else."""
    source = catalogue(language)
    expected = {
        key_of(message): tuple(strings_of(message))
        for message in messages_of(source)
        if all(strings_of(message)) and not message.fuzzy
    }
    with catalogue_path(language, "mo").open("rb") as committed:
        shipped = read_mo(committed)

    assert translated(shipped) == expected, "the .mo is stale: run `make messages`"
    assert shipped.plural_forms == source.plural_forms
    write_mo(io.BytesIO(), source)  # and Babel can compile it, for a machine without gettext


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language: str) -> None:
    wrong = []
    for message in messages_of(catalogue(language)):
        sources, forms = ids_of(message), [form for form in strings_of(message) if form]
        expected = set().union(*(placeholders(text) for text in sources))
        for form in forms:
            # Plural forms may drop the number ("one hour"), but never invent a placeholder.
            invented = placeholders(form) - expected
            missing = placeholders(sources[0]) - placeholders(form) if len(sources) == 1 else set()
            if invented or missing:
                wrong.append(f"{sources[0]!r} → {form!r}: missing {missing}, unknown {invented}")
        # The last plural form ("other") shows every placeholder of the plural.
        if len(sources) > 1 and forms and placeholders(sources[-1]) - placeholders(forms[-1]):
            wrong.append(f"{sources[-1]!r} → {forms[-1]!r}: placeholders missing")
    assert wrong == []


def test_the_catalogues_hold_exactly_what_the_code_marks() -> None:
    """What `make messages` would add (a string marked since) or drop (no longer marked)."""
    marked = marked_strings(source_files())
    for language in LANGUAGES:
        listed = {key_of(message) for message in messages_of(catalogue(language))}
        hint = f"{language}: run `make messages`"
        assert sorted(marked - listed, key=str) == [], f"marked, not in the catalogue of {hint}"
        assert sorted(listed - marked, key=str) == [], f"no longer marked, still in {hint}"


def test_the_extractor_reads_what_makemessages_reads(tmp_path: Path) -> None:
    """The check above sees Django's template tags and Python's marking functions."""
    template = tmp_path / "page.html"
    template.write_text(
        "{% load i18n %}{% translate 'Book' %}{% translate 'May' context 'month' %}"
        "{% blocktranslate trimmed with name=person %}\n  Meet {{ name }}\n{% endblocktranslate %}"
        "{% blocktranslate count n=minutes %}{{ n }} minute{% plural %}{{ n }} minutes"
        "{% endblocktranslate %}",
        encoding="utf-8",
    )
    module = tmp_path / "module.py"
    module.write_text(
        "from django.utils.translation import gettext as _, gettext_lazy, ngettext, pgettext\n"
        "_('Cancel'); gettext_lazy('Change' ' time'); pgettext('verb', 'Book')\n"
        "ngettext('%(count)s day', '%(count)s days', 2)\n",
        encoding="utf-8",
    )

    assert marked_strings([template, module]) == {
        ("Book", None),
        ("May", "month"),
        ("Meet %(name)s", None),
        ("%(n)s minute", None),
        ("Cancel", None),
        ("Change time", None),
        ("Book", "verb"),
        ("%(count)s day", None),
    }


@pytest.mark.parametrize("language", [code for code, _name in CANDIDATE_LANGUAGES])
def test_right_to_left_agrees_with_django(language: str) -> None:
    """Pages may ask either (``is_right_to_left`` or ``{% get_current_language_bidi %}``)."""
    with translation.override(language):
        assert translation.get_language_bidi() == is_right_to_left(language)
