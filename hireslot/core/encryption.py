"""Secrets at rest (OAuth tokens, CalDAV passwords, client secrets): encrypted with a key
derived from SECRET_KEY, so a copy of the database alone reveals none of them.

Fernet (AES-128-CBC + HMAC-SHA256). Keys come from ``SECRET_KEY`` and ``SECRET_KEY_FALLBACKS``
through HKDF, newest first: rotating SECRET_KEY keeps old values readable while the old key
stays in the fallbacks, and values are re-encrypted with the new key when next saved.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models


def _key(secret: str) -> bytes:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"hireslot-field-encryption", info=b"v1"
    ).derive(secret.encode())
    return base64.urlsafe_b64encode(derived)


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_key(secret)) for secret in secrets])


class DecryptionError(Exception):
    """The value was encrypted with a key that is no longer configured."""


def secret_encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode("ascii")


def secret_decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        raise DecryptionError(
            "A stored secret cannot be decrypted: SECRET_KEY changed and the old key is not "
            "in SECRET_KEY_FALLBACKS. Reconnect the account."
        ) from error


class EncryptedJSONField(models.TextField):  # type: ignore[type-arg]
    """A JSON value stored encrypted. Not searchable, by design."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return {}
        try:
            return json.loads(secret_decrypt(value))
        except DecryptionError:
            # An unreadable secret behaves as no secret: the connection then asks the person
            # to reconnect instead of failing every page that loads the row.
            return {}

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return {}
        return value if value is not None else {}

    def get_prep_value(self, value: Any) -> str:
        return secret_encrypt(json.dumps(value if value is not None else {}, sort_keys=True))
