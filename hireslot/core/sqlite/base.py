"""Django's SQLite backend, with write transactions that wait their turn fairly.

Every transaction here starts with ``BEGIN IMMEDIATE`` (the settings ask for it), so at most
one runs at a time. SQLite makes the others wait in its busy handler, which sleeps 1, 2, 5,
10 … and then 100 ms between tries: the longer a writer has waited, the less often it looks.
Under steady writing (two workers on a backlog, bookers, page opens) a booking that had
waited a while kept missing the short gaps that newer arrivals took, and waited up to 19 s
of the 20 s busy timeout.

So before ``BEGIN`` each connection takes its turn on two ``flock`` files next to the
database and holds the second until the transaction ends. A process blocked on a ``flock`` is
woken by the kernel the moment it is released, however long it has waited. The first file
is a turnstile: a writer holds it only while it waits for the second, so a writer that has
just finished cannot take the next turn straight back from the ones already waiting; it
queues behind them. A writer then waits about as long as the transactions ahead of it take.
The wait is bounded by the same busy timeout as SQLite's own (an error, as before, rather
than a hang).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from typing import Any

from django.db import OperationalError
from django.db.backends.sqlite3 import base


def _flock(fd: int, deadline: float) -> int:
    """Lock ``fd`` exclusively by ``deadline`` (monotonic), else raise. Returns the descriptor
    the caller must use from now on (a fresh one after a timeout is never needed: it raises).

    flock() has no timeout: when the lock is taken, a helper thread blocks in it (on a
    duplicate of the descriptor, which shares the lock) while this thread waits with one.
    """
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        pass
    helper_fd = os.dup(fd)
    outcome: list[str] = []
    decided = threading.Lock()
    acquired = threading.Event()

    def block() -> None:
        try:
            fcntl.flock(helper_fd, fcntl.LOCK_EX)
            with decided:
                if outcome:  # given up meanwhile: pass the turn on
                    fcntl.flock(helper_fd, fcntl.LOCK_UN)
                else:
                    outcome.append("acquired")
                    acquired.set()
        finally:
            os.close(helper_fd)

    threading.Thread(target=block, name="sqlite-writer-turn", daemon=True).start()
    acquired.wait(max(0.0, deadline - time.monotonic()))
    with decided:
        if outcome:
            return fd
        outcome.append("abandoned")
    raise TimeoutError


class WriterTurn:
    """One connection's place in the queue of writers of one database file."""

    def __init__(self, path: str) -> None:
        self.paths = (f"{path}-writers.gate", f"{path}-writers.lock")
        self.fds: list[int] = []
        self.held = False

    def acquire(self, timeout: float) -> None:
        if not self.fds:
            self.fds = [os.open(path, os.O_RDWR | os.O_CREAT, 0o600) for path in self.paths]
        gate, lock = self.fds
        deadline = time.monotonic() + timeout
        try:
            _flock(gate, deadline)
            try:
                _flock(lock, deadline)
            finally:
                fcntl.flock(gate, fcntl.LOCK_UN)
        except TimeoutError:
            # A helper thread may still take and release a lock on these descriptions
            # later: never use them again.
            self.close()
            raise OperationalError("database is locked") from None
        self.held = True

    def release(self) -> None:
        if self.held and self.fds:
            fcntl.flock(self.fds[1], fcntl.LOCK_UN)
        self.held = False

    def close(self) -> None:
        self.release()
        for fd in self.fds:
            os.close(fd)
        self.fds = []


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._turn: WriterTurn | None = None

    def _writer_turn(self) -> WriterTurn | None:
        name = str(self.settings_dict["NAME"])
        if self.is_in_memory_db():
            return None
        if self._turn is None:
            self._turn = WriterTurn(name)
        return self._turn

    # Django's atomic() starts SQLite transactions through this private hook (django-stubs
    # does not declare it).
    def _start_transaction_under_autocommit(self) -> None:
        turn = self._writer_turn()
        if turn is not None:
            timeout = float(self.settings_dict["OPTIONS"].get("timeout", 5))
            turn.acquire(timeout)
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._turn_end()
            raise

    def _turn_end(self) -> None:
        if self._turn is not None:
            self._turn.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._turn_end()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._turn_end()

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._turn is not None and self.connection is None:
                self._turn.close()
