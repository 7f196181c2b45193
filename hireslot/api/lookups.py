"""Finding the calling organization's rows by the ids a client sent.

In the path, an id of another organization is a 404 exactly like one that does not exist
(``tenancy.get_scoped_or_404``); in the body, it is a 400 naming the field.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.api.auth import organization_of
from hireslot.api.errors import InputError

M = TypeVar("M", bound=Model)


def path_object(request: HttpRequest, source: type[M] | QuerySet[M], pk: str) -> M:
    return get_scoped_or_404(source, organization_of(request), pk=pk)


def body_object(
    request: HttpRequest, source: type[M] | QuerySet[M], pk: str, *, field: str, noun: str
) -> M:
    try:
        return scoped(source, organization_of(request)).get(pk=pk)
    except (ObjectDoesNotExist, ValidationError, ValueError):
        raise InputError(field, f"There is no {noun} with that id.") from None
