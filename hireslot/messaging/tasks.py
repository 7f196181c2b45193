"""Background work for messaging: thin, idempotent, by id."""

from __future__ import annotations

from django_tasks import task

from hireslot.core.leases import sweep_register
from hireslot.core.work import work_register
from hireslot.messaging.services import outgoing_email_deliver, outgoing_emails_lapsed_requeue

# The worker's sweeper gives back emails whose sending claim lapsed (decision 0009).
sweep_register(outgoing_emails_lapsed_requeue)


@work_register("email_deliver")
@task(queue_name="email")
def email_deliver(email_id: str) -> str:
    return str(outgoing_email_deliver(email_id=email_id))
