"""Outgoing webhooks (Standard Webhooks 1.0): endpoints, the outbox, delivery. Import from here.

``endpoints``: create (secret shown once), rotate, enable, disable, delete; ``outbox``: record
an event in the caller's transaction, test events, replays; ``delivery``: the worker's side
(signed POSTs, retries, the log, alerts); ``signing``: the signature scheme;
``events``: the event types and the validation error. The models live in
``messaging.models``.
"""

from hireslot.messaging.webhooks.endpoints import (
    ROTATION_OVERLAP,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_disable,
    webhook_endpoint_enable,
    webhook_endpoint_secret_rotate,
    webhook_endpoint_secrets_active,
    webhook_endpoint_update,
    webhook_url_problem,
)
from hireslot.messaging.webhooks.events import (
    ALL_EVENTS,
    AVAILABILITY_SUBMITTED,
    CALENDAR_CONNECTION_BROKEN,
    CANCELLED_BY,
    INTERVIEW_CANCELLED,
    INTERVIEW_NO_SHOW,
    INTERVIEW_RESCHEDULED,
    INTERVIEW_SCHEDULED,
    SCHEDULING_REQUEST_CANCELLED,
    SCHEDULING_REQUEST_EXPIRED,
    SCHEDULING_REQUEST_OPENED,
    SCHEDULING_REQUEST_SENT,
    WEBHOOK_EVENT_TYPES,
    WEBHOOK_TEST,
    CancelledBy,
    FieldError,
    WebhookValidationError,
)
from hireslot.messaging.webhooks.outbox import (
    webhook_event_record,
    webhook_event_wanted,
    webhook_message_replay,
    webhook_messages_replay_failed,
    webhook_test_send,
)
from hireslot.messaging.webhooks.selectors import (
    webhook_delivery_list,
    webhook_endpoint_list,
    webhook_message_list,
    webhook_message_of,
)

__all__ = [
    "ALL_EVENTS",
    "AVAILABILITY_SUBMITTED",
    "CALENDAR_CONNECTION_BROKEN",
    "CANCELLED_BY",
    "INTERVIEW_CANCELLED",
    "INTERVIEW_NO_SHOW",
    "INTERVIEW_RESCHEDULED",
    "INTERVIEW_SCHEDULED",
    "ROTATION_OVERLAP",
    "SCHEDULING_REQUEST_CANCELLED",
    "SCHEDULING_REQUEST_EXPIRED",
    "SCHEDULING_REQUEST_OPENED",
    "SCHEDULING_REQUEST_SENT",
    "WEBHOOK_EVENT_TYPES",
    "WEBHOOK_TEST",
    "CancelledBy",
    "FieldError",
    "WebhookValidationError",
    "webhook_delivery_list",
    "webhook_endpoint_create",
    "webhook_endpoint_delete",
    "webhook_endpoint_disable",
    "webhook_endpoint_enable",
    "webhook_endpoint_list",
    "webhook_endpoint_secret_rotate",
    "webhook_endpoint_secrets_active",
    "webhook_endpoint_update",
    "webhook_event_record",
    "webhook_event_wanted",
    "webhook_message_list",
    "webhook_message_of",
    "webhook_message_replay",
    "webhook_messages_replay_failed",
    "webhook_test_send",
    "webhook_url_problem",
]
