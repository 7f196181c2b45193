"""The site's URLs plus views that fail, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from hireslot.urls import handler400, handler403, handler404, handler500
from hireslot.urls import urlpatterns as site


def boom(request: HttpRequest, token: str = "") -> HttpResponse:
    raise RuntimeError("a bug")


def forbidden(request: HttpRequest, token: str = "") -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest, token: str = "") -> HttpResponse:
    raise SuspiciousOperation("odd")


urlpatterns = [
    path("boom", boom),
    path("s/<str:token>/boom", boom),
    path("forbidden", forbidden),
    path("s/<str:token>/forbidden", forbidden),
    path("s/<str:token>/suspicious", suspicious),
    *site,
]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
