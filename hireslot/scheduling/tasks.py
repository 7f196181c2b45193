"""Background work for scheduling: thin, idempotent, by id.

Core imports every app's ``tasks.py`` once the app registry is ready (``CoreConfig.ready``),
in every process that can run work; so this is also where scheduling hooks into
messaging's delivery: when an email ends ``failed``, the recruiter waiting on it is told.
"""

from __future__ import annotations

from django_tasks import task

from hireslot.core.leases import sweep_register
from hireslot.core.work import work_register
from hireslot.messaging.services import delivery_failure_register
from hireslot.scheduling.services.bulk import bulk_send_run
from hireslot.scheduling.services.delivery import email_failure_notify
from hireslot.scheduling.services.effects import effect_run, effects_run
from hireslot.scheduling.services.nudges import nudge_send, nudges_due_run
from hireslot.scheduling.services.reminders import (
    reminder_send,
    reminders_due_run,
    reminders_wake,
)
from hireslot.scheduling.services.requests import scheduling_requests_expiry_announce

delivery_failure_register(email_failure_notify)
# Every sweep announces the links that ran out since the last one (a webhook event).
sweep_register(scheduling_requests_expiry_announce)
# Reminders whose wake-up was lost are run (or, past their tolerance, skipped) by the sweep.
sweep_register(reminders_due_run)
sweep_register(nudges_due_run)


@work_register("effect_execute")
@task(queue_name="default")
def effect_execute(effect_id: str) -> str:
    return effect_run(effect_id=effect_id)


@work_register("effects_execute")
@task(queue_name="default")
def effects_execute(effect_ids: list[str]) -> list[str]:
    return effects_run(effect_ids=effect_ids)


@work_register("bulk_send_execute")
@task(queue_name="default")
def bulk_send_execute(bulk_send_id: str, item_ids: list[str] | None = None) -> str:
    return bulk_send_run(bulk_send_id=bulk_send_id, item_ids=item_ids).status


@work_register("reminders_wake")
@task(queue_name="default")
def reminders_wake_execute(interview_id: str) -> list[str]:
    return reminders_wake(interview_id=interview_id)


@work_register("reminder_send")
@task(queue_name="default")
def reminder_execute(reminder_id: str) -> str:
    return reminder_send(reminder_id=reminder_id)


@work_register("nudge_send")
@task(queue_name="default")
def nudge_execute(nudge_id: str) -> str:
    return nudge_send(nudge_id=nudge_id)
