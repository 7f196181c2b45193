"""The recruiter is told when an email to a candidate cannot be delivered (issue 9, item 6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from hireslot.messaging.models import Notification, OutgoingEmail
from hireslot.messaging.services import outgoing_email_deliver
from tests.scheduling.conftest import Company
from tests.smtp import RecordingHandler, smtp_server


@pytest.fixture
def smtp(settings: Any) -> Iterator[RecordingHandler]:
    yield from smtp_server(settings)


def test_a_request_email_that_cannot_be_built_ends_failed_and_tells_its_sender(
    company: Company, smtp: RecordingHandler, client: Client
) -> None:
    """Given a request whose email carries a sender name with a line break (saved before
    names were checked), when the worker delivers it, the email ends failed with the
    reason, the request shows as failed, and the recruiter finds a notification linking to
    the candidate, where the email and its error are shown."""
    sent = company.send()
    email = sent.request.email
    assert email is not None
    OutgoingEmail.objects.filter(pk=email.pk).update(from_name="Acme\r\nBcc: all@example.com")

    assert outgoing_email_deliver(email_id=str(email.pk)) == OutgoingEmail.Status.FAILED

    assert smtp.messages == []
    (notification,) = Notification.objects.filter(recipient=company.recruiter)
    assert notification.verb.startswith("Email to Ada Okafor not delivered:")
    client.force_login(company.recruiter)
    bell = client.get("/notifications/").content.decode()
    assert f"/candidates/{company.candidate.pk}/" in bell
    page = client.get(f"/candidates/{company.candidate.pk}/").content.decode()
    assert "The message could not be built" in page


def test_a_transient_failure_tells_nobody_yet(company: Company, smtp: RecordingHandler) -> None:
    smtp.reply = "451 4.3.0 Try again later"
    email = company.send().request.email
    assert email is not None

    assert outgoing_email_deliver(email_id=str(email.pk)) == OutgoingEmail.Status.RETRYING

    assert not Notification.objects.exists()
