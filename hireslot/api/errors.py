"""Every error the API answers is JSON: ``{"detail": "<message>"}``, plus ``errors`` (one
``{"field", "message"}`` per problem) when the input did not validate. Bad input is always
a 4xx; only a fault of ours is a 500."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as ModelValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as InputValidationError

from hireslot.api.auth import RateLimitError
from hireslot.core.errors import HireSlotError, PlanRequiredError
from hireslot.messaging.webhooks import WebhookValidationError
from hireslot.scheduling.errors import RequestClosedError

# Where ninja says a value came from, and the names our operations give their inputs: not
# part of the field a client sent.
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}
_WRAPPERS = {"payload", "filters", "page"}


class InputError(HireSlotError):
    """One input's value is refused (e.g. an id in the body that names nothing)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.field_message = message


def _field(location: tuple[Any, ...] | list[Any]) -> str:
    parts = list(location)
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    if parts and parts[0] in _WRAPPERS:
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


def _message(error: dict[str, Any]) -> str:
    message = str(error.get("msg") or "This value is not valid.")
    # pydantic's "Value error, <ours>" prefix says nothing to a client.
    return message.removeprefix("Value error, ")


def input_errors(errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows = []
    for error in errors:
        field = _field(error.get("loc", ()))
        message = _message(error)
        if not field and error.get("type") == "missing":
            message = "This operation needs a JSON body."
        rows.append({"field": field, "message": message})
    return rows


def errors_install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, data: dict[str, Any], status: int) -> HttpResponse:
        return api.create_response(request, data, status=status)

    @api.exception_handler(InputValidationError)
    def invalid_input(request: HttpRequest, exc: InputValidationError) -> HttpResponse:
        errors = input_errors(list(exc.errors))
        first = errors[0] if errors else {"field": "", "message": "The request is not valid."}
        where = f"{first['field']}: " if first["field"] else ""
        return respond(request, {"detail": f"{where}{first['message']}", "errors": errors}, 400)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            {"detail": "A valid API key is required: send “Authorization: Bearer <key>”."},
            401,
        )
        response["WWW-Authenticate"] = 'Bearer realm="HireSlot API"'
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        message = str(exc)
        if isinstance(exc.__cause__, HireSlotError):  # our JSON reader's own words
            message = exc.__cause__.message
        elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = "The request body is not valid JSON."
        return respond(request, {"detail": message}, exc.status_code)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, {"detail": "Not found."}, 404)

    @api.exception_handler(HireSlotError)
    def refused(request: HttpRequest, exc: HireSlotError) -> HttpResponse:
        if isinstance(exc, WebhookValidationError):
            errors = [{"field": e.field, "message": e.message} for e in exc.errors]
            return respond(request, {"detail": exc.message, "errors": errors}, 400)
        if isinstance(exc, InputError):
            errors = [{"field": exc.field, "message": exc.field_message}]
            return respond(request, {"detail": exc.message, "errors": errors}, 400)
        # A plan without the feature is the organization's state, not this key's rights: 409
        # (403 is kept for what a key may not do).
        # A closed link (410 on the candidate's page) is a conflict with the request's state.
        status = (
            409 if isinstance(exc, (PlanRequiredError, RequestClosedError)) else exc.status_code
        )
        return respond(request, {"detail": exc.message}, status)

    @api.exception_handler(ModelValidationError)
    def invalid_record(request: HttpRequest, exc: ModelValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": "" if field == "__all__" else field, "message": message}
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": "", "message": message} for message in exc.messages]
        first = errors[0]
        where = f"{first['field']}: " if first["field"] else ""
        return respond(request, {"detail": f"{where}{first['message']}", "errors": errors}, 400)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_away(request: HttpRequest, exc: Exception) -> HttpResponse:
        # An outage, not the client's fault: try again soon (as core.views.server_error).
        response = respond(
            request, {"detail": "HireSlot cannot reach its database; try again shortly."}, 503
        )
        response["Retry-After"] = "30"
        return response

    @api.exception_handler(RateLimitError)
    def rate_limited(request: HttpRequest, exc: RateLimitError) -> HttpResponse:
        response = respond(
            request,
            {"detail": f"Too many requests with this key; try again in {exc.retry_after} s."},
            429,
        )
        response["Retry-After"] = str(exc.retry_after)
        return response
