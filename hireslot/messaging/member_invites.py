"""Inviting people into an organization: the member and the set-password email, together.

Lives in messaging (not accounts) because the invitation is an ``OutgoingEmail`` of the
organization: stored, delivered by the worker, retried like every other email.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from hireslot.accounts.invites import invite_url
from hireslot.accounts.models import Membership, Organization, Role, User
from hireslot.accounts.services import member_create
from hireslot.core.errors import HireSlotError
from hireslot.messaging.models import OutgoingEmail
from hireslot.messaging.services import outgoing_email_queue

INVITE_KIND = "member_invite"


@transaction.atomic
def member_invite(
    *,
    organization: Organization,
    email: str,
    full_name: str,
    role: Role,
    invited_by: User | None,
) -> Membership:
    """A new person in ``organization`` and their invitation, in one transaction."""
    membership = member_create(
        organization=organization, email=email, full_name=full_name, role=role
    )
    member_invite_send(membership=membership, invited_by=invited_by)
    return membership


def member_invite_send(*, membership: Membership, invited_by: User | None) -> OutgoingEmail:
    """Email ``membership``'s person a fresh set-password link (also to send one again).

    Refused once they have a password: from then on the way back in is the reset email.
    """
    user = membership.user
    if user.has_usable_password():
        raise HireSlotError(
            f"{user.email} has already chosen a password; they can log in, or reset a "
            "forgotten password from the login page."
        )
    if not user.is_active:
        raise HireSlotError(f"{user.email}'s account is deactivated; activate it first.")
    organization = membership.organization
    context = {
        "user": user,
        "organization": organization,
        "role": membership.get_role_display().lower(),
        "invited_by": invited_by,
        "url": invite_url(user=user),
        "login_url": f"{settings.HIRESLOT_BASE_URL}{reverse('login')}",
        "invite_days": settings.HIRESLOT_INVITE_DAYS,
    }
    subject = " ".join(render_to_string("messaging/member_invite_subject.txt", context).split())
    return outgoing_email_queue(
        organization=organization,
        to=user.email,
        subject=subject,
        body_text=render_to_string("messaging/member_invite_email.txt", context),
        kind=INVITE_KIND,
    )
