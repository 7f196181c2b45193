"""Candidate links are credentials: whoever holds ``/s/<token>`` can book, move or cancel as
the candidate. One function hides the token wherever text leaves the recruiting roles' hands
(pages shown to interviewers, every log line)."""

from __future__ import annotations

import re

REDACTED = "[redacted]"

# Any path segment after /s/ (also percent-encoded, as in a ?next= or a Referer), whatever
# its shape: a tampered or truncated token is still most of a real one.
_CANDIDATE_LINK = re.compile(r"(/s/|%2Fs%2F)[^/\s?#&\"'<>\\%]+", re.IGNORECASE)


def candidate_links_redact(text: str) -> str:
    """``text`` with the token of every candidate link replaced by ``[redacted]``."""
    if "/s/" not in text and "%2f" not in text.lower():
        return text
    return _CANDIDATE_LINK.sub(lambda match: match.group(1) + REDACTED, text)
