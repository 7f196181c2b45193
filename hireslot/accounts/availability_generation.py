"""The organization's availability generation: a counter raised after every committed write
that can change when its people are free.

Candidate pages and slot lists are cached under the generation they were computed at
(``scheduling.candidate_cache``), which is read from the database on every request, so a
cached answer is never served once its people's bookings, busy time or working hours changed,
whichever process made the change and whatever cache holds the answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction
from django.db.models import F, Q

from hireslot.accounts.models import Membership, Organization


def availability_generation_bump(
    *, user_ids: Iterable[UUID] = (), organization_ids: Iterable[UUID] = ()
) -> None:
    """Raise the generation of ``organization_ids`` and of every organization ``user_ids``
    belong to, once the current transaction commits.

    After the commit, not inside the transaction: the organization's row is not locked by
    every booking and busy-time refresh, and a reader that sees the new generation also sees
    the committed change (readers take the generation before anything else). Should the
    process die between the commit and the raise, answers cached before it live out their
    short lifetime (``candidate_cache.LIFETIME``); a booking re-checks its time anyway.
    """
    users, organizations = list(user_ids), list(organization_ids)
    if not users and not organizations:
        return

    def bump() -> None:
        memberships = Membership.objects.filter(user_id__in=users).values("organization_id")
        Organization.objects.filter(Q(pk__in=organizations) | Q(pk__in=memberships)).update(
            availability_generation=F("availability_generation") + 1
        )

    transaction.on_commit(bump)
