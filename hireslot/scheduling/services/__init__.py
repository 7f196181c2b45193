"""Every write with consequences in self-scheduling. Import from here.

``requests``: send (one candidate or many: ``RequestBatch``), open, cancel, resend; ``bulk``:
a bulk send in the background; ``booking``: book, reschedule, cancel an
interview; ``effects``: the ledger of consequences and the worker's side of it;
``pools``: interviewer pools and
their members; ``starter``: a new organization and the templates every organization starts with.
"""

from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.services.booking import (
    interview_book,
    interview_cancel,
    interview_reschedule,
)
from hireslot.scheduling.services.effects import effect_retry, effect_run, effects_write
from hireslot.scheduling.services.pools import (
    PoolInUseError,
    pool_create,
    pool_delete,
    pool_member_add,
    pool_member_remove,
    pool_member_update,
    pool_update,
)
from hireslot.scheduling.services.requests import (
    SentRequest,
    scheduling_request_cancel,
    scheduling_request_dismiss,
    scheduling_request_open,
    scheduling_request_problem,
    scheduling_request_resend,
    scheduling_request_seen,
    scheduling_request_send,
    scheduling_requests_expiry_announce,
)
from hireslot.scheduling.services.starter import organization_start, starter_templates_ensure

__all__ = [
    "PoolInUseError",
    "SentRequest",
    "effect_retry",
    "effect_run",
    "effects_write",
    "interview_book",
    "interview_cancel",
    "interview_reschedule",
    "organization_start",
    "pool_create",
    "pool_delete",
    "pool_member_add",
    "pool_member_remove",
    "pool_member_update",
    "pool_update",
    "scheduling_link",
    "scheduling_request_cancel",
    "scheduling_request_dismiss",
    "scheduling_request_open",
    "scheduling_request_problem",
    "scheduling_request_resend",
    "scheduling_request_seen",
    "scheduling_request_send",
    "scheduling_requests_expiry_announce",
    "starter_templates_ensure",
]
