"""Invitation links: how a new member, created without a password, chooses one.

The token is Django's password-reset token (an HMAC over the user's id, password hash, last
login and address, plus a timestamp) under its own salt and lifetime: it stops working once
used (setting the password changes the hash, logging in changes the last login), when the
password changes any other way, or after ``HIRESLOT_INVITE_DAYS``. Nothing is stored.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

from hireslot.accounts.models import User
from hireslot.core import clock


class InviteTokenGenerator(PasswordResetTokenGenerator):
    # A reset token is not an invitation token and vice versa.
    key_salt = "hireslot.accounts.invites.InviteTokenGenerator"

    def _now(self) -> datetime:
        return clock.now().replace(tzinfo=None)

    def check_token(self, user: AbstractBaseUser | None, token: str | None) -> bool:
        # Django's check reads PASSWORD_RESET_TIMEOUT (hours); invitations last days.
        if not isinstance(user, User) or not token:
            return False
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in secrets
        ):
            return False
        age = self._num_seconds(self._now()) - ts
        return 0 <= age <= settings.HIRESLOT_INVITE_DAYS * 24 * 60 * 60


invite_token_generator = InviteTokenGenerator()


def invite_url(*, user: User) -> str:
    """The absolute set-password link for ``user`` (always on HIRESLOT_BASE_URL)."""
    path = reverse(
        "invite_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": invite_token_generator.make_token(user),
        },
    )
    return f"{settings.HIRESLOT_BASE_URL}{path}"
