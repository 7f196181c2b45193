"""Who an organization's emails to candidates come from: one answer for the ``From:`` of
every email and the ``ORGANIZER`` of every calendar invitation, so a reply to an invitation
(and a calendar's "you are invited by") reaches the address that really sent it.

An organization's scheduling sender address, else the server's ``DEFAULT_FROM_EMAIL``. In
production an invitation may only go out from a real address: one at a reserved name
(``localhost``, ``.example``, ``.test``, ``.invalid``, ``.local``; RFC 2606 and 6761) cannot
receive anything, and mail clients warn about an organizer they cannot answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings

from hireslot.accounts.models import Organization
from hireslot.core.validators import single_line

# Names that never reach a mailbox (RFC 2606, RFC 6761).
RESERVED_DOMAINS = ("localhost", "example", "test", "invalid", "local")
RESERVED_SECOND_LEVEL = ("example.com", "example.net", "example.org")
FALLBACK_ADDRESS = "hireslot@localhost"


@dataclass(frozen=True)
class Sender:
    name: str
    address: str


def organization_sender(organization: Organization) -> Sender:
    """The name and address the organization's candidate emails and invitations come from."""
    address = organization.scheduling_sender_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return Sender(
        name=single_line(organization.scheduling_sender_name or organization.name),
        address=address or FALLBACK_ADDRESS,
    )


def address_is_real(address: str) -> bool:
    """Whether mail to ``address`` can be delivered anywhere (a reserved name cannot)."""
    _, at, domain = address.strip().lower().rpartition("@")
    domain = domain.rstrip(".")
    if not at or "." not in domain:
        return False
    if domain.rsplit(".", 1)[1] in RESERVED_DOMAINS:
        return False
    return not any(domain == name or domain.endswith("." + name) for name in RESERVED_SECOND_LEVEL)


def sender_problem(organization: Organization) -> str:
    """Why the organization may not send invitations yet ("" when it may): in production its
    sender address must be a real one."""
    address = organization_sender(organization).address
    if not settings.PRODUCTION or address_is_real(address):
        return ""
    return (
        f"Invitations cannot be sent from {address}, which cannot receive replies. An admin sets "
        "a real sender address on Settings → Organization (Brand), or the operator a real "
        "DEFAULT_FROM_EMAIL for the server; then send again."
    )
