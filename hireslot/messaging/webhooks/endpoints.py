"""Webhook endpoints: created with a secret shown once, rotated with a day of overlap,
enabled, disabled and deleted. Only admins reach these (the pages and the API check)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from hireslot.accounts.models import Organization
from hireslot.core import clock
from hireslot.core.outbound import OutboundError, outbound_url_check
from hireslot.messaging.models import WebhookEndpoint, WebhookMessage
from hireslot.messaging.webhooks.events import (
    ALL_EVENTS,
    WEBHOOK_EVENT_TYPES,
    FieldError,
    WebhookValidationError,
)
from hireslot.messaging.webhooks.signing import webhook_secret_new

# Both secrets sign for this long after a rotation, so receivers can switch without a gap.
ROTATION_OVERLAP = timedelta(hours=24)
MAX_ENDPOINTS = 20
MAX_URL_LENGTH = 2000
MAX_DESCRIPTION_LENGTH = 500


def webhook_url_problem(url: str) -> str | None:
    """Why ``url`` cannot receive webhooks (None: it can): a full http(s) address, https in
    production, whose host is not private, loopback or link-local (checked again on every
    delivery, at connection time)."""
    if not url:
        return "Enter the address that should receive webhooks."
    if len(url) > MAX_URL_LENGTH:
        return f"The address must be at most {MAX_URL_LENGTH} characters."
    if any(char.isspace() for char in url):
        return "The address must not contain spaces."
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "Enter a valid address, such as https://example.com/webhooks."
    schemes = ("https",) if settings.PRODUCTION else ("https", "http")
    if parts.scheme.lower() not in schemes or not parts.hostname:
        return (
            "Enter an https:// address, such as https://example.com/webhooks."
            if settings.PRODUCTION
            else "Enter an http:// or https:// address, such as https://example.com/webhooks."
        )
    if parts.username or parts.password:
        return "Leave user names and passwords out of the address; the signature proves the sender."
    try:
        outbound_url_check(url)
    except OutboundError as error:
        return f"HireSlot cannot send to this address ({error.category})."
    return None


def webhook_event_types_clean(event_types: object) -> list[str]:
    """The subscribed types, known and without repeats; ["*"] stands for all."""
    if not isinstance(event_types, list | tuple) or not all(
        isinstance(kind, str) for kind in event_types
    ):
        raise WebhookValidationError(
            [FieldError("event_types", 'Give a list of event types, or ["*"] for all.')]
        )
    chosen = list(dict.fromkeys(event_types))
    if not chosen:
        raise WebhookValidationError([FieldError("event_types", "Choose at least one event type.")])
    if ALL_EVENTS in chosen:
        return [ALL_EVENTS]
    unknown = [kind for kind in chosen if kind not in WEBHOOK_EVENT_TYPES]
    if unknown:
        raise WebhookValidationError(
            [
                FieldError(
                    "event_types",
                    f"Unknown event type {', '.join(unknown)}; choose from "
                    f"{', '.join(WEBHOOK_EVENT_TYPES)} or *.",
                )
            ]
        )
    return [kind for kind in WEBHOOK_EVENT_TYPES if kind in chosen]


def _check(
    *, organization: Organization, url: str, event_types: object, description: str
) -> list[str]:
    errors: list[FieldError] = []
    problem = webhook_url_problem(url.strip() if isinstance(url, str) else "")
    if problem:
        errors.append(FieldError("url", problem))
    cleaned: list[str] = []
    try:
        cleaned = webhook_event_types_clean(event_types)
    except WebhookValidationError as error:
        errors.extend(error.errors)
    if not isinstance(description, str) or len(description) > MAX_DESCRIPTION_LENGTH:
        errors.append(
            FieldError("description", f"At most {MAX_DESCRIPTION_LENGTH} characters of text.")
        )
    elif "\n" in description or "\r" in description:
        errors.append(FieldError("description", "Keep the description on one line."))
    if WebhookEndpoint.objects.filter(organization=organization).count() >= MAX_ENDPOINTS:
        errors.append(
            FieldError("url", f"An organization can have at most {MAX_ENDPOINTS} endpoints.")
        )
    if errors:
        raise WebhookValidationError(errors)
    return cleaned


def webhook_endpoint_create(
    *,
    organization: Organization,
    url: str,
    event_types: Sequence[str],
    description: str = "",
) -> tuple[WebhookEndpoint, str]:
    """A new, enabled endpoint and its secret (``whsec_…``): shown to the person once, stored
    only encrypted. Raises ``WebhookValidationError`` before writing anything."""
    cleaned = _check(
        organization=organization, url=url, event_types=list(event_types), description=description
    )
    secret = webhook_secret_new()
    endpoint = WebhookEndpoint(
        organization=organization,
        url=url.strip(),
        description=description.strip(),
        event_types=cleaned,
    )
    endpoint.secrets = {"current": secret}
    endpoint.save(force_insert=True)
    return endpoint, secret


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint with its messages and delivery log."""
    endpoint.delete()


def webhook_endpoint_secret_rotate(*, endpoint: WebhookEndpoint) -> str:
    """A new secret (returned, shown once); the old one keeps signing for 24 hours."""
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        secret = webhook_secret_new()
        locked.secrets = {"current": secret, "previous": locked.secrets.get("current", "")}
        locked.previous_secret_expires_at = clock.now() + ROTATION_OVERLAP
        locked.save(update_fields=["secrets", "previous_secret_expires_at", "updated_at"])
    endpoint.secrets = locked.secrets
    endpoint.previous_secret_expires_at = locked.previous_secret_expires_at
    return secret


def webhook_endpoint_secrets_active(endpoint: WebhookEndpoint) -> list[str]:
    """The secrets that sign now: the current one, and the previous one during the overlap."""
    active = [str(endpoint.secrets.get("current", ""))]
    previous = str(endpoint.secrets.get("previous", ""))
    expires = endpoint.previous_secret_expires_at
    if previous and expires is not None and expires > clock.now():
        active.append(previous)
    return [secret for secret in active if secret]


def webhook_endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Deliver to it again. Messages that failed while it was disabled stay failed; replay
    them (``webhook_messages_replay_failed``) to send them now."""
    endpoint.enabled = True
    endpoint.disabled_reason = ""
    endpoint.disabled_at = None
    endpoint.failing_since = None
    endpoint.failure_alerted_at = None
    endpoint.save(
        update_fields=[
            "enabled",
            "disabled_reason",
            "disabled_at",
            "failing_since",
            "failure_alerted_at",
            "updated_at",
        ]
    )
    return endpoint


def webhook_endpoint_disable(*, endpoint: WebhookEndpoint, reason: str = "") -> WebhookEndpoint:
    """Stop delivering to it; messages waiting for it end failed (replayable)."""
    now = clock.now()
    with transaction.atomic():
        endpoint.enabled = False
        endpoint.disabled_reason = (reason or "Disabled by an admin.")[:MAX_DESCRIPTION_LENGTH]
        endpoint.disabled_at = now
        endpoint.save(update_fields=["enabled", "disabled_reason", "disabled_at", "updated_at"])
        WebhookMessage.objects.filter(endpoint=endpoint, state=WebhookMessage.State.PENDING).update(
            state=WebhookMessage.State.FAILED,
            last_error="The endpoint is disabled.",
            claimed_until=None,
            updated_at=now,
        )
    return endpoint


def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str,
    event_types: Sequence[str],
    description: str = "",
) -> WebhookEndpoint:
    """Change where it points and what it receives (the secret stays)."""
    errors: list[FieldError] = []
    problem = webhook_url_problem(url.strip())
    if problem:
        errors.append(FieldError("url", problem))
    try:
        cleaned = webhook_event_types_clean(list(event_types))
    except WebhookValidationError as error:
        errors.extend(error.errors)
    if len(description) > MAX_DESCRIPTION_LENGTH:
        errors.append(
            FieldError("description", f"At most {MAX_DESCRIPTION_LENGTH} characters of text.")
        )
    if errors:
        raise WebhookValidationError(errors)
    endpoint.url = url.strip()
    endpoint.event_types = cleaned
    endpoint.description = description.strip()
    endpoint.save(update_fields=["url", "event_types", "description", "updated_at"])
    return endpoint
