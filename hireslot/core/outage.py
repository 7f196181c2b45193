"""Telling a database outage from a real failure, and living through one.

A worker that loses the database must neither die nor record the work it was doing as failed:
the work is fine, the database is not. ``database_unreachable`` recognises the errors of an
unreachable or restarting server anywhere in an exception's chain (a task that catches an
error and then fails again recording it still counts); ``through_outage`` runs a database
write again until the server answers, for the few writes that must not be lost once an
outside party has acted (an SMTP server accepted a message).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Reconnection attempts double from the first to the cap.
RECONNECT_FIRST_SECONDS = 0.5
RECONNECT_CAP_SECONDS = 5.0
# How long ``through_outage`` keeps a result before giving up on recording it.
KEEP_TRYING_SECONDS = 600.0


_recovered_at = float("-inf")


def recovered_mark() -> None:
    """Note that the database just answered again after an outage (see ``recovered_since``)."""
    global _recovered_at
    _recovered_at = time.monotonic()


def recovered_since() -> float:
    """Seconds since this process last saw the database come back after an outage."""
    return time.monotonic() - _recovered_at


def database_unreachable(error: BaseException | None) -> bool:
    """Whether ``error`` (or an error it was raised from or during) says the database could
    not be reached or dropped the connection, as opposed to refusing a statement."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def reconnect_delay(attempt: int) -> float:
    """Seconds to wait before reconnection attempt ``attempt`` (1, 2, …): doubling, capped."""
    return float(min(RECONNECT_CAP_SECONDS, RECONNECT_FIRST_SECONDS * 2 ** max(0, attempt - 1)))


def connections_reset() -> None:
    """Drop this thread's database connections so the next query opens a fresh one; a
    connection broken by the outage cannot be used again."""
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            # Closing a dead socket can fail; the wrapper forgets it either way.
            conn.connection = None


def through_outage(write: Callable[[], T], *, what: str) -> T:
    """Run ``write`` (a function doing its own transaction), again and again while the
    database is unreachable, for up to ``KEEP_TRYING_SECONDS``. Inside a caller's
    transaction it runs once: that transaction is lost with the connection anyway."""
    deadline = time.monotonic() + KEEP_TRYING_SECONDS
    attempt = 0
    while True:
        try:
            result = write()
        except DatabaseError as error:
            if (
                connection.in_atomic_block
                or not database_unreachable(error)
                or time.monotonic() > deadline
            ):
                raise
            attempt += 1
            if attempt == 1:
                logger.warning("database unreachable while recording %s; trying again", what)
            connections_reset()
            time.sleep(reconnect_delay(attempt))
            continue
        if attempt:
            recovered_mark()
        return result
