"""Give every catalogue in hireslot/locale a real header and nothing that changes on each run.

``makemessages`` writes gettext's placeholder header (marked fuzzy, so ``msgfmt`` would leave
out its charset and plural forms) and stamps ``POT-Creation-Date`` on every run, which would
show every catalogue as changed after ``make messages`` even when no string did. Run after
``makemessages`` (``make messages`` does); running it twice changes nothing.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "hireslot" / "locale"
# Header fields gettext fills with placeholders or with the time of the run.
DROPPED = ("POT-Creation-Date", "PO-Revision-Date", "Last-Translator", "Language-Team")


def tidy(text: str, language: str) -> str:
    header, separator, entries = text.partition("\n\n")
    lines = []
    for line in header.splitlines():
        if line.startswith("#"):
            continue  # gettext's boilerplate comments, and the header's "#, fuzzy"
        field = re.match(r'"([A-Za-z-]+): ', line)
        if field and field.group(1) in DROPPED:
            continue
        if field and field.group(1) == "Project-Id-Version":
            line = '"Project-Id-Version: HireSlot\\n"'
        if field and field.group(1) == "Language":
            line = f'"Language: {language}\\n"'
        lines.append(line)
    comment = f"# HireSlot's candidate-facing text ({language}); see docs/translations.md."
    return "\n".join([comment, *lines]) + separator + entries


def main() -> int:
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        language = po.parent.parent.name
        text = po.read_text(encoding="utf-8")
        tidied = tidy(text, language)
        if tidied != text:
            po.write_text(tidied, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
