"""Lists: newest first, a page of ``limit`` rows, and an opaque cursor for the next page.

The cursor is the last row's (created_at, id), signed: rows inserted meanwhile never shift
a page (keyset pagination, not offsets), and a cursor we did not make is refused (400).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from django.core import signing
from django.db.models import Model, Q, QuerySet
from ninja import Schema
from pydantic import Field

from hireslot.core.errors import HireSlotError

M = TypeVar("M", bound=Model)
_SALT = "hireslot.api.cursor"
DEFAULT_LIMIT = 50
MAX_LIMIT = 100


class PageQuery(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows per page, 1–100.")
    cursor: str | None = Field(
        None, max_length=500, description="The previous page's `next`, to read on."
    )


class CursorError(HireSlotError):
    status_code = 400


def _cursor_make(row: Any) -> str:
    return signing.dumps([row.created_at.isoformat(), str(row.pk)], salt=_SALT, compress=True)


def _cursor_read(cursor: str) -> tuple[datetime, UUID]:
    try:
        created_at, pk = signing.loads(cursor, salt=_SALT)
        return datetime.fromisoformat(created_at), UUID(pk)
    except (signing.BadSignature, ValueError, TypeError):
        raise CursorError("Unknown cursor: pass the `next` of the previous page.") from None


def page_of(
    rows: QuerySet[M], page: PageQuery, shape: Callable[[Sequence[M]], list[Any]]
) -> dict[str, Any]:
    """One page of ``rows`` (newest first) as ``{"items", "next"}``; ``shape`` turns the
    page's rows into items (all at once, so it can read related rows in bulk)."""
    rows = rows.order_by("-created_at", "-pk")
    if page.cursor:
        created_at, pk = _cursor_read(page.cursor)
        rows = rows.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
    found = list(rows[: page.limit + 1])
    more = len(found) > page.limit
    found = found[: page.limit]
    return {"items": shape(found), "next": _cursor_make(found[-1]) if more else None}
