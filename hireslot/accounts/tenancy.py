"""Tenancy: every business row belongs to one organization, and every query that serves a user
goes through here.

A row of another organization is indistinguishable from a row that does not exist (404), so
one organization cannot even learn that another's record exists.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Model, QuerySet
from django.http import Http404

from hireslot.accounts.models import Organization
from hireslot.core.models import BaseModel

M = TypeVar("M", bound=Model)


class OrganizationScopedModel(BaseModel):
    """A business row: it belongs to exactly one organization and is only ever read through
    :func:`scoped` (or a selector built on it)."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True


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
