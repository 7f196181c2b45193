"""Admins set the logo, accent colour and sender name on the organization page; everyone
else sees them, and cannot change them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from hireslot.accounts.models import Membership, Organization, Role
from tests.factories import MembershipFactory

BRAND_URL = reverse("web:organization-brand")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin_client(client: Client, organization: Organization) -> Client:
    admin = MembershipFactory(organization=organization, role=Role.ADMIN)
    client.force_login(admin.user)
    return client


def png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (30, 10), (10, 90, 200)).save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def post(client: Client, **fields: Any) -> Any:
    data = {"accent_color": "#2563eb", "accent_picker": "#2563eb", "sender_name": "", **fields}
    return client.post(BRAND_URL, data)


def test_an_admin_sees_the_brand_form_with_a_preview(admin_client: Client) -> None:
    body = admin_client.get(reverse("web:settings")).content.decode()

    assert 'enctype="multipart/form-data"' in body
    assert 'type="color"' in body and 'name="accent_color"' in body
    assert 'id="brand-preview"' in body
    assert "with white text, contrast 5.17:1" in body


def test_an_admin_saves_logo_colour_and_sender_name(
    admin_client: Client, organization: Organization
) -> None:
    response = post(
        admin_client, accent_color="#FFD400", sender_name="Acme Talent Team", logo=png()
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.accent_color == "#ffd400"
    assert organization.scheduling_sender_name == "Acme Talent Team"
    assert organization.logo
    page = admin_client.get(reverse("web:settings")).content.decode()
    assert "The organization&#x27;s brand is saved." in page
    assert 'alt="Logo of Acme"' in page
    assert "with dark text" in page
    assert admin_client.get(reverse("web:organization-logo", args=["acme"])).status_code == 200


def test_the_picker_counts_when_the_hex_box_was_left_as_it_was(
    admin_client: Client, organization: Organization
) -> None:
    post(admin_client, accent_color=organization.accent_color, accent_picker="#0f766e")

    organization.refresh_from_db()
    assert organization.accent_color == "#0f766e"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"accent_color": "#777777"}, "too hard to read text on"),
        ({"accent_color": "navy"}, "Use a colour like #2563eb"),
        ({"logo": SimpleUploadedFile("logo.png", b"not a picture")}, "not an image we can read"),
        ({"logo": SimpleUploadedFile("l.svg", b"<svg/>")}, "SVG logos are not accepted"),
        ({"sender_name": "x" * 121}, "at most 120 characters"),
        ({"sender_name": "Acme\u200bTeam\u202e"}, "Use a single line of text"),
    ],
)
def test_bad_brand_input_is_a_form_error_and_nothing_changes(
    admin_client: Client, organization: Organization, fields: dict[str, Any], message: str
) -> None:
    before = Organization.objects.values().get(pk=organization.pk)

    response = post(admin_client, **{"accent_color": "#000000", **fields})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert Organization.objects.values().get(pk=organization.pk) == before


def test_people_who_are_not_admins_cannot_change_the_brand(
    client: Client, recruiter: Membership, organization: Organization
) -> None:
    client.force_login(recruiter.user)

    page = client.get(reverse("web:settings")).content.decode()
    response = post(client, accent_color="#000000")

    assert 'action="/settings/organization/brand/"' not in page
    assert "An administrator can change the logo" in page
    assert response.status_code == 403
    organization.refresh_from_db()
    assert organization.accent_color == "#2563eb"


def test_recruiter_pages_have_the_favicon(admin_client: Client) -> None:
    body = admin_client.get(reverse("web:settings")).content.decode()

    assert 'rel="icon" href="/static/hireslot/favicon.svg"' in body


def test_a_light_accent_keeps_the_workspace_readable(
    admin_client: Client, organization: Organization
) -> None:
    post(admin_client, accent_color="#ffd400")

    body = admin_client.get(reverse("web:settings")).content.decode()

    assert "--accent: #ffd400; --on-accent: #111827; --accent-link: #111827;" in body


def test_an_admin_sets_the_sender_address_emails_and_invitations_come_from(
    admin_client: Client, organization: Organization
) -> None:
    response = post(admin_client, sender_name="Acme Talent", sender_email="jobs@acme-robotics.com")

    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.scheduling_sender_email == "jobs@acme-robotics.com"
    page = admin_client.get(reverse("web:settings")).content.decode()
    assert "Acme Talent &lt;jobs@acme-robotics.com&gt;" in page
    assert 'value="jobs@acme-robotics.com"' in page


def test_a_sender_address_that_is_not_an_address_is_refused(
    admin_client: Client, organization: Organization
) -> None:
    response = post(admin_client, sender_email="jobs at acme")

    assert response.status_code == 400
    assert "Enter an email address like" in response.content.decode()
    organization.refresh_from_db()
    assert organization.scheduling_sender_email == ""


def test_in_production_a_sender_address_that_cannot_receive_replies_is_refused(
    admin_client: Client, organization: Organization, settings: Any
) -> None:
    settings.PRODUCTION = True

    response = post(admin_client, sender_email="jobs@acme.example")

    assert response.status_code == 400
    assert "jobs@acme.example cannot receive replies" in response.content.decode()
    organization.refresh_from_db()
    assert organization.scheduling_sender_email == ""
