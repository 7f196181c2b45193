"""The effects ledger: one row per consequence of a booking, carried out by the worker.

Rows are written in the booking's own transaction together with the one task that carries
them out in turn (the database task backend makes that an outbox), so a confirmed booking
never loses a consequence; an effect that must be tried again later gets a task of its own. Every
executor is idempotent: calendar events are keyed by the interview's UID and converge on the
interview's current state; database-only effects run in one transaction with their row locked
and marked done, so a second run finds them done. A failing provider never undoes a booking.

Modules: ``ledger`` writes the rows and runs them (claims, retries, failures); ``steps`` are
the database-only consequences (invite email, task, stage move, notifications);
``remote`` are the ones that call calendar and conferencing providers.
"""

from hireslot.scheduling.services.effects.ledger import (
    MAX_EFFECT_ATTEMPTS,
    effect_retry,
    effect_run,
    effects_run,
    effects_write,
)

__all__ = ["MAX_EFFECT_ATTEMPTS", "effect_retry", "effect_run", "effects_run", "effects_write"]
