"""Secret link tokens: 256 bits derived from a stored nonce and SECRET_KEY (decision 0003).

The database keeps the nonce and the token's SHA-256 digest, never the token, so a database
leak alone reveals no working link; lookups go by digest so the time a lookup takes says
nothing about how much of a guessed token was right.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

TOKEN_BYTES = 32
_TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_well_formed(token: str) -> bool:
    """Cheap shape check before touching the database (tampered links fail here)."""
    return bool(_TOKEN_SHAPE.match(token))


def token_matches(token: str, stored_digest: str) -> bool:
    return hmac.compare_digest(token_digest(token), stored_digest)


def link_token_new() -> tuple[str, str, str]:
    """A candidate link token, its digest and the nonce it is derived from.

    The token is ``HMAC(SECRET_KEY, nonce)``: the database holds only the nonce and the digest,
    so a leaked database yields no working link, yet emails sent later (a reschedule by a
    recruiter, a reminder) can carry the same link without the token being stored.
    """
    nonce = secrets.token_hex(TOKEN_BYTES)
    token = link_token_derive(nonce)
    return token, token_digest(token), nonce


def link_token_derive(nonce: str) -> str:
    from django.conf import settings

    mac = hmac.new(
        f"hireslot.link-token:{settings.SECRET_KEY}".encode(), nonce.encode(), hashlib.sha256
    )
    return base64.urlsafe_b64encode(mac.digest()).rstrip(b"=").decode("ascii")
