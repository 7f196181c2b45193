"""Outgoing webhooks (issue 12): signed as Standard Webhooks say (checked with the independent
``standardwebhooks`` package, never our own code), written in the transaction of the change,
delivered by the real delivery code to a real HTTP server on 127.0.0.1, retried, logged."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from hireslot.accounts.models import Organization, Role
from hireslot.accounts.services import membership_add
from hireslot.messaging.models import Notification, WebhookDelivery, WebhookEndpoint, WebhookMessage
from hireslot.messaging.webhooks import (
    INTERVIEW_SCHEDULED,
    SCHEDULING_REQUEST_SENT,
    WebhookValidationError,
    webhook_delivery_list,
    webhook_endpoint_create,
    webhook_endpoint_secret_rotate,
    webhook_event_record,
    webhook_message_replay,
    webhook_messages_replay_failed,
    webhook_test_send,
)
from hireslot.messaging.webhooks.delivery import (
    webhook_messages_deliver,
    webhook_messages_lost_requeue,
)
from hireslot.scheduling.errors import SlotTakenError
from hireslot.scheduling.models import Interview
from hireslot.scheduling.services import interview_book
from tests.factories import OrganizationFactory
from tests.messaging.webhook_receiver import Answer, Received, Receiver
from tests.scheduling.conftest import NOW, Company, company_build, person

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as server:
        yield server


@pytest.fixture
def fast_retries(settings: Any) -> None:
    settings.HIRESLOT_WEBHOOK_RETRY_SCHEDULE = (0.0,) * 9


def endpoint_for(
    organization: Organization, url: str, event_types: list[str] | None = None
) -> tuple[WebhookEndpoint, str]:
    return webhook_endpoint_create(
        organization=organization, url=url, event_types=event_types or ["*"]
    )


def deliver_all(rounds: int = 50) -> None:
    """The worker's task body, run until nothing is due (retries due at once here)."""
    for _ in range(rounds):
        webhook_messages_deliver()
        if not WebhookMessage.objects.filter(state="pending").exists():
            return


def verified(received: Received, secret: str) -> Any:
    return Webhook(secret).verify(received.body, received.headers)


# --- signatures and payloads --------------------------------------------------------------


def test_a_booking_reaches_the_endpoint_signed_so_a_standard_verifier_accepts_it(
    company: Company, receiver: Receiver
) -> None:
    endpoint, secret = endpoint_for(company.organization, receiver.url)
    assert secret.startswith("whsec_")

    request = company.send().request
    interview_book(request=request, start=TUESDAY_10, candidate_time_zone="Europe/Berlin")
    deliver_all()

    by_type = {received.payload["type"]: received for received in receiver.received}
    assert set(by_type) == {SCHEDULING_REQUEST_SENT, INTERVIEW_SCHEDULED}
    body = verified(by_type[INTERVIEW_SCHEDULED], secret)
    data = body["data"]
    assert body["timestamp"].endswith("Z")
    assert data["interview"]["start"] == "2026-03-03T15:00:00Z"
    assert data["interview"]["end"] == "2026-03-03T15:45:00Z"
    assert data["interview"]["status"] == "scheduled"
    assert data["interview"]["interviewers"] == [
        {"id": str(company.interviewer.pk), "name": "Nora Alvarez", "email": "nora@acme.example"}
    ]
    assert {step["kind"] for step in data["interview"]["steps"]} >= {"calendar_event"}
    assert data["request"]["status"] == "scheduled"
    assert data["request"]["interview_id"] == data["interview"]["id"]
    assert data["candidate"] == {
        "id": str(company.candidate.pk),
        "name": "Ada Okafor",
        "email": "ada@acme.example",
        "time_zone": "Europe/Berlin",
    }
    assert data["reschedule_url"].startswith(data["request"]["link"])
    assert data["cancel_url"].startswith(data["request"]["link"])
    sent = verified(by_type[SCHEDULING_REQUEST_SENT], secret)["data"]["request"]
    assert sent["status"] == "pending" and sent["interview_id"] is None
    assert WebhookMessage.objects.filter(endpoint=endpoint, state="delivered").count() == 2


def test_a_forged_or_tampered_message_is_rejected_by_the_verifier(
    organization: Organization, receiver: Receiver
) -> None:
    _, secret = endpoint_for(organization, receiver.url)
    webhook_test_send(endpoint=WebhookEndpoint.objects.get())
    deliver_all()
    (received,) = receiver.received
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(received.body + b" ", received.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 43 + "=").verify(received.body, received.headers)


def test_during_a_rotation_both_secrets_sign_and_after_a_day_only_the_new_one(
    organization: Organization, receiver: Receiver
) -> None:
    endpoint, old = endpoint_for(organization, receiver.url)
    new = webhook_endpoint_secret_rotate(endpoint=endpoint)
    webhook_test_send(endpoint=endpoint)
    deliver_all()
    (during,) = receiver.received
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    verified(during, old)
    verified(during, new)

    with time_machine.travel(datetime.now(UTC) + timedelta(hours=25), tick=False):
        webhook_test_send(endpoint=endpoint)
        deliver_all()
        after = receiver.received[-1]
        assert len(after.headers["webhook-signature"].split(" ")) == 1
        verified(after, new)
        with pytest.raises(WebhookVerificationError):
            verified(after, old)


# --- the outbox -------------------------------------------------------------------------------


def test_a_booking_that_rolls_back_records_and_sends_nothing(
    company: Company, receiver: Receiver
) -> None:
    request = company.send().request
    endpoint_for(company.organization, receiver.url, [INTERVIEW_SCHEDULED])

    class RolledBackError(Exception):
        pass

    def book_then_fail() -> None:
        with transaction.atomic():
            interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")
            assert WebhookMessage.objects.count() == 1  # written with the booking...
            raise RolledBackError  # ...and gone with it

    with pytest.raises(RolledBackError):
        book_then_fail()

    assert not Interview.objects.filter(request=request).exists()
    assert WebhookMessage.objects.count() == 0
    deliver_all()
    assert receiver.received == []


def test_a_booking_refused_inside_its_transaction_records_nothing(
    company: Company, receiver: Receiver
) -> None:
    other = company_build("other")
    # The same interviewer on a second company's template: the second booking is refused.
    other.template.interviewers.set([company.interviewer])
    other.template.include_hiring_manager = False
    other.template.save()
    first, second = company.send().request, other.send().request
    endpoint_for(company.organization, receiver.url, [INTERVIEW_SCHEDULED])
    endpoint_for(other.organization, receiver.url, [INTERVIEW_SCHEDULED])
    interview_book(request=first, start=TUESDAY_10, candidate_time_zone="UTC")
    assert WebhookMessage.objects.count() == 1
    with pytest.raises(SlotTakenError):
        interview_book(request=second, start=TUESDAY_10, candidate_time_zone="UTC")
    assert WebhookMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_delivery_is_queued_only_when_the_change_commits(
    company: Company, receiver: Receiver
) -> None:
    endpoint_for(company.organization, receiver.url)
    queued = DBTaskResult.objects.filter(task_path__endswith="webhooks_deliver")
    with transaction.atomic():
        webhook_event_record(
            organization=company.organization, event_type=SCHEDULING_REQUEST_SENT, data={}
        )
        assert not queued.exists()
    assert queued.count() == 1


def test_1000_events_to_an_endpoint_that_fails_twice_each_are_all_delivered_once(
    organization: Organization, fast_retries: None
) -> None:
    def twice_500(received: Received, before: int) -> Answer:
        return Answer(500, b"try later") if before < 2 else Answer(204, b"")

    with Receiver(twice_500) as receiver:
        _, secret = endpoint_for(organization, receiver.url)
        for batch in range(10):
            with transaction.atomic():
                for number in range(100):
                    webhook_event_record(
                        organization=organization,
                        event_type=SCHEDULING_REQUEST_SENT,
                        data={"request": {"id": f"{batch}-{number}"}},
                    )
        deliver_all(rounds=400)

        ids = [received.webhook_id for received in receiver.received]
    assert WebhookMessage.objects.filter(state="delivered").count() == 1000
    assert len(set(ids)) == 1000
    assert all(ids.count(message_id) == 3 for message_id in set(ids[:50]))
    assert len(ids) == 3000
    successes = WebhookDelivery.objects.filter(succeeded=True)
    assert successes.count() == 1000
    assert successes.values("message").distinct().count() == 1000
    assert set(WebhookDelivery.objects.values_list("attempt", flat=True)) == {1, 2, 3}
    verified(receiver.received[-1], secret)


# --- answers ----------------------------------------------------------------------------------


def test_410_gone_disables_the_endpoint_at_once_and_tells_the_admins(
    company: Company,
) -> None:
    admin = person("ines@acme.example", "Ines Admin", "UTC")
    membership_add(user=admin, organization=company.organization, role=Role.ADMIN)
    with Receiver(lambda received, before: Answer(410, b"gone")) as receiver:
        endpoint, _ = endpoint_for(company.organization, receiver.url)
        webhook_test_send(endpoint=endpoint)
        webhook_test_send(endpoint=endpoint)
        deliver_all()
        assert len(receiver.received) <= 2
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert "410" in endpoint.disabled_reason
    assert set(WebhookMessage.objects.values_list("state", flat=True)) == {"failed"}
    (notice,) = Notification.objects.filter(recipient=admin)
    assert "disabled" in notice.verb


def test_retry_after_is_honoured(organization: Organization) -> None:
    answers = iter(
        [
            Answer(503, headers={"Retry-After": "120"}),
            Answer(429, headers={"Retry-After": "http-date"}),
        ]
    )

    def answer(received: Received, before: int) -> Answer:
        chosen = next(answers)
        if chosen.headers.get("Retry-After") == "http-date":
            later = datetime.now(UTC) + timedelta(hours=3)
            chosen.headers["Retry-After"] = format_datetime(later, usegmt=True)
        return chosen

    with Receiver(answer) as receiver:
        endpoint, _ = endpoint_for(organization, receiver.url)
        message = webhook_test_send(endpoint=endpoint)
        started = datetime.now(UTC)
        webhook_messages_deliver()
        message.refresh_from_db()
        # The schedule says within 10 s; the receiver asked for 2 minutes.
        assert message.next_attempt_at >= started + timedelta(seconds=119)
        assert message.state == "pending"
        WebhookMessage.objects.filter(pk=message.pk).update(next_attempt_at=started)
        webhook_messages_deliver()
        message.refresh_from_db()
        assert message.next_attempt_at >= started + timedelta(hours=2, minutes=59)


def test_a_redirect_is_not_followed(organization: Organization) -> None:
    with Receiver(lambda r, before: Answer(200, b"elsewhere")) as elsewhere:
        moved = Answer(307, b"", headers={"Location": elsewhere.url})
        with Receiver(lambda received, before: moved) as receiver:
            endpoint, _ = endpoint_for(organization, receiver.url)
            message = webhook_test_send(endpoint=endpoint)
            webhook_messages_deliver()
            assert len(receiver.received) == 1
        assert elsewhere.received == []
    message.refresh_from_db()
    assert message.state == "pending"
    (attempt,) = webhook_delivery_list(endpoint=endpoint)
    assert attempt.status_code == 307
    assert "redirects are not followed" in attempt.error


def test_the_first_retry_comes_within_10_seconds(organization: Organization) -> None:
    with Receiver(lambda received, before: Answer(500)) as receiver:
        endpoint, _ = endpoint_for(organization, receiver.url)
        message = webhook_test_send(endpoint=endpoint)
        started = datetime.now(UTC)
        webhook_messages_deliver()
    message.refresh_from_db()
    assert started < message.next_attempt_at <= started + timedelta(seconds=11)


def test_after_the_last_attempt_the_message_is_failed_and_admins_are_told_once(
    company: Company, fast_retries: None
) -> None:
    admin = person("ines@acme.example", "Ines Admin", "UTC")
    membership_add(user=admin, organization=company.organization, role=Role.ADMIN)
    with Receiver(lambda received, before: Answer(500, b"x" * 5000)) as receiver:
        endpoint, _ = endpoint_for(company.organization, receiver.url)
        first = webhook_test_send(endpoint=endpoint)
        second = webhook_test_send(endpoint=endpoint)
        deliver_all()
        assert len(receiver.received) == 20
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, first.attempts) == ("failed", 10)
    assert second.state == "failed"
    log = list(webhook_delivery_list(endpoint=endpoint))
    assert next(row.attempt for row in log if row.message_id == first.pk) == 10
    assert all(len(row.response_body) == 1024 and row.status_code == 500 for row in log)
    (notice,) = Notification.objects.filter(recipient=admin)
    assert "failing" in notice.verb
    endpoint.refresh_from_db()
    assert endpoint.enabled and endpoint.failing_since is not None


def test_an_endpoint_failing_for_5_days_is_disabled_with_a_notice(
    company: Company, travel: time_machine.Coordinates
) -> None:
    admin = person("ines@acme.example", "Ines Admin", "UTC")
    membership_add(user=admin, organization=company.organization, role=Role.ADMIN)
    with Receiver(lambda received, before: Answer(502)) as receiver:
        endpoint, _ = endpoint_for(company.organization, receiver.url)
        for day in range(6):
            travel.move_to(NOW + timedelta(days=day, minutes=1))
            webhook_test_send(endpoint=endpoint)
            webhook_messages_deliver()
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert "5 days" in endpoint.disabled_reason
    verbs = list(Notification.objects.filter(recipient=admin).values_list("verb", flat=True))
    assert len(verbs) == 2  # "failing" once, then "disabled" once
    assert any("failing" in verb for verb in verbs) and any("disabled" in verb for verb in verbs)


def test_a_success_ends_the_run_of_failures(organization: Organization) -> None:
    with Receiver(lambda received, before: Answer(500 if before == 0 else 200)) as receiver:
        endpoint, _ = endpoint_for(organization, receiver.url)
        message = webhook_test_send(endpoint=endpoint)
        webhook_messages_deliver()
        endpoint.refresh_from_db()
        assert endpoint.failing_since is not None
        WebhookMessage.objects.filter(pk=message.pk).update(next_attempt_at=datetime.now(UTC))
        webhook_messages_deliver()
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


# --- the guard ------------------------------------------------------------------------------


def test_a_private_address_is_refused_at_delivery_in_production_mode(
    organization: Organization, receiver: Receiver, settings: Any
) -> None:
    endpoint, _ = endpoint_for(organization, receiver.url)  # saved in development
    settings.HIRESLOT_ALLOW_PRIVATE_URLS = False
    message = webhook_test_send(endpoint=endpoint)
    webhook_messages_deliver()
    assert receiver.received == []
    (attempt,) = webhook_delivery_list(endpoint=endpoint)
    assert "refused: private address" in attempt.error
    assert attempt.status_code is None
    message.refresh_from_db()
    assert message.state == "pending"


def test_saving_refuses_private_and_plain_http_addresses_in_production(
    organization: Organization, settings: Any
) -> None:
    settings.HIRESLOT_ALLOW_PRIVATE_URLS = False
    settings.PRODUCTION = True
    for url, says in [
        ("http://hooks.example.com/in", "https://"),
        ("https://127.0.0.1/in", "refused: private address"),
        ("https://169.254.169.254/latest", "refused: private address"),
        ("https://[::1]/in", "refused: private address"),
        ("hooks.example.com/in", "https://"),
    ]:
        with pytest.raises(WebhookValidationError) as refused:
            endpoint_for(organization, url)
        (error,) = refused.value.errors
        assert error.field == "url" and says in error.message, (url, error)
    assert not WebhookEndpoint.objects.exists()


def test_unknown_event_types_are_refused_field_by_field(organization: Organization) -> None:
    with pytest.raises(WebhookValidationError) as refused:
        webhook_endpoint_create(
            organization=organization, url="", event_types=["interview.exploded"]
        )
    assert {error.field for error in refused.value.errors} == {"url", "event_types"}
    assert "interview.exploded" in refused.value.message


# --- replay -----------------------------------------------------------------------------------


def test_a_replay_sends_the_same_webhook_id_again(
    organization: Organization, receiver: Receiver
) -> None:
    endpoint, _ = endpoint_for(organization, receiver.url)
    message = webhook_test_send(endpoint=endpoint)
    deliver_all()
    webhook_message_replay(message=message)
    deliver_all()
    assert [r.webhook_id for r in receiver.received] == [message.message_id] * 2
    assert [row.attempt for row in webhook_delivery_list(endpoint=endpoint)] == [2, 1]


def test_replaying_failed_messages_in_a_time_range_sends_only_those(
    organization: Organization, fast_retries: None
) -> None:
    fail = True
    with Receiver(lambda received, before: Answer(500 if fail else 200)) as receiver:
        endpoint, _ = endpoint_for(organization, receiver.url)
        messages = [webhook_test_send(endpoint=endpoint) for _ in range(3)]
        deliver_all()
        assert set(WebhookMessage.objects.values_list("state", flat=True)) == {"failed"}
        WebhookMessage.objects.filter(pk=messages[0].pk).update(
            created_at=datetime.now(UTC) - timedelta(days=2)
        )
        fail = False
        replayed = webhook_messages_replay_failed(
            organization=organization,
            since=datetime.now(UTC) - timedelta(hours=1),
            until=datetime.now(UTC) + timedelta(minutes=1),
        )
        deliver_all()
    assert replayed == 2
    states = dict(WebhookMessage.objects.values_list("pk", "state"))
    assert states[messages[0].pk] == "failed"
    assert states[messages[1].pk] == states[messages[2].pk] == "delivered"


def test_another_organizations_replay_touches_nothing(
    organization: Organization, fast_retries: None
) -> None:
    other = OrganizationFactory(slug="other")
    with Receiver(lambda received, before: Answer(500)) as receiver:
        endpoint, _ = endpoint_for(organization, receiver.url)
        webhook_test_send(endpoint=endpoint)
        deliver_all()
    assert (
        webhook_messages_replay_failed(
            organization=other,
            since=datetime.now(UTC) - timedelta(days=1),
            until=datetime.now(UTC) + timedelta(days=1),
        )
        == 0
    )


def test_the_sweep_queues_a_drain_for_messages_whose_wake_up_was_lost(
    organization: Organization,
) -> None:
    endpoint, _ = endpoint_for(organization, "http://127.0.0.1:9/in")
    message = webhook_test_send(endpoint=endpoint)
    drains = DBTaskResult.objects.filter(task_path__endswith="webhooks_deliver")
    drains.delete()
    assert webhook_messages_lost_requeue() == 0  # due just now: its wake-up may be on its way
    WebhookMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=datetime.now(UTC) - timedelta(minutes=2)
    )
    assert webhook_messages_lost_requeue() == 1
    assert drains.count() == 1


def test_a_message_held_by_a_worker_that_died_is_sent_again_once_its_claim_lapses(
    organization: Organization, receiver: Receiver
) -> None:
    endpoint, _ = endpoint_for(organization, receiver.url)
    message = webhook_test_send(endpoint=endpoint)
    held = datetime.now(UTC) + timedelta(minutes=5)
    WebhookMessage.objects.filter(pk=message.pk).update(claimed_until=held)
    webhook_messages_deliver()
    assert receiver.received == []  # another worker holds it
    WebhookMessage.objects.filter(pk=message.pk).update(
        claimed_until=datetime.now(UTC) - timedelta(seconds=1)
    )
    webhook_messages_deliver()
    assert [r.webhook_id for r in receiver.received] == [message.message_id]
