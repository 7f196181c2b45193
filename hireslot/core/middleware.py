"""Middleware of every request: the browser-side security headers and the session's lifetime.

Security headers:

- ``Content-Security-Policy``: scripts only from our own static files (no inline script, no
  ``eval``: htmx runs with ``allowEval`` off), styles from our files plus the one ``<style>``
  per page that carries the organization's accent colour, marked with this request's nonce
  (``request.csp_nonce``); forms may post only to us, and to the OAuth sign-in pages a
  "Connect" button redirects to.
- ``Cache-Control: no-store`` on every candidate page (``/s/...``: the link is the credential)
  and on every response to someone with a session (signed-in pages are full of candidate
  data), unless the view declared its answer public (an organization's logo).
- ``Permissions-Policy``: no camera, microphone, location or other device access for anyone.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from hireslot.core import clock

CANDIDATE_PREFIX = "/s/"

PERMISSIONS_POLICY = ", ".join(
    (
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "usb=()",
        "fullscreen=(self)",
        "clipboard-write=(self)",  # "Copy link"
    )
)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def content_security_policy(nonce: str) -> str:
    sign_in_pages = sorted(
        {
            origin
            for origin in (
                _origin(settings.HIRESLOT_GOOGLE_AUTH_URL),
                _origin(settings.HIRESLOT_MICROSOFT_LOGIN_URL),
                _origin(settings.HIRESLOT_ZOOM_AUTH_URL),
            )
            if origin
        }
    )
    return "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            f"style-src 'self' 'nonce-{nonce}'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            " ".join(("form-action 'self'", *sign_in_pages)),
        )
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request_any: Any = request
        request_any.csp_nonce = nonce
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", content_security_policy(nonce))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if self._private(request) and "public" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _private(request: HttpRequest) -> bool:
        # Whoever holds a session may be signed in: decided from the cookie alone, so this
        # needs no database (it also runs on the outage page).
        return request.path.startswith(CANDIDATE_PREFIX) or bool(
            request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        )


SESSION_TIMES = "hireslot_session_times"
SEEN_PRECISION_SECONDS = 60  # last activity is saved at most once a minute, not per request


def session_lifetime_start(*, request: HttpRequest, **_: Any) -> None:
    """On login (``user_logged_in``): a fresh session lifetime starts now."""
    now = clock.now().timestamp()
    request.session[SESSION_TIMES] = {"login": now, "seen": now}


class SessionLifetimeMiddleware:
    """Ends a signed-in session ``HIRESLOT_SESSION_MAX_HOURS`` after login and after
    ``HIRESLOT_SESSION_IDLE_MINUTES`` without a request, on the server (a copied cookie is
    worth no more than the session it came from).

    The session keeps when it was signed in (set at login, see ``session_lifetime_start``;
    a session from before this existed starts counting now) and when it was last used.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = clock.now().timestamp()
        times = session.get(SESSION_TIMES)
        if not isinstance(times, dict):
            session[SESSION_TIMES] = {"login": now, "seen": now}
            return
        too_old = now - float(times["login"]) > settings.HIRESLOT_SESSION_MAX_HOURS * 3600
        idle = now - float(times["seen"]) > settings.HIRESLOT_SESSION_IDLE_MINUTES * 60
        if too_old or idle:
            logout(request)
            messages.info(
                request,
                "You were signed out after "
                + (
                    f"{settings.HIRESLOT_SESSION_MAX_HOURS:g} hours"
                    if too_old
                    else f"{settings.HIRESLOT_SESSION_IDLE_MINUTES:g} minutes without activity"
                )
                + ". Please log in again.",
            )
            return
        if now - float(times["seen"]) >= SEEN_PRECISION_SECONDS:
            session[SESSION_TIMES] = {**times, "seen": now}
