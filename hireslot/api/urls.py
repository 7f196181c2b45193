from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import URLPattern, URLResolver, include, path

from hireslot.api import docs
from hireslot.api.v1 import api

View = Callable[..., HttpResponse]


def _json_not_allowed(view: View) -> View:
    """Ninja answers a method a path lacks in plain text; the API answers every error in
    JSON (``Allow`` kept)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            answer = JsonResponse(
                {"detail": f"{request.method} is not allowed here; use {allowed}."}, status=405
            )
            answer["Allow"] = allowed
            return answer
        return response

    return wrapper


_patterns, _app_name, _namespace = api.urls
for _pattern in _patterns:
    if isinstance(_pattern, URLPattern):
        _pattern.callback = _json_not_allowed(_pattern.callback)

urlpatterns: list[URLPattern | URLResolver] = [
    path("docs", docs.api_docs, name="api-docs"),
    path("", include((_patterns, _app_name), namespace=_namespace)),
]
