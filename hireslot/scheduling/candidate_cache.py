"""The candidate's page and slot lists, kept for a short while in Django's cache.

Every view and slots call would otherwise read the request, the interviewers, their overrides
and busy time, run the engine and render the page again: about ten milliseconds, where a
request that reads one row costs one. An answer is kept under a key made of what it was
computed from, so it can never be served once that changed:

- the link's **stamp**, read on every request in one small statement (``request_stamp``,
  plain SQL over two tables: the ORM would spend longer building the query than the database
  answering it): the request's status and expiry, when the request and its organization last
  changed (a booking, reschedule or cancel, opening, resending, branding), and the
  organization's **availability generation**, which every committed booking, busy-time
  write, calendar connection, working-hours or self-schedule template change raises
  (``accounts.availability_generation``);
- what the candidate asked for (the query string, their language cookie and
  Accept-Language; zone and days for slots);
- the quarter hour we are in, so "today" and the clock move on.

The stamp is read before anything the answer is computed from, so an answer computed from
older data is never kept under a newer stamp. An answer is also dropped once its first
offered time falls inside the minimum notice, when its interview can no longer be changed,
when its request expires, and after ``LIFETIME`` at most: a backstop for what no stamp sees
(a candidate's, job's or interviewer's name edited, a connection that went stale without a
write, a generation raise lost with its process). A booking checks its
time again under locks, so a stale answer can at worst lead to "that time is no longer free",
never to a double booking.

Which cache holds the answers does not matter for correctness, because the stamp comes from
the database on every request: the default per-process memory cache is correct with any
number of processes; a shared one (``CACHE_URL``) only makes hits likelier.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from uuid import UUID

from django.core.cache import cache as django_cache
from django.db import connection
from django.db.models import Field, Model
from django.utils.dateparse import parse_datetime

from hireslot.accounts.models import Organization
from hireslot.core.tokens import token_digest, token_matches, token_well_formed
from hireslot.scheduling.models import SchedulingRequest

LIFETIME = timedelta(seconds=60)
# Keys change every quarter hour: local midnights fall on quarter hours in every zone.
KEY_PERIOD_SECONDS = 15 * 60
VERSION = 1
# Per-response values cut out of a kept page and put back on every answer.
CSRF_HOLE = "__hireslot_csrf_token__"
NONCE_HOLE = "__hireslot_csp_nonce__"
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


@dataclass(frozen=True)
class RequestStamp:
    """What a link's answers are cached under (see the module's docstring)."""

    request_id: UUID
    status: str
    expires_at: datetime
    fingerprint: str

    def is_closed(self, now: datetime) -> bool:
        """Cancelled or expired (``SchedulingRequest.status_at``): such answers are not kept."""
        if self.status == SchedulingRequest.Status.CANCELLED:
            return True
        return self.status in SchedulingRequest.WAITING and self.expires_at <= now

    def is_settled(self, now: datetime) -> bool:
        """Open and already opened once: a view of it writes nothing and shows what the next
        view will show."""
        return not self.is_closed(now) and self.status != SchedulingRequest.Status.PENDING


@dataclass
class Freshness:
    """Until when an answer being computed may be kept; its parts lower it."""

    until: datetime

    def limit(self, at: datetime) -> None:
        self.until = min(self.until, at)


@dataclass
class Kept:
    """A kept answer: the body (a page with its per-response values cut out) and until when
    it may be served."""

    body: str
    until: float


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[Model], name: str) -> str:
    model_field = model._meta.get_field(name)
    if not isinstance(model_field, Field) or not model_field.column:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return connection.ops.quote_name(model_field.column)


@cache
def _stamp_sql() -> str:
    r, o = SchedulingRequest, Organization
    # Names come from the models, the token's digest is a parameter. Two tables only: the
    # database plans a join of every table the page shows in longer than a page hit takes.
    return (
        f"SELECT r.{_column(r, 'id')}, r.{_column(r, 'token_digest')}, "  # noqa: S608
        f"r.{_column(r, 'status')}, r.{_column(r, 'expires_at')}, r.{_column(r, 'updated_at')}, "
        f"o.{_column(o, 'updated_at')}, o.{_column(o, 'availability_generation')} "
        f"FROM {_table(r)} r JOIN {_table(o)} o "
        f"ON o.{_column(o, 'id')} = r.{_column(r, 'organization')} "
        f"WHERE r.{_column(r, 'token_digest')} = %s"
    )


def _instant(value: object) -> datetime:
    """A timestamp as the database driver returned it (SQLite's are text) as a UTC instant."""
    if isinstance(value, datetime):
        instant = value
    else:
        parsed = parse_datetime(str(value))
        if parsed is None:
            raise ValueError(f"not a timestamp: {value!r}")
        instant = parsed
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def request_stamp(token: str) -> RequestStamp | None:
    """The stamp of the request ``token`` opens, or None for an unknown or tampered token
    (looked up by digest and compared in constant time, as ``links.request_for_token``)."""
    if not token_well_formed(token):
        return None
    with connection.cursor() as cursor:
        cursor.execute(_stamp_sql(), [token_digest(token)])
        row = cursor.fetchone()
    if row is None or not token_matches(token, row[1]):
        return None
    request_id, _, status, expires_at, *rest = row
    # Compared only with other stamps read the same way, so the driver's text is enough.
    parts = [str(status), str(expires_at), *(str(value) for value in rest)]
    return RequestStamp(
        request_id=UUID(str(request_id)),
        status=str(status),
        expires_at=_instant(expires_at),
        fingerprint="|".join(parts),
    )


def answer_key(kind: str, stamp: RequestStamp, now: datetime, *parts: str) -> str:
    period = math.floor(now.timestamp() / KEY_PERIOD_SECONDS)
    text = "\x1f".join((str(VERSION), kind, str(stamp.request_id), stamp.fingerprint, str(period)))
    digest = hashlib.sha256("\x1f".join((text, *parts)).encode()).hexdigest()
    return f"hireslot:candidate:{kind}:{digest}"


def answer_get(key: str, now: datetime) -> Kept | None:
    kept = django_cache.get(key)
    if not isinstance(kept, Kept) or kept.until <= now.timestamp():
        return None
    return kept


def answer_keep(key: str, kept_body: str, *, now: datetime, freshness: Freshness) -> None:
    """Keep ``kept_body`` under ``key`` until ``freshness`` says (at most ``LIFETIME``)."""
    until = min(freshness.until, now + LIFETIME)
    seconds = (until - now).total_seconds()
    if seconds < 1:
        return
    django_cache.set(key, Kept(body=kept_body, until=until.timestamp()), timeout=math.ceil(seconds))


def page_hollow(html: str, *, nonce: str) -> str:
    """The page without this response's CSRF token and style nonce (``page_fill`` puts the
    next response's in)."""
    hollow = _CSRF_INPUT.sub(rf"\g<1>{CSRF_HOLE}\g<2>", html)
    return hollow.replace(nonce, NONCE_HOLE) if nonce else hollow


def page_fill(html: str, *, csrf_token: str, nonce: str) -> str:
    return html.replace(CSRF_HOLE, csrf_token).replace(NONCE_HOLE, nonce)


def first_view_within(stamp: RequestStamp, period: timedelta) -> bool:
    """True for the first view of the link in ``period`` seen by this cache: a page view
    writes the latest opening only then (``scheduling_request_seen``), not on every hit."""
    key = f"hireslot:candidate:seen:{VERSION}:{stamp.request_id}"
    return bool(django_cache.add(key, 1, timeout=math.ceil(period.total_seconds())))
