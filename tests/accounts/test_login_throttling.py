"""Guessing passwords: after too many failures an account, or an address, is paused for a
while, on our login and on the admin's; over-long input is a form error, not a crash."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
LOGINS = {"ours": "login", "admin": "admin:login"}


def attempt(client: Client, login: str, email: str, password: str, address: str) -> object:
    return client.post(
        reverse(LOGINS[login]), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def traveller() -> object:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.mark.parametrize("login", ["ours", "admin"])
def test_thirty_wrong_passwords_then_the_right_one_is_refused_with_the_lockout_message(
    login: str, traveller: object
) -> None:
    user = UserFactory(is_staff=True, is_superuser=True)
    client = Client()

    for n in range(30):
        attempt(client, login, user.email, f"wrong {n}", "198.51.100.7")
    response = attempt(client, login, user.email, PASSWORD, "198.51.100.7")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Logging in is paused" in page
    assert "15 minutes" in page
    assert "Try again after 12:15 UTC" in page
    assert not logged_in(client)


@pytest.mark.parametrize("login", ["ours", "admin"])
def test_a_locked_account_does_not_lock_another_account_from_another_address(
    login: str, traveller: object
) -> None:
    victim, bystander = UserFactory(is_staff=True), UserFactory(is_staff=True)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), login, victim.email, f"wrong {n}", "198.51.100.7")

    from_elsewhere = attempt(Client(), login, victim.email, PASSWORD, "203.0.113.9")
    bystander_client = Client()
    other = attempt(bystander_client, login, bystander.email, PASSWORD, "203.0.113.9")

    # The account is paused wherever the attempts come from (guessing from many addresses
    # does not help), and nobody else is.
    assert from_elsewhere.status_code == 429
    assert other.status_code == 302
    assert logged_in(bystander_client)


def test_an_address_guessing_many_accounts_is_paused_and_other_addresses_are_not(
    traveller: object,
) -> None:
    user = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "ours", f"guess{n}@example.com", "password1", "198.51.100.7")

    same_address = attempt(Client(), "ours", user.email, PASSWORD, "198.51.100.7")
    other_client = Client()
    other_address = attempt(other_client, "ours", user.email, PASSWORD, "203.0.113.9")

    assert same_address.status_code == 429
    assert other_address.status_code == 302
    assert logged_in(other_client)


def test_capitalisation_does_not_buy_more_guesses(traveller: object) -> None:
    user = UserFactory(email="ada@example.com")
    for n in range(settings.AXES_FAILURE_LIMIT):
        address = f"198.51.100.{n + 1}"
        attempt(Client(), "ours", "ADA@example.com" if n % 2 else " ada@Example.com", "x", address)

    response = attempt(Client(), "ours", user.email, PASSWORD, "203.0.113.9")

    assert response.status_code == 429


@pytest.mark.parametrize("login", ["ours", "admin"])
def test_the_lockout_lifts_after_its_time(login: str, traveller: time_machine.Coordinates) -> None:
    user = UserFactory(is_staff=True)
    for n in range(30):
        attempt(Client(), login, user.email, f"wrong {n}", "198.51.100.7")

    traveller.shift(timedelta(minutes=14))
    still = attempt(Client(), login, user.email, PASSWORD, "198.51.100.7")
    traveller.shift(timedelta(minutes=16))
    client = Client()
    later = attempt(client, login, user.email, PASSWORD, "198.51.100.7")

    assert still.status_code == 429
    assert later.status_code == 302
    assert logged_in(client)


def test_a_successful_login_clears_earlier_failures(traveller: object) -> None:
    user = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(Client(), "ours", user.email, f"wrong {n}", "198.51.100.7")
    assert attempt(Client(), "ours", user.email, PASSWORD, "198.51.100.7").status_code == 302

    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(Client(), "ours", user.email, f"wrong again {n}", "198.51.100.7")
    client = Client()

    assert attempt(client, "ours", user.email, PASSWORD, "198.51.100.7").status_code == 302


def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(
    settings: object, traveller: object
) -> None:
    settings.HIRESLOT_TRUSTED_PROXY_COUNT = 1  # type: ignore[attr-defined]
    user = UserFactory()
    for n in range(10):
        # The client forges the left part of the header; the proxy appends what it saw.
        Client().post(
            reverse("login"),
            {"username": f"guess{n}@example.com", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7",
        )

    via_same = Client().post(
        reverse("login"),
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    via_other = Client().post(
        reverse("login"),
        {"username": user.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )

    assert via_same.status_code == 429
    assert via_other.status_code == 302


@pytest.mark.parametrize("login", ["ours", "admin"])
def test_a_100000_character_login_name_is_a_form_error(client: Client, login: str) -> None:
    User.objects.create_user("ada@example.com", PASSWORD, is_staff=True)

    response = client.post(reverse(LOGINS[login]), {"username": "a" * 100_000, "password": "x"})

    assert response.status_code == 200
    assert "An email address has at most 254 characters." in response.content.decode()
    assert not logged_in(client)


@pytest.mark.parametrize("login", ["ours", "admin"])
def test_a_huge_password_is_a_form_error(client: Client, login: str) -> None:
    user = User.objects.create_user("ada@example.com", PASSWORD, is_staff=True)

    response = client.post(
        reverse(LOGINS[login]), {"username": user.email, "password": "p" * 1_000_000}
    )

    assert response.status_code == 200
    assert "A password has at most 4096 characters." in response.content.decode()


def test_a_forged_forwarded_header_that_is_no_address_counts_against_the_connection(
    settings: object, traveller: object
) -> None:
    settings.HIRESLOT_TRUSTED_PROXY_COUNT = 2  # type: ignore[attr-defined]
    user = UserFactory()

    response = Client().post(
        reverse("login"),
        {"username": user.email, "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="'; drop table, 198.51.100.7",
    )

    assert response.status_code == 200
    assert "enter a correct email and password" in response.content.decode().lower()


def test_trying_again_during_the_pause_does_not_make_it_longer(
    traveller: time_machine.Coordinates,
) -> None:
    user = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(Client(), "ours", user.email, f"wrong {n}", "198.51.100.7")

    traveller.shift(timedelta(minutes=10))
    during = attempt(Client(), "ours", user.email, PASSWORD, "198.51.100.7")
    traveller.shift(timedelta(minutes=6))
    after = attempt(Client(), "ours", user.email, PASSWORD, "198.51.100.7")

    assert during.status_code == 429
    assert "Try again after 12:15 UTC" in during.content.decode()
    assert after.status_code == 302
