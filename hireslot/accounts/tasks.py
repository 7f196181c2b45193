"""Background work for accounts: thin, by value."""

from __future__ import annotations

from django_tasks import task

from hireslot.accounts.services import password_reset_email_send
from hireslot.core.work import work_register


@work_register("password_reset_email_deliver")
@task(queue_name="email")
def password_reset_email_deliver(email: str) -> bool:
    return password_reset_email_send(email=email)
