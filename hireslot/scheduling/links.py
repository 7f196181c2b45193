"""The candidate's personal link, both ways: derived from a request and resolved to one.

The token is derived from the request's nonce and the server's key, so every email about a
request carries the same link without the link being stored; only the token's SHA-256
digest is stored, which is how a link finds its request again.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import FilteredRelation, Q

from hireslot.core.queries import row_or_none
from hireslot.core.tokens import link_token_derive, token_digest, token_matches, token_well_formed
from hireslot.scheduling.models import Interview, SchedulingRequest

# Where ``request_for_token`` puts the request's scheduled interview (or None), read in the
# same query; ``scheduling.selectors.live_interview_of`` answers from it.
LIVE_INTERVIEW = "live_interview"


def link_for_token(token: str) -> str:
    """The address a candidate opens for ``token``."""
    return f"{settings.HIRESLOT_BASE_URL}/s/{token}"


def scheduling_link(request: SchedulingRequest) -> str:
    """The request's link, derived again (the same every time)."""
    return link_for_token(link_token_derive(request.token_nonce))


def request_for_token(token: str) -> SchedulingRequest | None:
    """The request a candidate link points to, or None for an unknown or tampered token.

    Looked up by digest (so timing says nothing about a guessed token) and compared in
    constant time. Read in one query with everything the candidate's pages show of it,
    including its scheduled interview (``LIVE_INTERVIEW``): at most one row can join, as
    ``scheduling_one_live_interview_per_request`` allows one scheduled interview per request.
    """
    if not token_well_formed(token):
        return None
    # A loop's first session stands for the loop (one row joins either way).
    scheduled = Q(interviews__status=Interview.Status.SCHEDULED, interviews__loop_position=0)
    live = FilteredRelation("interviews", condition=scheduled)
    request = row_or_none(
        SchedulingRequest.objects.annotate(**{LIVE_INTERVIEW: live})
        .select_related(
            "organization",
            "email",
            "template__interview_template",
            "application__candidate",
            "application__job",
            LIVE_INTERVIEW,
        )
        .filter(token_digest=token_digest(token))
    )
    if request is None or not token_matches(token, request.token_digest):
        return None
    # select_related sets nothing when no interview joined: say "none" rather than "not read".
    vars(request).setdefault(LIVE_INTERVIEW, None)
    return request
