"""The candidate's personal link: derived from the request's nonce and the server's key, so
every email about a request carries the same link without the link being stored."""

from __future__ import annotations

from django.conf import settings

from hireslot.core.tokens import link_token_derive
from hireslot.scheduling.models import SchedulingRequest


def scheduling_link(request: SchedulingRequest) -> str:
    return f"{settings.HIRESLOT_BASE_URL}/s/{link_token_derive(request.token_nonce)}"
