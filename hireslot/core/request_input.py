"""Reading what a client posts, bounded: no input may cost more than a 400 with a message.

Every JSON body goes through ``json_object_read`` (size and nesting capped before decoding:
Python's decoder recurses once per level, so a deeply nested body would otherwise end in a
``RecursionError``), and every instant a person picks goes through ``instant_parse`` (a year
far from now would overflow the date arithmetic behind it).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time
from typing import Any
from uuid import UUID

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest
from django.utils.translation import gettext

from hireslot.core.errors import HireSlotError

JSON_MAX_BYTES = 64 * 1024
JSON_MAX_DEPTH = 32

# Nothing is ever offered outside these days; inside them no arithmetic we do overflows.
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9000, 12, 31)
_EARLIEST = datetime.combine(EARLIEST_DAY, time(0), tzinfo=UTC)
_LATEST = datetime.combine(LATEST_DAY, time(0), tzinfo=UTC)

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


class BadInputError(HireSlotError):
    status_code = 400


def is_uuid(value: object) -> bool:
    """Whether a posted or routed id can be a primary key here (a lookup with anything else
    would be a 500 on PostgreSQL's uuid column, not a 404)."""
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


def json_object_read(
    http: HttpRequest, *, max_bytes: int = JSON_MAX_BYTES, max_depth: int = JSON_MAX_DEPTH
) -> dict[str, Any]:
    """The request's JSON body as a dict (an empty body is ``{}``), or ``BadInputError``."""
    too_big = BadInputError(f"The request body is larger than {max_bytes // 1024} KB.")
    try:
        declared = int(http.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > max_bytes:
        raise too_big
    try:
        body = http.body
    except RequestDataTooBig:
        raise too_big from None
    if len(body) > max_bytes:
        raise too_big
    if not body.strip():
        return {}
    if json_depth(body) > max_depth:
        raise BadInputError(f"The request body nests deeper than {max_depth} levels.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise BadInputError("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise BadInputError("The request body must be a JSON object.")
    return data


def json_depth(body: bytes) -> int:
    """How deep arrays and objects nest in ``body`` (brackets inside strings do not count);
    malformed text gets a number too and is refused by the decoder afterwards."""
    depth = deepest = 0
    for match in _JSON_BRACKET.finditer(_JSON_STRING.sub(b'""', body)):
        if match.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def instant_parse(value: object, *, field: str = "start") -> datetime:
    """An aware ISO 8601 instant (in UTC) inside the days anything can be booked, or
    ``BadInputError`` saying what is wrong."""
    if not isinstance(value, str) or not value:
        raise BadInputError(gettext("Choose a time (“%(field)s” is missing).") % {"field": field})
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise BadInputError(
            gettext("“%(field)s” must be an instant like 2026-03-02T15:00:00Z.") % {"field": field}
        ) from None
    if moment.tzinfo is None:
        raise BadInputError(
            gettext("“%(field)s” needs a time zone, e.g. 2026-03-02T15:00:00Z.") % {"field": field}
        )
    # Checked on the local date first: converting year 9999 (or 1) to UTC may overflow.
    if not EARLIEST_DAY <= moment.date() <= LATEST_DAY:
        raise BadInputError(gettext("That time is not one of the offered times."))
    return moment.astimezone(UTC)


def instant_in_range(moment: datetime) -> bool:
    """Whether ``moment`` lies inside the days anything can be booked (see ``instant_parse``)."""
    return _EARLIEST <= moment <= _LATEST  # aware comparison: no conversion to overflow
