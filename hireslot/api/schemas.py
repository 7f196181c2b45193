"""The API's documents, typed: what each operation takes and answers (the OpenAPI
description is generated from these). Instants are answered in UTC with ``Z``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, Field

from hireslot.core.request_input import instant_in_range

# --- Input -------------------------------------------------------------------------------------


def _instant_check(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("An instant needs a time zone, e.g. 2026-03-02T15:00:00Z.")
    if not instant_in_range(moment):
        raise ValueError("That instant is outside the years 1900–9000.")
    return moment


Instant = Annotated[datetime, AfterValidator(_instant_check)]
Id = Annotated[str, Field(min_length=1, max_length=64, description="An object's id.")]


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


class BookIn(Schema):
    start: Instant
    time_zone: str = Field(
        "",
        max_length=64,
        description="The candidate's zone for their invite; default: theirs or the company's.",
    )


class RescheduleIn(Schema):
    start: Instant


class CancelIn(Schema):
    reason: str = Field("", max_length=2000)


class InterviewFilter(Schema):
    from_: Instant | None = Field(None, alias="from", description="Starting at or after.")
    to: Instant | None = Field(None, description="Starting before.")


class RequestFilter(Schema):
    status: (
        Literal["pending", "opened", "scheduled", "rescheduled", "cancelled", "expired", "failed"]
        | None
    ) = None


class CandidateFilter(Schema):
    email: str | None = Field(None, max_length=254, description="Exact address.")


class SlotsQuery(Schema):
    from_: Instant | None = Field(None, alias="from", description="Default: now.")
    to: Instant | None = Field(None, description="Default and most: 62 days after `from`.")


# --- Output ------------------------------------------------------------------------------------


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
    created_at: datetime


class ApplicationOut(Schema):
    id: str
    candidate_id: str
    job_id: str
    stage_id: str
    created_at: datetime


class CandidateOut(Schema):
    id: str
    first_name: str
    last_name: str
    email: str
    phone: str
    time_zone: str
    language: str
    applications: list[ApplicationOut]
    created_at: datetime


class InterviewTemplateOut(Schema):
    id: str
    name: str
    duration_minutes: int


class SelfScheduleTemplateOut(Schema):
    id: str
    name: str
    duration_minutes: int
    interview_template: InterviewTemplateOut
    conferencing: str
    link_expiry_days: int
    created_at: datetime


class SchedulingRequestOut(Schema):
    id: str
    status: str
    link: str = Field(description="The candidate's personal URL: it acts as them.")
    expires_at: datetime
    application_id: str
    candidate_id: str
    template_id: str
    interview_id: str | None
    emailed: bool
    opened_at: datetime | None
    created_at: datetime


class PersonOut(Schema):
    id: str
    name: str
    email: str


class StepOut(Schema):
    id: str
    kind: str
    action: str
    state: str
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    done_at: datetime | None
    created_at: datetime


class InterviewOut(Schema):
    id: str
    request_id: str
    application_id: str
    start: datetime
    end: datetime
    status: str
    candidate_time_zone: str
    interviewers: list[PersonOut]
    conference_url: str
    steps: list[StepOut]
    cancelled_at: datetime | None
    cancel_reason: str
    created_at: datetime


class SlotOut(Schema):
    start: datetime
    end: datetime


class SlotsOut(Schema):
    slots: list[SlotOut]


class CalendarOut(Schema):
    id: str
    provider: str
    account: str
    status: str = Field(description="active, needs_reconnect or broken.")
    receives_events: bool
    last_synced_at: datetime | None
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
    created_at: datetime


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
