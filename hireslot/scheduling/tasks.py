"""Background work for scheduling: thin, idempotent, by id."""

from __future__ import annotations

from django_tasks import task

from hireslot.scheduling.services.effects import effect_run


@task(queue_name="default")
def effect_execute(effect_id: str) -> str:
    return effect_run(effect_id=effect_id)
