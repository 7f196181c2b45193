"""Reads of webhooks, always within one organization."""

from __future__ import annotations

from django.db.models import QuerySet

from hireslot.accounts.models import Organization
from hireslot.accounts.tenancy import scoped
from hireslot.messaging.models import WebhookDelivery, WebhookEndpoint, WebhookMessage


def webhook_endpoint_list(*, organization: Organization) -> QuerySet[WebhookEndpoint]:
    """The organization's endpoints, newest first."""
    return scoped(WebhookEndpoint, organization).order_by("-created_at", "-pk")


def webhook_delivery_list(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """Every attempt to deliver to ``endpoint``, newest first, with its message."""
    return (
        WebhookDelivery.objects.filter(organization_id=endpoint.organization_id, endpoint=endpoint)
        .select_related("message")
        .order_by("-created_at", "-attempt", "-pk")
    )


def webhook_message_list(
    *, organization: Organization, endpoint: WebhookEndpoint | None = None
) -> QuerySet[WebhookMessage]:
    """The organization's messages (of one endpoint, when given), newest first."""
    messages = scoped(WebhookMessage, organization)
    if endpoint is not None:
        messages = messages.filter(endpoint=endpoint)
    return messages.order_by("-created_at", "-pk")


def webhook_message_of(*, organization: Organization, message_id: str) -> WebhookMessage | None:
    """The message with this ``webhook-id`` in the organization, or None (also another
    organization's: the same answer as one that does not exist)."""
    return scoped(WebhookMessage, organization).filter(message_id=message_id).first()
