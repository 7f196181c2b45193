"""The webhook the calendar providers call: answer at once, check the secret, sync later.

No session, no CSRF (the providers are not browsers); each URL names its provider and
connection, and each notification must carry that connection's secret (Google's channel
token, Graph's clientState), checked in constant time by the adapter
(``ConnectedCalendarProvider.push_receive``). An address check (Graph's validation token) is
echoed only for a connection whose channel is being created right now, and only when it looks
like one of the service's (bounded length, plain characters).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hireslot.calendars.models import CalendarConnection, ConnectionStatus
from hireslot.calendars.providers.base import PushCall
from hireslot.calendars.push import push_receive
from hireslot.core.request_input import BadInputError, json_object_read

# Graph batches notifications: a body may hold many, each about a kilobyte.
PUSH_BODY_MAX_BYTES = 1024 * 1024


def _connection(provider: str, connection_id: str) -> CalendarConnection | None:
    try:
        return CalendarConnection.objects.select_related("organization").get(
            pk=connection_id, provider=provider, status=ConnectionStatus.ACTIVE
        )
    except (CalendarConnection.DoesNotExist, ValueError, ValidationError):
        return None


@csrf_exempt
@require_POST
def push_hook(request: HttpRequest, provider: str, connection_id: str) -> HttpResponse:
    row = _connection(provider, connection_id)
    if row is None:
        # Unknown, removed or another provider's: a forged call learns nothing.
        return HttpResponse(status=404)
    call = PushCall(
        headers=request.headers,
        query=request.GET,
        read_json=lambda: json_object_read(request, max_bytes=PUSH_BODY_MAX_BYTES),
    )
    try:
        answer = push_receive(row=row, call=call)
    except BadInputError as error:
        return HttpResponse(error.message, content_type="text/plain", status=400)
    if answer.echo is not None:
        return HttpResponse(answer.echo, content_type="text/plain; charset=utf-8", status=200)
    return HttpResponse(status=answer.status)
