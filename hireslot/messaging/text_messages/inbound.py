"""The provider's inbound webhook: replies to the installation's number (STOP, START)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hireslot.messaging.text_messages.base import (
    InboundRejectedError,
    TextMessagesOffError,
    text_message_backend,
)
from hireslot.messaging.text_messages.services import text_inbound_handle


@csrf_exempt  # The provider cannot hold a CSRF token; its signature is checked instead.
@require_POST
def text_message_inbound(request: HttpRequest) -> HttpResponse:
    try:
        backend = text_message_backend()
    except TextMessagesOffError:
        return HttpResponse("Text messages are off here.", status=404, content_type="text/plain")
    try:
        inbound = backend.inbound_read(request)
    except InboundRejectedError as error:
        return HttpResponse(str(error), status=403, content_type="text/plain")
    text_inbound_handle(inbound=inbound)
    body, content_type = backend.inbound_answer()
    return HttpResponse(body, content_type=content_type)
