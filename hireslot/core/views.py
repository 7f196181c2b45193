"""The pages Django shows when a request fails: a database that cannot be reached is a 503
("try again shortly", with Retry-After), anything else a 500; JSON for JSON clients.

Both render without the request (no context processor, no session, no user): during an outage
anything that reads the database would fail again.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _

from hireslot.core.error_pages import (
    SERVER_ERROR,
    UNAVAILABLE,
    error_page_render,
    page_language,
)

RETRY_AFTER_SECONDS = 30


def database_unreachable(error: BaseException | None) -> bool:
    """Whether ``error`` means the database is down or the connection was lost (transient),
    as opposed to a fault in a query."""
    return isinstance(error, OperationalError | InterfaceError)


def wants_json(request: HttpRequest) -> bool:
    """JSON clients: the candidate's slots, the API, webhooks, anyone who posted JSON or asks
    for JSON rather than a page."""
    path = request.path
    if path == "/healthz" or path.startswith(("/api/", "/hooks/")):
        return True
    if path.startswith("/s/") and path.endswith("/slots"):
        return True
    if request.content_type == "application/json":
        return True
    accept = request.headers.get("Accept", "")
    return "application/json" in accept and "text/html" not in accept


def json_error(request: HttpRequest, message: str) -> dict[str, object]:
    """An error's JSON body: ``{"detail": …}`` under /api/ (the REST API's shape, docs/api.md),
    ``{"error": …}`` elsewhere."""
    return {"detail" if request.path.startswith("/api/") else "error": message}


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: called while the failing exception is being handled. Nothing here may
    fail again: no database, no session, no organization; a candidate (under /s/) reads it in
    their browser's language."""
    unavailable = database_unreachable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    text = UNAVAILABLE if unavailable else SERVER_ERROR
    response: HttpResponse
    if wants_json(request):
        payload = json_error(request, str(text.message))
        if unavailable:
            payload.update(status="unavailable", retry_after=RETRY_AFTER_SECONDS)
        response = JsonResponse(payload, status=status)
    else:
        response = error_page_render(
            request,
            status=status,
            text=text,
            language=page_language(request),
            detail=_(
                "Please try again in a minute: this page will work again as soon as we are "
                "back. Nothing you did was lost."
            )
            if unavailable
            else "",
        )
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
