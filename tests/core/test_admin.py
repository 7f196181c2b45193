"""Every business model is registered in the admin, and its pages open."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import User

pytestmark = pytest.mark.django_db

OUR_APPS = ("accounts", "recruiting", "messaging", "calendars", "conferencing", "scheduling")


def test_every_model_of_ours_is_registered() -> None:
    ours = [m for label in OUR_APPS for m in apps.get_app_config(label).get_models()]

    assert [m.__name__ for m in ours if m not in admin.site._registry] == []


def test_admin_list_and_add_pages_open(client: Client) -> None:
    client.force_login(User.objects.create_superuser("root@example.com", "pw-not-used-123"))
    ours = [m for label in OUR_APPS for m in apps.get_app_config(label).get_models()]

    for model in ours:
        meta = model._meta
        for page in ("changelist", "add"):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{page}")
            assert client.get(url).status_code == 200, url


def test_admin_creates_a_user_with_an_email_login(client: Client) -> None:
    client.force_login(User.objects.create_superuser("root@example.com", "pw-not-used-123"))

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Person@Example.com",
            "full_name": "New Person",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Client().login(username="new.person@example.com", password="a long enough passphrase")
