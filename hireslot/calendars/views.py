"""Webhooks the calendar providers call: answer at once, check the secret, sync later.

No session, no CSRF (the providers are not browsers); each URL names its connection and each
notification must carry that connection's secret (Google's channel token, Graph's
clientState), checked in constant time by the adapter. Graph's validation token is echoed
only for a connection whose subscription is being created right now, and only when it looks
like one of Graph's (bounded length, plain characters).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hireslot.calendars.connections import connection_view
from hireslot.calendars.models import CalendarConnection, ConnectionStatus
from hireslot.calendars.push import push_awaiting_validation
from hireslot.core.request_input import BadInputError, json_object_read
from hireslot.core.work import work_enqueue

# Graph batches notifications: a body may hold many, each about a kilobyte.
GRAPH_NOTIFICATION_MAX_BYTES = 1024 * 1024


def _connection(provider: str, connection_id: str) -> CalendarConnection | None:
    try:
        return CalendarConnection.objects.select_related("organization").get(
            pk=connection_id, provider=provider, status=ConnectionStatus.ACTIVE
        )
    except (CalendarConnection.DoesNotExist, ValueError, Exception):
        return None


@csrf_exempt
@require_POST
def google_hook(request: HttpRequest, connection_id: str) -> HttpResponse:
    from hireslot.calendars.providers.google import google_notification_accept

    row = _connection("google", connection_id)
    if row is None or not google_notification_accept(request.headers, connection_view(row)):
        # Google stops a channel nobody acknowledges; a forged call learns nothing.
        return HttpResponse(status=404)
    if request.headers.get("X-Goog-Resource-State") != "sync":
        work_enqueue("calendar_connection_push_sync", connection_id=str(row.pk))
    return HttpResponse(status=200)


@csrf_exempt
@require_POST
def microsoft_hook(request: HttpRequest, connection_id: str) -> HttpResponse:
    from hireslot.calendars.providers.microsoft import (
        microsoft_notification_accept,
        microsoft_validation_response,
    )

    if "validationToken" in request.GET:
        # Graph checks the address when subscribing: echo its token as plain text.
        token = microsoft_validation_response(request.GET)
        if token is None or not push_awaiting_validation(
            provider="microsoft", connection_id=connection_id
        ):
            return HttpResponse(status=404)
        return HttpResponse(token, content_type="text/plain; charset=utf-8", status=200)
    row = _connection("microsoft", connection_id)
    try:
        body = json_object_read(request, max_bytes=GRAPH_NOTIFICATION_MAX_BYTES)
    except BadInputError as error:
        return HttpResponse(error.message, content_type="text/plain", status=400)
    if row is None or not microsoft_notification_accept(body, connection_view(row)):
        return HttpResponse(status=404)
    work_enqueue("calendar_connection_push_sync", connection_id=str(row.pk))
    return HttpResponse(status=202)
