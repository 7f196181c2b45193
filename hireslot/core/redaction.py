"""Candidate links are credentials: whoever holds ``/s/<token>`` can book, move or cancel as
the candidate. One function hides the token wherever text leaves the recruiting roles' hands
(pages shown to interviewers, every log line)."""

from __future__ import annotations

import logging
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


class CandidateLinkFilter(logging.Filter):
    """Redacts candidate link tokens in a log record before any handler writes it.

    The message with its arguments, the traceback and the stack are rendered and redacted
    here (the arguments are then dropped), so no formatter can put a token back; a record
    that carried one also loses its traceback object and its ``request`` (an
    ``AdminEmailHandler`` would print the frames' variables and the request's path).
    Installed on the handlers in ``settings.LOGGING`` and, by ``CoreConfig.ready``, on every
    handler the process has (gunicorn's own included).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            # logging would print the raw arguments when reporting the broken record.
            record.msg = candidate_links_redact(str(record.msg)) + " [arguments dropped]"
            record.args = ()
            message = record.msg
        redacted = candidate_links_redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info:
            text = record.exc_text or logging.Formatter().formatException(record.exc_info)
            clean = candidate_links_redact(text)
            if clean != text or redacted != message:
                record.exc_info, record.exc_text = None, clean
        elif record.exc_text:
            record.exc_text = candidate_links_redact(record.exc_text)
        if record.stack_info:
            record.stack_info = candidate_links_redact(record.stack_info)
        request = getattr(record, "request", None)
        full_path = getattr(request, "get_full_path", None)
        if callable(full_path) and candidate_links_redact(str(full_path())) != full_path():
            record.request = None
        return True


def candidate_link_filter_install() -> None:
    """Put the filter on every handler of every logger that exists now (handlers made by
    gunicorn or Django's defaults as well as ours); safe to run again."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in list(logging.Logger.manager.loggerDict.values())
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, CandidateLinkFilter) for f in handler.filters):
                handler.addFilter(CandidateLinkFilter())
    last_resort = logging.lastResort
    if last_resort is not None and not any(
        isinstance(f, CandidateLinkFilter) for f in last_resort.filters
    ):
        last_resort.addFilter(CandidateLinkFilter())
