"""Background work for messaging: thin, idempotent, by id."""

from __future__ import annotations

from django_tasks import task

from hireslot.core.leases import sweep_register
from hireslot.core.work import work_register
from hireslot.messaging.services import outgoing_email_deliver, outgoing_emails_lapsed_requeue
from hireslot.messaging.text_messages.services import (
    text_message_deliver as text_message_deliver_service,
)
from hireslot.messaging.text_messages.services import text_messages_lapsed_requeue
from hireslot.messaging.webhooks.delivery import (
    webhook_messages_deliver,
    webhook_messages_lost_requeue,
)

# The worker's sweeper gives back emails whose sending claim lapsed (decision 0009).
sweep_register(outgoing_emails_lapsed_requeue)


@work_register("email_deliver")
@task(queue_name="email")
def email_deliver(email_id: str) -> str:
    return str(outgoing_email_deliver(email_id=email_id))


# Messages whose wake-up was lost are found by the sweep too.
sweep_register(webhook_messages_lost_requeue)


@work_register("webhooks_deliver")
@task(queue_name="webhooks")
def webhooks_deliver(message_ids: list[str] | None = None) -> int:
    return webhook_messages_deliver(message_ids=message_ids)


# Texts whose sending claim lapsed, as for email.
sweep_register(text_messages_lapsed_requeue)


@work_register("text_message_deliver")
@task(queue_name="email")
def text_message_deliver(text_message_id: str) -> str:
    return str(text_message_deliver_service(text_message_id=text_message_id))
