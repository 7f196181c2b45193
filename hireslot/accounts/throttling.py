"""Login throttling: the glue between django-axes and HireSlot (decision 0008).

Axes counts failed logins in the database (so every web process sees the same counts, with
nothing else to run) per account and per client address, and refuses further attempts for a
cool-off period once either reaches the limit. Both logins (ours and /admin/) go through
``django.contrib.auth.authenticate``, where the backend below checks the counts.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hireslot.core import clock


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses logins while the account or the client address is locked out.

    Only logins made through a web request are throttled: code that authenticates without
    one (the test client, a shell) has no client address to count against.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def client_address(request: HttpRequest) -> str:
    """The address the request came from: behind ``HIRESLOT_TRUSTED_PROXY_COUNT`` reverse
    proxies, the one the outermost proxy saw (it appends it to X-Forwarded-For). Entries a
    client wrote itself are further left and never read, so they cannot be forged."""
    remote = str(request.META.get("REMOTE_ADDR") or "")
    proxies = settings.HIRESLOT_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    try:
        # A miscounted setting could reach a client-written entry: only ever an address.
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The account a login attempt names, as it is stored (addresses are lowercased), so
    ``Ada@x`` and ``ada@x`` count against one account."""
    raw = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if raw is None:
        raw = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    if raw is None:
        return None
    return str(raw).strip().lower()[:254]


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown instead of the login form while logging in is paused: 429 with the
    time it ends, for our login and the admin's alike."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    # Attempts during a pause are not counted, so it ends one cool-off after the last
    # counted failure of the account or the address.
    last = AccessAttempt.objects.filter(
        Q(username=login_username(request, credentials)) | Q(ip_address=client_address(request))
    ).aggregate(last=Max("attempt_time"))["last"]
    return render(
        request,
        "registration/login_locked.html",
        {
            "minutes": int(cool_off.total_seconds() // 60),
            "until": (last or clock.now()) + cool_off,
        },
        status=429,
    )


def login_failures_forget(*, email: str) -> None:
    """Forget an account's failed logins: its owner just proved they read its mailbox (a
    password reset), so a pause someone else caused should not keep them out. Pauses of the
    addresses the failures came from stay: the rows keep counting for their address, no
    longer for the account."""
    AccessAttempt.objects.filter(username=email.strip().lower()).update(username=None)
