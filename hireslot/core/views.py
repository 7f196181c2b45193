"""The pages Django shows when a request fails: a database that cannot be reached is a 503
("try again shortly", with Retry-After), anything else a 500; JSON for JSON clients.

Both render without the request (no context processor, no session, no user): during an outage
anything that reads the database would fail again.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (
    "HireSlot is briefly unavailable",
    "We cannot reach our database right now. Please try again in a minute.",
)
FAILED = (
    "Something went wrong",
    "Something went wrong on our side, and we have been told. Please try again later.",
)


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


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: called while the failing exception is being handled."""
    unavailable = database_unreachable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    title, message = UNAVAILABLE if unavailable else FAILED
    response: HttpResponse
    if wants_json(request):
        payload: dict[str, object] = {"error": message}
        if unavailable:
            payload.update(status="unavailable", retry_after=RETRY_AFTER_SECONDS)
        response = JsonResponse(payload, status=status)
    else:
        html = loader.get_template("core/error.html").render(
            {
                "title": title,
                "message": message,
                "retry_after": RETRY_AFTER_SECONDS if unavailable else None,
            }
        )
        response = HttpResponse(html, status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
