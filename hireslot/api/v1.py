"""REST API v1 at /api/v1/: one NinjaAPI, its routers, its errors, and its documents
(``/openapi.json`` and the ``/docs`` page, readable without a key)."""

from __future__ import annotations

from ninja import NinjaAPI

from hireslot.api.auth import ApiKeyAuth
from hireslot.api.errors import errors_install
from hireslot.api.parsing import BoundedParser
from hireslot.api.routes import people, recruiting, scheduling, webhooks

DESCRIPTION = """Drive HireSlot from an applicant-tracking system or a script: create
candidates, send self-scheduling requests, read and change interviews.

Every operation takes `Authorization: Bearer <key>` (Settings → API keys). Lists answer
`{"items": [...], "next": <cursor> | null}`, newest first; errors answer
`{"detail": "...", "errors"?: [{"field", "message"}]}`. Instants are ISO 8601 and answered
in UTC with `Z`. See docs/api.md."""

api = NinjaAPI(
    title="HireSlot API",
    version="1",
    description=DESCRIPTION,
    auth=ApiKeyAuth(),
    parser=BoundedParser(),
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
)
errors_install(api)
api.add_router("", recruiting.router)
api.add_router("", scheduling.router)
api.add_router("", people.router)
api.add_router("", webhooks.router)
