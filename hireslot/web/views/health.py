"""The health check: not a page, an answer for load balancers."""

from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse

from hireslot.core.views import RETRY_AFTER_SECONDS


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`: the process answers and the database is reachable
    (503 while it is not; the next request after it is back answers ok again)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = JsonResponse({"status": "degraded", "database": "unreachable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok"})
