"""Secrets at rest: stored encrypted, readable after a key rotation, never a crash."""

from __future__ import annotations

from uuid import UUID

import pytest
from django.db import connection
from django.test import override_settings

from hireslot.calendars.models import CalendarConnection
from hireslot.core.encryption import DecryptionError, secret_decrypt, secret_encrypt
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _stored(pk: UUID) -> str:
    """The column as the database holds it (SQLite keeps UUIDs as hex)."""
    key = pk.hex if connection.vendor == "sqlite" else pk
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials FROM calendars_calendarconnection WHERE id = %s", [key])
        return str(cursor.fetchone()[0])


def test_tokens_are_not_readable_in_the_database_but_are_in_the_app() -> None:
    saved = CalendarConnection.objects.create(
        user=UserFactory(),
        provider="google",
        account="nora@example.com",
        credentials={"refresh_token": "1//very-secret"},
    )

    assert "very-secret" not in _stored(saved.pk)
    assert CalendarConnection.objects.get(pk=saved.pk).credentials == {
        "refresh_token": "1//very-secret"
    }


def test_values_stay_readable_after_the_key_moves_to_the_fallbacks() -> None:
    with override_settings(SECRET_KEY="old-key-" + "x" * 50):
        token = secret_encrypt("hunter2")
    with override_settings(
        SECRET_KEY="new-key-" + "y" * 50, SECRET_KEY_FALLBACKS=["old-key-" + "x" * 50]
    ):
        assert secret_decrypt(token) == "hunter2"
    with (
        override_settings(SECRET_KEY="new-key-" + "y" * 50, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(DecryptionError, match="Reconnect"),
    ):
        secret_decrypt(token)


def test_a_row_whose_key_is_gone_reads_as_no_credentials() -> None:
    with override_settings(SECRET_KEY="gone-" + "z" * 50):
        saved = CalendarConnection.objects.create(
            user=UserFactory(), provider="caldav", account="me", credentials={"password": "p"}
        )

    assert CalendarConnection.objects.get(pk=saved.pk).credentials == {}
