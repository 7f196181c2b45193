"""The API's documents, typed: what each operation takes and answers (the OpenAPI
description is generated from these). Instants are answered in UTC with ``Z``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field, WithJsonSchema

from hireslot.core.request_input import instant_in_range
from hireslot.scheduling.documents import INTERVIEW_STATUSES, REQUEST_STATUSES

# --- Input -------------------------------------------------------------------------------------


def _instant_check(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("An instant needs a time zone, e.g. 2026-03-02T15:00:00Z.")
    if not instant_in_range(moment):
        raise ValueError("That instant is outside the years 1900–9000.")
    return moment


Instant = Annotated[datetime, AfterValidator(_instant_check)]
Id = Annotated[str, Field(min_length=1, max_length=64, description="An object's id.")]
# ``scheduling.models.RequestKind`` (issue 16).
RequestKindName = Literal["offer_times", "ask_availability"]


class CandidateIn(Schema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field("", max_length=100)
    email: str = Field(max_length=254)
    phone: str = Field("", max_length=40)
    time_zone: str = Field("", max_length=64, description="IANA name, e.g. Europe/Berlin.")
    language: str = Field(
        "", max_length=10, description="Language of the candidate's page and emails."
    )
    job_id: Id


class ApplicationMoveIn(Schema):
    stage_id: Id


class SchedulingRequestIn(Schema):
    application_id: Id
    template_id: Id
    send_email: bool = Field(
        True, description="False: create the request and answer its link without emailing it."
    )
    kind: RequestKindName | None = Field(
        None,
        description=(
            "offer_times: the candidate picks an offered time; ask_availability: they share "
            "when they could do. Default: the template's."
        ),
    )


class BookIn(Schema):
    start: Instant = Field(
        description=(
            "An offered time; once the candidate shared their availability, one of the "
            "request's suggestions (400 otherwise, 409 if it was just taken)."
        )
    )
    time_zone: str = Field(
        "",
        max_length=64,
        description="The candidate's zone for their invite; default: theirs or the company's.",
    )


class RescheduleIn(Schema):
    start: Instant
    reason: str = Field("", max_length=2000, description="Why it moves (on the timeline).")


class CancelIn(Schema):
    reason: str = Field("", max_length=2000)


class InterviewFilter(Schema):
    from_: Instant | None = Field(None, alias="from", description="Starting at or after.")
    to: Instant | None = Field(None, description="Starting before.")


class RequestFilter(Schema):
    status: RequestStatus | None = None


class CandidateFilter(Schema):
    email: str | None = Field(None, max_length=254, description="Exact address.")


class SlotsQuery(Schema):
    from_: Instant | None = Field(None, alias="from", description="Default: now.")
    to: Instant | None = Field(None, description="Default and most: 62 days after `from`.")


# --- Output ------------------------------------------------------------------------------------


# Answered as ``scheduling.documents.instant_z`` writes it (UTC, ``Z``), unchanged: the same
# text as in webhook payloads.
InstantText = Annotated[
    str, WithJsonSchema({"type": "string", "format": "date-time", "description": "UTC, Z."})
]
RequestStatus = Literal[REQUEST_STATUSES]  # type: ignore[valid-type]
InterviewStatus = Literal[INTERVIEW_STATUSES]  # type: ignore[valid-type]


class Problem(Schema):
    field: str
    message: str


class Error(Schema):
    detail: str
    errors: list[Problem] | None = None


class StageOut(Schema):
    id: str
    name: str
    position: int


class JobOut(Schema):
    id: str
    title: str
    status: str
    location: str
    stages: list[StageOut]
    created_at: InstantText


class ApplicationOut(Schema):
    id: str
    candidate_id: str
    job_id: str
    stage_id: str
    created_at: InstantText


class CandidateOut(Schema):
    id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    time_zone: str
    language: str
    applications: list[ApplicationOut]
    created_at: InstantText


class InterviewTemplateOut(Schema):
    id: str
    name: str
    duration_minutes: int


class LoopSessionOut(Schema):
    """One session of a loop template, in order."""

    name: str
    duration_minutes: int
    gap_after_minutes: int


class SelfScheduleTemplateOut(Schema):
    id: str
    name: str
    duration_minutes: int = Field(description="A loop's: from its first start to its last end.")
    interview_template: InterviewTemplateOut
    sessions: list[LoopSessionOut] = Field(
        description="A loop template's sessions in order; empty for a single interview."
    )
    conferencing: str
    link_expiry_days: int
    created_at: InstantText


class RequestLoopOut(Schema):
    """A loop template's request: how many sessions, and the booked loop once there is one."""

    sessions: int
    id: str | None
    status: str | None
    start: InstantText | None
    end: InstantText | None
    interview_ids: list[str] = Field(description="The loop's sessions in order.")


class SchedulingRequestOut(Schema):
    """A scheduling request, as webhooks carry it too (``data.request``)."""

    id: str
    kind: RequestKindName
    status: RequestStatus
    link: str = Field(description="The candidate's personal URL: it acts as them.")
    expires_at: InstantText
    application_id: str
    candidate_id: str
    template_id: str
    interview_id: str | None
    loop: RequestLoopOut | None = Field(description="Null unless the template is a loop.")
    emailed: bool
    opened_at: InstantText | None
    created_at: InstantText


class PersonOut(Schema):
    id: str
    name: str
    email: str


class SeatAssignmentOut(Schema):
    """Who was drawn from a pool seat at booking, and why (fewest interviews for their
    weight, then least recently booked)."""

    pool_id: str
    pool: str
    user_id: str
    name: str
    reason: str


class StepSummary(Schema):
    kind: str
    action: str
    state: str
    attempts: int
    last_error: str


class StepOut(Schema):
    id: str
    kind: str
    action: str
    state: str
    attempts: int
    last_error: str
    next_attempt_at: InstantText | None
    done_at: InstantText | None
    created_at: InstantText


class InterviewOut(Schema):
    """An interview, as webhooks carry it too (``data.interview``)."""

    id: str
    request_id: str
    application_id: str
    start: InstantText
    end: InstantText
    status: InterviewStatus
    candidate_time_zone: str
    interviewers: list[PersonOut]
    assignment: list[SeatAssignmentOut]
    conference_url: str
    steps: list[StepSummary]
    loop_id: str | None = Field(description="The loop this session belongs to, else null.")
    loop_position: int | None = Field(description="Its place in the loop, 0 first.")
    cancelled_at: InstantText | None
    cancel_reason: str
    created_at: InstantText


class ReminderOut(Schema):
    id: str
    audience: Literal["candidate", "interviewer"]
    channel: Literal["email", "sms"]
    due_at: InstantText
    state: Literal["planned", "sent", "skipped", "cancelled", "failed"]
    reason: str


class NoShowOut(Schema):
    who: Literal["candidate", "interviewer"]
    note: str
    marked_at: InstantText
    follow_up_request_id: str | None = Field(
        description="The fresh request offering a new time, when the template makes one."
    )


class RescheduleOut(Schema):
    at: InstantText
    by: Literal["candidate", "team"]
    detail: str = Field(description="From → to, in UTC.")
    reason: str


class InterviewDetailOut(InterviewOut):
    """One interview with its reminders, no-show and the request's reschedules."""

    reminders: list[ReminderOut]
    no_show: NoShowOut | None
    reschedules: list[RescheduleOut]


class NoShowIn(Schema):
    who: Literal["candidate", "interviewer"]
    note: str = Field("", max_length=2000)


class NudgeOut(Schema):
    id: str
    due_at: InstantText
    state: Literal["planned", "sent", "skipped", "cancelled", "failed"]
    reason: str


class SlotOut(Schema):
    start: InstantText
    end: InstantText


class AvailabilityOut(Schema):
    """The times the candidate said they could do (issue 16)."""

    time_zone: str = Field(description="The candidate's IANA zone when they shared them.")
    windows: list[SlotOut] = Field(description="Instants, earliest first, not overlapping.")
    note: str
    submitted_at: InstantText


class SchedulingRequestDetailOut(SchedulingRequestOut):
    """One request with its nudges (planned ones are cancelled by booking or cancelling),
    the availability the candidate shared and the times that fit it."""

    nudges: list[NudgeOut]
    availability: AvailabilityOut | None = Field(
        description="Null until the candidate shares when they could do."
    )
    suggestions: list[SlotOut] = Field(
        description=(
            "Times the candidate's slots would offer that lie wholly inside one of their "
            "windows, earliest first; book one with POST …/book."
        )
    )


class SlotsOut(Schema):
    slots: list[SlotOut]


class CalendarOut(Schema):
    id: str
    provider: str
    account: str
    status: str = Field(description="active, needs_reconnect or broken.")
    receives_events: bool
    last_synced_at: InstantText | None
    last_error: str
    stale: bool = Field(description="Busy time not read lately: the person is not offered.")


class InterviewerOut(Schema):
    id: str
    name: str
    email: str
    role: str
    time_zone: str
    has_working_hours: bool
    calendars: list[CalendarOut]
    created_at: InstantText


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """``{"items": [item], "next": cursor | null}`` for one kind of item."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"items": list[item], "next": str | None},  # type: ignore[valid-type]
            "__module__": __name__,
        },
    )


JobPage = page_schema(JobOut, "JobPage")
CandidatePage = page_schema(CandidateOut, "CandidatePage")
SelfScheduleTemplatePage = page_schema(SelfScheduleTemplateOut, "SelfScheduleTemplatePage")
InterviewTemplatePage = page_schema(InterviewTemplateOut, "InterviewTemplatePage")
SchedulingRequestPage = page_schema(SchedulingRequestOut, "SchedulingRequestPage")
InterviewPage = page_schema(InterviewOut, "InterviewPage")
StepPage = page_schema(StepOut, "StepPage")
InterviewerPage = page_schema(InterviewerOut, "InterviewerPage")


class PoolMemberOut(Schema):
    user_id: str
    name: str
    weight: int
    active: bool = Field(description="A paused member stays in the pool but is never offered.")


class PoolOut(Schema):
    id: str
    name: str
    max_per_day: int | None = Field(description="The pool's own daily cap, or null.")
    max_per_week: int | None = Field(description="The pool's own weekly cap, or null.")
    members: list[PoolMemberOut]
    created_at: InstantText


PoolPage = page_schema(PoolOut, "PoolPage")


class LoadRowOut(Schema):
    user_id: str
    name: str
    time_zone: str
    weekly_cap: int | None
    weight: int
    counts: list[int] = Field(description="Interviews starting in each of `weeks`, in their zone.")


class LoadReportOut(Schema):
    weeks: list[str] = Field(description="The Monday of each week, oldest first (ISO dates).")
    pool_id: str | None
    fairness: float | None = Field(
        description="Spread between the most and least loaded active member, per weight."
    )
    rows: list[LoadRowOut]


# --- Webhooks ----------------------------------------------------------------------------------


class WebhookEndpointIn(Schema):
    url: str = Field(max_length=2000, description="https; never a private address.")
    event_types: list[str] = Field(
        max_length=20, description='Event types to receive; ["*"] for all.'
    )
    description: str = Field("", max_length=500)


class WebhookEndpointOut(Schema):
    id: str
    url: str
    description: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str
    failing_since: InstantText | None
    created_at: InstantText


class WebhookEndpointCreated(WebhookEndpointOut):
    secret: str = Field(description="whsec_…: shown this once; verify signatures with it.")


class WebhookSecretOut(Schema):
    secret: str = Field(description="The new whsec_… secret, shown this once.")
    previous_secret_expires_at: InstantText | None = Field(
        description="Until then the previous secret signs too (two signatures per header)."
    )


class WebhookDeliveryOut(Schema):
    id: str
    message_id: str = Field(description="The webhook-id header: the same on every retry.")
    event_type: str
    attempt: int
    succeeded: bool
    status_code: int | None
    response_ms: int | None
    error: str
    created_at: InstantText


class WebhookMessageOut(Schema):
    message_id: str
    endpoint_id: str
    event_type: str
    state: str
    attempts: int
    created_at: InstantText


WebhookEndpointPage = page_schema(WebhookEndpointOut, "WebhookEndpointPage")
WebhookDeliveryPage = page_schema(WebhookDeliveryOut, "WebhookDeliveryPage")
