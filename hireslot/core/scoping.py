"""Organization scoping: every query that serves a user goes through here.

A row of another organization is indistinguishable from a row that does not exist (404), so
one organization cannot even learn that another's record exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from hireslot.accounts.models import Organization

M = TypeVar("M", bound=Model)


def scoped(source: type[M] | QuerySet[M], organization: Organization) -> QuerySet[M]:
    """The rows of ``source`` that belong to ``organization``."""
    queryset = source._default_manager.all() if isinstance(source, type) else source
    return queryset.filter(organization=organization)


def get_scoped_or_404(
    source: type[M] | QuerySet[M], organization: Organization, **lookup: Any
) -> M:
    """One row of ``organization`` matching ``lookup``, or 404 (also for a malformed id)."""
    try:
        return scoped(source, organization).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError) as exc:
        raise Http404("Not found") from exc
