"""Resetting a forgotten password: the answer is the same, as fast, for every address; the
email is sent by the worker, and one address gets only a few an hour."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from hireslot.accounts.models import User
from tests.factories import UserFactory
from tests.smtp import RecordingHandler, smtp_server

# The worker closes connections it finds inside a transaction, so these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp(settings: Any) -> Iterator[RecordingHandler]:
    yield from smtp_server(settings)


def run_worker() -> None:
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, verbosity=0)


def ask(client: Client, email: str) -> Any:
    return client.post(reverse("password_reset"), {"email": email})


def page(client: Client, url: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "<csrf token>", client.get(url).content.decode())


def test_known_and_unknown_addresses_get_the_same_answer_and_no_mail_is_sent_meanwhile(
    client: Client, smtp: RecordingHandler
) -> None:
    user = UserFactory(email="ada@example.com")

    known = ask(client, user.email)
    unknown = ask(client, "nobody@example.com")

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known.status_code == 302
    assert page(client, known["Location"]) == page(client, unknown["Location"])
    # Nothing was looked up or sent in the request: each answer queued the same work.
    assert smtp.messages == []
    assert DBTaskResult.objects.count() == 2

    run_worker()

    assert [m["To"] for m in smtp.messages] == ["ada@example.com"]


def test_the_emailed_link_sets_a_new_password(client: Client, smtp: RecordingHandler) -> None:
    user = UserFactory(email="ada@example.com")
    ask(client, "ADA@example.com")
    run_worker()

    (message,) = smtp.messages
    assert message["Subject"] == "Reset your HireSlot password"
    body = message.get_payload(decode=True).decode()
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+)", body)
    assert link, body
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
        follow=True,
    )
    assert "Your password is changed" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")
    assert "no longer works" in client.get(link.group(1), follow=True).content.decode()


def test_one_address_gets_at_most_three_reset_emails_an_hour(
    client: Client, smtp: RecordingHandler, settings: Any
) -> None:
    UserFactory(email="ada@example.com")

    answers = {ask(client, "ada@example.com").status_code for _ in range(6)}
    run_worker()

    assert answers == {302}
    assert len(smtp.messages) == settings.HIRESLOT_PASSWORD_RESET_EMAILS_PER_HOUR == 3


def test_a_deactivated_account_gets_no_email(client: Client, smtp: RecordingHandler) -> None:
    UserFactory(email="ada@example.com", is_active=False)

    ask(client, "ada@example.com")
    run_worker()

    assert smtp.messages == []


def test_a_member_who_never_chose_a_password_can_use_it(
    client: Client, smtp: RecordingHandler
) -> None:
    User.objects.create_user("new@example.com", None)

    ask(client, "new@example.com")
    run_worker()

    assert [m["To"] for m in smtp.messages] == ["new@example.com"]


def test_a_malformed_address_is_a_form_error(client: Client, db: None) -> None:
    response = client.post(reverse("password_reset"), {"email": "not an address" * 40})

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert DBTaskResult.objects.count() == 0


def test_a_new_password_lifts_the_accounts_login_pause_but_not_the_guessers(
    client: Client, smtp: RecordingHandler, settings: Any
) -> None:
    user = UserFactory(email="ada@example.com")
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client().post(
            reverse("login"),
            {"username": user.email, "password": f"guess {n}"},
            REMOTE_ADDR="198.51.100.7",
        )
    assert (
        Client()
        .post(
            reverse("login"),
            {"username": user.email, "password": "correct horse battery"},
            REMOTE_ADDR="203.0.113.9",
        )
        .status_code
        == 429
    )

    ask(client, user.email)
    run_worker()
    body = smtp.messages[0].get_payload(decode=True).decode()
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+)", body)
    assert link
    form_page = client.get(link.group(1), follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )

    def log_in(address: str) -> int:
        return int(
            Client()
            .post(
                reverse("login"),
                {"username": user.email, "password": "a brand new passphrase"},
                REMOTE_ADDR=address,
            )
            .status_code
        )

    assert log_in("203.0.113.9") == 302
    assert log_in("198.51.100.7") == 429
