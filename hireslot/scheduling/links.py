"""The candidate's personal link, both ways: derived from a request and resolved to one.

The token is derived from the request's nonce and the server's key, so every email about a
request carries the same link without the link being stored; only the token's SHA-256
digest is stored, which is how a link finds its request again.
"""

from __future__ import annotations

from django.conf import settings

from hireslot.core.queries import row_or_none
from hireslot.core.tokens import link_token_derive, token_digest, token_matches, token_well_formed
from hireslot.scheduling.models import SchedulingRequest


def link_for_token(token: str) -> str:
    """The address a candidate opens for ``token``."""
    return f"{settings.HIRESLOT_BASE_URL}/s/{token}"


def scheduling_link(request: SchedulingRequest) -> str:
    """The request's link, derived again (the same every time)."""
    return link_for_token(link_token_derive(request.token_nonce))


def request_for_token(token: str) -> SchedulingRequest | None:
    """The request a candidate link points to, or None for an unknown or tampered token.

    Looked up by digest (so timing says nothing about a guessed token) and compared in
    constant time.
    """
    if not token_well_formed(token):
        return None
    request = row_or_none(
        SchedulingRequest.objects.select_related(
            "organization",
            "email",
            "template__interview_template",
            "application__candidate",
            "application__job",
        ).filter(token_digest=token_digest(token))
    )
    if request is None or not token_matches(token, request.token_digest):
        return None
    return request
