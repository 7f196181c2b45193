"""A new member is invited by email and chooses their password through a one-time link."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import Message
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import Membership, Organization, Role, User
from hireslot.messaging.models import OutgoingEmail
from tests.factories import MembershipFactory, OrganizationFactory
from tests.smtp import RecordingHandler, smtp_server

# The worker closes connections it finds inside a transaction, so these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)

START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def smtp(settings: Any) -> Iterator[RecordingHandler]:
    yield from smtp_server(settings)


@pytest.fixture
def traveller() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def admin_client(traveller: object) -> Client:
    organization = OrganizationFactory(name="Acme Robotics", slug="acme")
    admin = MembershipFactory(organization=organization, role=Role.ADMIN)
    client = Client()
    client.force_login(admin.user)
    return client


def run_worker() -> None:
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, verbosity=0)


def invite(client: Client, email: str = "grace@example.com") -> Any:
    return client.post(
        reverse("web:member-invite"),
        {"email": email, "full_name": "Grace Hopper", "role": Role.INTERVIEWER},
    )


def link_in(message: Message) -> str:
    body = message.get_payload(decode=True).decode()
    found = re.search(r"http://127\.0\.0\.1:8000(/accounts/invite/\S+)", body)
    assert found, body
    return found.group(1)


def accept(link: str, password: str = NEW_PASSWORD) -> tuple[Client, Any]:
    client = Client()
    form_page = client.get(link, follow=True)
    assert "Welcome to HireSlot" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": password, "new_password2": password},
        follow=True,
    )
    return client, done


def test_an_invited_member_sets_a_password_through_the_emailed_link_and_is_logged_in(
    admin_client: Client, smtp: RecordingHandler
) -> None:
    response = invite(admin_client)
    assert response.status_code == 302
    user = User.objects.get(email="grace@example.com")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == Role.INTERVIEWER

    run_worker()

    (message,) = smtp.messages
    assert message["To"] == "grace@example.com"
    assert message["Subject"] == "You are invited to Acme Robotics on HireSlot"
    link = link_in(message)
    email = OutgoingEmail.objects.get(kind="member_invite")
    assert email.status == OutgoingEmail.Status.SENT

    client, done = accept(link)

    assert done.redirect_chain[-1][0] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(user.pk)
    assert "Welcome, Grace" in done.content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    again = Client().get(link, follow=True)
    assert again.status_code == 410
    assert "This invitation link no longer works" in again.content.decode()
    assert Client().login(username="grace@example.com", password=NEW_PASSWORD)


def test_an_expired_invitation_link_shows_a_clear_page(
    admin_client: Client, smtp: RecordingHandler, traveller: time_machine.Coordinates
) -> None:
    invite(admin_client)
    run_worker()
    link = link_in(smtp.messages[0])

    traveller.shift(timedelta(days=7, minutes=1))
    response = Client().get(link, follow=True)

    assert response.status_code == 410
    page = response.content.decode()
    assert "This invitation link no longer works" in page
    assert "invitation links work for 7 days" in page
    assert "ask an administrator" in page.lower()


def test_a_reset_token_is_not_an_invitation(admin_client: Client, smtp: RecordingHandler) -> None:
    invite(admin_client)
    run_worker()
    link = link_in(smtp.messages[0])
    uid, token = link.split("/")[3:5]
    from django.contrib.auth.tokens import default_token_generator

    user = User.objects.get(email="grace@example.com")
    reset_token = default_token_generator.make_token(user)

    forged = Client().get(f"/accounts/invite/{uid}/{reset_token}/", follow=True)

    assert token != reset_token
    assert forged.status_code == 410


def test_an_admin_resends_an_invitation_from_the_members_list(
    admin_client: Client, smtp: RecordingHandler
) -> None:
    invite(admin_client)
    membership = Membership.objects.get(user__email="grace@example.com")
    page = admin_client.get(reverse("web:settings")).content.decode()
    assert "Invited, no password yet" in page
    resend_url = reverse("web:member-invite-resend", args=[membership.pk])
    assert resend_url in page

    response = admin_client.post(resend_url)
    run_worker()

    assert response.status_code == 302
    assert [m["To"] for m in smtp.messages] == ["grace@example.com"] * 2
    # Whichever link is used first, the other stops working with it.
    first, second = (link_in(m) for m in smtp.messages)
    accept(second)
    assert Client().get(first, follow=True).status_code == 410


def test_no_invitation_for_someone_who_already_has_a_password(
    admin_client: Client, smtp: RecordingHandler
) -> None:
    invite(admin_client)
    run_worker()
    accept(link_in(smtp.messages[0]))
    membership = Membership.objects.get(user__email="grace@example.com")

    response = admin_client.post(reverse("web:member-invite-resend", args=[membership.pk]))

    assert response.status_code == 400
    assert "has already chosen a password" in response.content.decode()
    assert OutgoingEmail.objects.filter(kind="member_invite").count() == 1


def test_inviting_an_existing_address_or_a_bad_one_is_refused_with_a_message(
    admin_client: Client,
) -> None:
    invite(admin_client)

    twice = invite(admin_client, "Grace@Example.com")
    malformed = invite(admin_client, "not an address")

    assert twice.status_code == 400
    assert "already has an account" in twice.content.decode()
    assert malformed.status_code == 400
    assert "Enter a valid email address." in malformed.content.decode()
    assert User.objects.filter(email__iexact="grace@example.com").count() == 1


def test_only_admins_invite(traveller: object, organization: Organization) -> None:
    recruiter = MembershipFactory(organization=organization, role=Role.RECRUITER)
    client = Client()
    client.force_login(recruiter.user)

    response = invite(client)

    assert response.status_code == 403
    assert not User.objects.filter(email="grace@example.com").exists()
    assert "Invite a member" not in client.get(reverse("web:settings")).content.decode()


def test_an_admin_resends_another_organizations_member_gets_404(admin_client: Client) -> None:
    elsewhere = MembershipFactory(role=Role.INTERVIEWER)

    response = admin_client.post(reverse("web:member-invite-resend", args=[elsewhere.pk]))

    assert response.status_code == 404


def test_the_django_admin_sends_invitations_too(
    smtp: RecordingHandler, traveller: object, organization: Organization
) -> None:
    staff = User.objects.create_superuser("root@example.com", "pw-not-used-123")
    invited = Membership.objects.create(
        organization=organization,
        user=User.objects.create_user("grace@example.com", None),
        role=Role.INTERVIEWER,
    )
    client = Client()
    client.force_login(staff)

    response = client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "invitation_send", "_selected_action": [str(invited.pk)]},
    )
    run_worker()

    assert response.status_code == 302
    (message,) = smtp.messages
    client, done = accept(link_in(message))
    assert done.redirect_chain[-1][0] == reverse("web:home")
