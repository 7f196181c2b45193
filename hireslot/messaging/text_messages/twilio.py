"""Twilio's Programmable Messaging (REST API 2010-04-01), as Twilio documents it.

Sending: ``POST {HIRESLOT_TWILIO_API_URL}/Accounts/{AccountSid}/Messages.json``, HTTP Basic
auth with the Account SID and Auth Token, a form body of ``To`` (E.164), ``Body`` and either
``From`` (a Twilio number) or ``MessagingServiceSid`` (``MG…``); ``201`` with the message's
``sid``. Errors are JSON ``{"code", "message", "more_info", "status"}``: ``21610`` means the
recipient replied STOP to this sender (never retry, record the opt-out), ``20429`` / HTTP 429
and 5xx are worth retrying, other 4xx are final.

Inbound: Twilio posts the reply form-encoded (``From``, ``To``, ``Body``, ``MessageSid``,
``AccountSid``) and signs it in ``X-Twilio-Signature``: base64 of HMAC-SHA1, keyed with the
Auth Token, over the URL Twilio called followed by every POST parameter's name and value,
sorted by name. The URL is the one configured in Twilio, i.e. ``HIRESLOT_BASE_URL`` plus the
path: behind a proxy the request's own idea of its URL may differ. The answer is empty TwiML.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging

import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

from hireslot.core.remote.errors import TransientProviderError
from hireslot.core.remote.http import http_client, request_send, retry_after_seconds
from hireslot.messaging.text_messages.base import (
    InboundRejectedError,
    InboundText,
    SentText,
    TextMessageBackend,
    TextMessageError,
)

logger = logging.getLogger(__name__)

UNSUBSCRIBED_RECIPIENT = 21610
TOO_MANY_REQUESTS = 20429
SIGNATURE_HEADER = "X-Twilio-Signature"


def twilio_signature(auth_token: str, url: str, params: dict[str, list[str]]) -> str:
    """Twilio's request signature over ``url`` and the POST parameters (each value of a
    repeated parameter, in the order sent)."""
    data = url
    for name in sorted(params):
        for value in params[name]:
            data += name + value
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class TwilioBackend(TextMessageBackend):
    name = "twilio"

    def __init__(self) -> None:
        self.account_sid = settings.HIRESLOT_TWILIO_ACCOUNT_SID
        self.auth_token = settings.HIRESLOT_TWILIO_AUTH_TOKEN
        self.sender = settings.HIRESLOT_TWILIO_FROM
        if not (self.account_sid and self.auth_token and self.sender):
            raise ImproperlyConfigured(
                "Twilio needs HIRESLOT_TWILIO_ACCOUNT_SID, HIRESLOT_TWILIO_AUTH_TOKEN and "
                "HIRESLOT_TWILIO_FROM (a Twilio number in E.164 or a Messaging Service SID)."
            )
        self.api_url = settings.HIRESLOT_TWILIO_API_URL

    def send(self, *, to: str, body: str) -> SentText:
        form = {"To": to, "Body": body}
        if self.sender.startswith("MG"):
            form["MessagingServiceSid"] = self.sender
        else:
            form["From"] = self.sender
        url = f"{self.api_url}/Accounts/{self.account_sid}/Messages.json"
        try:
            with http_client() as client:
                response = request_send(
                    client, "POST", url, data=form, auth=(self.account_sid, self.auth_token)
                )
        except TransientProviderError as error:
            raise TextMessageError(str(error), transient=True) from error
        if response.status_code in (200, 201):
            sid = _json(response).get("sid")
            if not isinstance(sid, str) or not sid:
                raise TextMessageError(
                    "Twilio accepted the message but named no sid.", transient=False
                )
            return SentText(provider_message_id=sid)
        raise _error(response)

    def inbound_read(self, request: HttpRequest) -> InboundText:
        given = request.headers.get(SIGNATURE_HEADER, "")
        url = settings.HIRESLOT_BASE_URL + request.get_full_path()
        params = {name: request.POST.getlist(name) for name in request.POST}
        expected = twilio_signature(self.auth_token, url, params)
        if not given or not hmac.compare_digest(given, expected):
            raise InboundRejectedError("The request is not signed by this Twilio account.")
        if request.POST.get("AccountSid", "") != self.account_sid:
            raise InboundRejectedError("The message is for another Twilio account.")
        return InboundText(
            sender=request.POST.get("From", ""),
            body=request.POST.get("Body", ""),
            provider_message_id=request.POST.get("MessageSid", ""),
        )

    def inbound_answer(self) -> tuple[str, str]:
        # Empty TwiML: Twilio sends its own STOP/START confirmations; we add nothing.
        return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>', "text/xml"


def _json(response: httpx.Response) -> dict[str, object]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error(response: httpx.Response) -> TextMessageError:
    body = _json(response)
    code = body.get("code")
    words = str(body.get("message") or response.text[:300] or response.reason_phrase)
    message = f"Twilio answered {response.status_code} (error {code}): {words}"
    status = response.status_code
    if code == UNSUBSCRIBED_RECIPIENT:
        return TextMessageError(message, transient=False, opted_out=True)
    if status == 429 or code == TOO_MANY_REQUESTS or status >= 500:
        return TextMessageError(message, transient=True, retry_after=retry_after_seconds(response))
    if status == 401:
        # The installation's credentials, not the message: retried, so fixing the settings
        # lets the queued messages go; the log says what to fix.
        logger.error("Twilio refused HireSlot's credentials: %s", message)
        return TextMessageError(message, transient=True)
    return TextMessageError(message, transient=False)
