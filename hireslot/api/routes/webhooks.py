"""Webhook endpoints (subscribe, delete, rotate the secret), their delivery log, and
replaying a message with the same ``webhook-id`` (the services of ``messaging.webhooks``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from hireslot.api import shapes
from hireslot.api.auth import organization_of
from hireslot.api.lookups import path_object
from hireslot.api.pagination import PageQuery, page_of
from hireslot.api.routes.common import READ_ERRORS, WRITE_ERRORS
from hireslot.api.schemas import (
    WebhookDeliveryPage,
    WebhookEndpointCreated,
    WebhookEndpointIn,
    WebhookEndpointPage,
    WebhookMessageOut,
    WebhookSecretOut,
)
from hireslot.messaging.models import WebhookEndpoint
from hireslot.messaging.webhooks import (
    webhook_delivery_list,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_list,
    webhook_endpoint_secret_rotate,
    webhook_message_of,
    webhook_message_replay,
)

router = Router(tags=["Webhooks"])


@router.get(
    "/webhook-endpoints",
    response={200: WebhookEndpointPage, **READ_ERRORS},
    summary="Webhook Endpoint List",
)
def webhook_endpoint_list_route(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Where the organization's events are sent (docs/webhooks.md)."""
    return page_of(
        webhook_endpoint_list(organization=organization_of(request)),
        page,
        shapes.webhook_endpoint_items,
    )


@router.post(
    "/webhook-endpoints",
    response={201: WebhookEndpointCreated, **WRITE_ERRORS},
    summary="Webhook Endpoint Create",
)
def webhook_endpoint_create_route(request: HttpRequest, payload: WebhookEndpointIn) -> Status[Any]:
    """Subscribe a URL to event types; the answer carries its signing secret, once."""
    endpoint, secret = webhook_endpoint_create(
        organization=organization_of(request),
        url=payload.url,
        event_types=payload.event_types,
        description=payload.description,
    )
    return Status(201, {**shapes.webhook_endpoint_item(endpoint), "secret": secret})


@router.delete(
    "/webhook-endpoints/{endpoint_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Webhook Endpoint Delete",
)
def webhook_endpoint_delete_route(request: HttpRequest, endpoint_id: str) -> Status[Any]:
    """Delete the endpoint, with its messages and delivery log."""
    webhook_endpoint_delete(endpoint=path_object(request, WebhookEndpoint, endpoint_id))
    return Status(204, None)


@router.post(
    "/webhook-endpoints/{endpoint_id}/rotate-secret",
    response={200: WebhookSecretOut, **WRITE_ERRORS},
    summary="Webhook Endpoint Rotate Secret",
)
def webhook_endpoint_rotate_route(request: HttpRequest, endpoint_id: str) -> dict[str, Any]:
    """A new secret; for 24 hours the old one signs too (two signatures in one header)."""
    endpoint = path_object(request, WebhookEndpoint, endpoint_id)
    secret = webhook_endpoint_secret_rotate(endpoint=endpoint)
    return {
        "secret": secret,
        "previous_secret_expires_at": shapes.instant_z(endpoint.previous_secret_expires_at),
    }


@router.get(
    "/webhook-endpoints/{endpoint_id}/deliveries",
    response={200: WebhookDeliveryPage, **READ_ERRORS},
    summary="Webhook Delivery List",
)
def webhook_delivery_list_route(
    request: HttpRequest, endpoint_id: str, page: Query[PageQuery]
) -> dict[str, Any]:
    """Every attempt to deliver to the endpoint, newest first."""
    endpoint = path_object(request, WebhookEndpoint, endpoint_id)
    return page_of(webhook_delivery_list(endpoint=endpoint), page, shapes.webhook_delivery_items)


@router.post(
    "/webhook-messages/{message_id}/replay",
    response={202: WebhookMessageOut, **WRITE_ERRORS},
    summary="Webhook Message Replay",
)
def webhook_message_replay_route(request: HttpRequest, message_id: str) -> Status[Any]:
    """Send the message again to its endpoint, with the same `webhook-id`."""
    message = webhook_message_of(organization=organization_of(request), message_id=message_id)
    if message is None:
        raise Http404("No such message.")
    return Status(202, shapes.webhook_message_item(webhook_message_replay(message=message)))
