"""Django's handlers for 400, 403 and 404 (the 500 handler is ``core.views.server_error``,
which must not touch the database).

Under /s/<token> the reader is a candidate: the page is in their language (the one the
recruiter set for them, else their browser's) and, when the token is a real link, in their
organization's brand. Elsewhere the reader is on the team's (English) workspace. JSON
clients get JSON, as from every other error.
"""

from __future__ import annotations

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from hireslot.accounts.branding import Brand, brand_of
from hireslot.core.error_pages import (
    BAD_REQUEST,
    CSRF_FAILED,
    FORBIDDEN,
    LINK_NOT_FOUND,
    NOT_FOUND,
    ErrorText,
    error_page_render,
    is_candidate_path,
    page_language,
)
from hireslot.core.views import json_error, wants_json
from hireslot.scheduling.links import request_for_token


def _candidate_brand(request: HttpRequest) -> tuple[Brand | None, str]:
    """The brand and the recruiter's language choice for the link in the path, if it is one."""
    token = request.path.removeprefix("/s/").split("/", 1)[0]
    try:
        scheduling_request = request_for_token(token)
    except DatabaseError:
        # An error page must not fail too: without the database it is HireSlot's.
        return None, ""
    if scheduling_request is None:
        return None, ""
    candidate = scheduling_request.application.candidate
    return brand_of(scheduling_request.organization), candidate.language


def _error(request: HttpRequest, status: int, text: ErrorText) -> HttpResponse:
    candidate = is_candidate_path(request)
    brand, preferred = _candidate_brand(request) if candidate else (None, "")
    language = page_language(request, preferred=preferred)
    if wants_json(request):
        with translation.override(language):
            return JsonResponse(json_error(request, str(text.title)), status=status)
    return error_page_render(
        request,
        status=status,
        text=text,
        language=language,
        brand=brand,
        home_url="" if candidate else "/",
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 400, BAD_REQUEST)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error(request, 403, FORBIDDEN)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_candidate_path(request):
        return _error(request, 404, LINK_NOT_FOUND)
    return _error(request, 404, NOT_FOUND)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted without its CSRF token (a page left open past its cookie, or cookies
    blocked): the branded page saying what to do, never Django's developer page."""
    return _error(request, 403, CSRF_FAILED)
