"""Settings → API keys: admins make a key (shown once), see when keys were last used, and
revoke one after confirming; nobody else gets the page."""

from __future__ import annotations

import re

from django.test import Client

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from hireslot.api.models import ApiKey
from tests.scheduling.conftest import Company, person


def admin_client(company: Company) -> Client:
    admin = person("ada.admin@acme.example", "Ada Admin", "UTC")
    membership_add(user=admin, organization=company.organization, role=Role.ADMIN)
    client = Client()
    client.force_login(admin)
    return client


def test_an_admin_makes_a_key_that_is_shown_once_and_works(company: Company) -> None:
    client = admin_client(company)

    made = client.post("/settings/api-keys/", {"name": "Greenhouse", "read_only": "on"})

    assert made.status_code == 201
    (secret,) = re.findall(r'value="(hs_live_[A-Za-z0-9_-]{43})"', made.content.decode())
    assert client.get("/settings/api-keys/").content.decode().count(secret) == 0
    key = ApiKey.objects.get()
    assert (key.name, key.read_only, key.created_by.email) == (  # type: ignore[union-attr]
        "Greenhouse",
        True,
        "ada.admin@acme.example",
    )
    api = Client().get("/api/v1/jobs", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200
    assert "Never" not in client.get("/settings/api-keys/").content.decode()


def test_revoking_asks_first_then_the_key_stops_working(company: Company) -> None:
    client = admin_client(company)
    made = client.post("/settings/api-keys/", {"name": "Script"})
    (secret,) = re.findall(r'value="(hs_live_[A-Za-z0-9_-]{43})"', made.content.decode())
    key = ApiKey.objects.get()

    confirm = client.get(f"/settings/api-keys/{key.pk}/revoke/")
    assert confirm.status_code == 200
    assert "This cannot be undone" in confirm.content.decode()
    ApiKey.objects.get(revoked_at__isnull=True)

    revoked = client.post(f"/settings/api-keys/{key.pk}/revoke/")

    assert revoked.status_code == 302
    assert (
        Client().get("/api/v1/jobs", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_a_key_needs_a_name(company: Company) -> None:
    response = admin_client(company).post("/settings/api-keys/", {"name": ""})

    assert response.status_code == 400
    assert not ApiKey.objects.exists()


def test_recruiters_do_not_get_the_page(company: Company) -> None:
    client = Client()
    client.force_login(company.recruiter)

    assert client.get("/settings/api-keys/").status_code == 403
    assert client.post("/settings/api-keys/", {"name": "x"}).status_code == 403
    assert not ApiKey.objects.exists()
