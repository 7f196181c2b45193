"""A sender who asked is told, once, when a link expires unused."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from hireslot.messaging.models import Notification
from hireslot.scheduling.services import scheduling_requests_expiry_announce

from .conftest import NOW, Company


def test_the_sender_is_told_once_when_the_template_asks(company: Company) -> None:
    company.template.notify_sender_on_expiry = True
    company.template.save()
    company.send()

    with time_machine.travel(NOW + timedelta(days=7, minutes=5), tick=False):
        scheduling_requests_expiry_announce()
        scheduling_requests_expiry_announce()

    [notification] = Notification.objects.all()
    assert notification.recipient == company.recruiter
    assert notification.verb == (
        "Ada Okafor's link for the Manager Interview expired without a booking"
    )


def test_by_default_nobody_is_told(company: Company) -> None:
    company.send()
    with time_machine.travel(NOW + timedelta(days=7, minutes=5), tick=False):
        scheduling_requests_expiry_announce()
    assert not Notification.objects.exists()
