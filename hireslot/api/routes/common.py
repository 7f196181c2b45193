"""What every operation declares it may answer besides success (the OpenAPI description
lists them, and the fuzz test holds the API to them)."""

from __future__ import annotations

from typing import Any

from hireslot.api.schemas import Error

READ_ERRORS: dict[int, Any] = {400: Error, 401: Error, 404: Error, 429: Error}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: Error, 409: Error}
