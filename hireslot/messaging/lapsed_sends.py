"""What email and text message outboxes share: a row left ``sending`` by a worker that died
(its lease lapsed long ago, decision 0009) goes back to ``retrying`` with a run queued."""

from __future__ import annotations

import logging
from typing import Any

from django.db import models, transaction

from hireslot.core import clock
from hireslot.core.work import work_enqueue

logger = logging.getLogger(__name__)

BATCH = 500


def lapsed_sends_requeue(
    stale: models.QuerySet[models.Model], *, work_name: str, id_argument: str, what: str
) -> int:
    """Give each row of ``stale`` (rows still ``sending`` whose claim lapsed) back to the
    queue, once each, even with two sweeps at once. Returns how many."""
    now = clock.now()
    count = 0
    for pk in stale.values_list("pk", flat=True)[:BATCH]:
        with transaction.atomic():
            moved = stale.model._default_manager.filter(pk=pk, status="sending").update(
                status="retrying",
                claimed_until=None,
                last_error="The worker sending it stopped; sending again.",
                updated_at=now,
            )
            if moved:
                arguments: dict[str, Any] = {id_argument: str(pk)}
                work_enqueue(work_name, **arguments)
                count += moved
    if count:
        logger.warning("%d %s stuck in sending were queued again", count, what)
    return count
