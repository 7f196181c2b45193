"""Logging in with an email address, logging out, and resetting a forgotten password."""

from __future__ import annotations

import re

from django.core import mail
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


def test_password_reset_sends_a_working_link_by_email(
    client: Client, recruiter: Membership, settings: object
) -> None:
    email = recruiter.user.email

    response = client.post(reverse("password_reset"), {"email": email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    assert message.subject == "Reset your HireSlot password"
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/reset/\S+)", message.body)
    assert link, message.body

    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
        follow=True,
    )
    assert "Your password is changed" in done.content.decode()

    client.logout()
    assert client.login(username=email, password="a brand new passphrase")
    assert not client.login(username=email, password="correct horse battery")


def test_password_reset_for_unknown_address_reveals_nothing(client: Client, db: None) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []


def test_signed_in_user_without_organization_is_told_so(client: Client, db: None) -> None:
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    response = client.get(reverse("web:home"))

    assert response.status_code == 403
    assert "not in an organization" in response.content.decode()
