"""Logging in with an email address and logging out (resetting a password: test_password_reset)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import Membership


def test_login_with_email_and_password_lands_on_home(client: Client, recruiter: Membership) -> None:
    response = client.post(
        reverse("login"),
        {"username": recruiter.user.email.upper(), "password": "correct horse battery"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("web:home")
    assert f"Welcome, {recruiter.user.get_short_name()}" in response.content.decode()


def test_wrong_password_shows_an_error_not_a_crash(client: Client, recruiter: Membership) -> None:
    response = client.post(reverse("login"), {"username": recruiter.user.email, "password": "nope"})

    assert response.status_code == 200
    assert "enter a correct email and password" in response.content.decode().lower()


def test_pages_require_login(client: Client) -> None:
    response = client.get(reverse("web:candidate-list"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_ends_the_session(recruiter_client: Client) -> None:
    response = recruiter_client.post(reverse("logout"))

    assert response.status_code == 302
    assert recruiter_client.get(reverse("web:home")).status_code == 302


def test_signed_in_user_without_organization_is_told_so(client: Client, db: None) -> None:
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    response = client.get(reverse("web:home"))

    assert response.status_code == 403
    assert "not in an organization" in response.content.decode()
