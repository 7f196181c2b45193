"""Sending, opening and cancelling self-scheduling requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from hireslot.accounts.models import AvailabilitySettings, Organization, User
from hireslot.accounts.plans import self_scheduling_require
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.tokens import link_token_new
from hireslot.messaging.merge_fields import (
    MergeValues,
    merge_template_render,
    merge_template_validate,
)
from hireslot.messaging.services import outgoing_email_queue
from hireslot.recruiting.models import Application
from hireslot.scheduling.conference import conference_problem
from hireslot.scheduling.errors import RequestSkippedError
from hireslot.scheduling.links import scheduling_link
from hireslot.scheduling.models import (
    BulkSend,
    RequestEvent,
    SchedulingRequest,
    SelfScheduleTemplate,
)


def merge_values_for(
    *, request: SchedulingRequest, application: Application, sender: User | None
) -> MergeValues:
    candidate = application.candidate
    return MergeValues(
        candidate_first_name=candidate.first_name,
        candidate_last_name=candidate.last_name,
        candidate_email=candidate.email,
        job_title=application.job.title,
        organization_name=application.organization.name,
        interview_name=request.template.interview_template.name,
        interview_duration=request.duration_minutes,
        sender_name=sender.get_full_name() if sender else application.organization.name,
        sender_email=sender.email if sender else "",
        scheduling_link=scheduling_link(request),
    )


def template_interviewers(
    *, template: SelfScheduleTemplate, application: Application, sender: User | None
) -> list[User]:
    """Who interviews: the template's people, plus the job's hiring manager when chosen;
    the sender when that leaves nobody (so the starter template works on day one)."""
    people = {user.pk: user for user in template.interviewers.all()}
    manager = application.job.hiring_manager
    if template.include_hiring_manager and manager is not None:
        people.setdefault(manager.pk, manager)
    if not people and sender is not None:
        people[sender.pk] = sender
    return sorted(people.values(), key=lambda user: str(user.pk))


def _interviewers_check(interviewers: Sequence[User]) -> None:
    if not interviewers:
        raise HireSlotError("The template has no interviewers; choose at least one person.")
    with_hours = set(
        AvailabilitySettings.objects.filter(user__in=interviewers)
        .exclude(weekly_hours={})
        .values_list("user_id", flat=True)
    )
    idle = [user.get_full_name() for user in interviewers if user.pk not in with_hours]
    if idle:
        raise HireSlotError(
            f"{', '.join(idle)} {'has' if len(idle) == 1 else 'have'} no working hours in "
            "My Settings, so the candidate could not book any time."
        )


def _waiting_refusal(*, application: Application, template: SelfScheduleTemplate) -> str:
    candidate = application.candidate
    return (
        f"{candidate.name} already has a pending request for the "
        f"{template.interview_template.name}."
    )


def _waiting_requests(
    *, applications: Sequence[Application], template: SelfScheduleTemplate, now: datetime
) -> QuerySet[SchedulingRequest]:
    """Requests still waiting for these candidates for the template's interview."""
    return SchedulingRequest.objects.filter(
        application__in=applications,
        template__interview_template_id=template.interview_template_id,
        status__in=SchedulingRequest.WAITING,
        expires_at__gt=now,
    )


def _people_check(
    *, interviewers: Sequence[User], template: SelfScheduleTemplate, organization: Organization
) -> None:
    """The checks that depend only on who interviews: working hours and the video link."""
    _interviewers_check(interviewers)
    problem = conference_problem(
        kind=template.conferencing,
        organization=organization,
        interviewers=interviewers,
        phone_number=template.phone_number,
    )
    if problem:
        raise HireSlotError(problem)


def _send_check(
    *,
    application: Application,
    template: SelfScheduleTemplate,
    sender: User | None,
    now: datetime,
) -> list[User]:
    """Everything that would stop a send, as a refusal a recruiter can act on; the
    interviewers when nothing does."""
    organization = application.organization
    self_scheduling_require(organization=organization)
    if template.organization_id != organization.pk:
        raise HireSlotError("That template belongs to another organization.")
    candidate = application.candidate
    if not candidate.email:
        raise RequestSkippedError(f"{candidate.name} has no email address.")
    if _waiting_requests(applications=[application], template=template, now=now).exists():
        raise RequestSkippedError(_waiting_refusal(application=application, template=template))
    interviewers = template_interviewers(template=template, application=application, sender=sender)
    _people_check(interviewers=interviewers, template=template, organization=organization)
    return interviewers


def scheduling_request_problem(
    *,
    application: Application,
    template: SelfScheduleTemplate,
    sender: User | None,
    now: datetime | None = None,
) -> str | None:
    """Why sending would be refused, asked before sending (None: it would go out)."""
    try:
        _send_check(
            application=application, template=template, sender=sender, now=now or clock.now()
        )
    except HireSlotError as error:
        return error.message
    return None


@dataclass(frozen=True)
class SentRequest:
    request: SchedulingRequest
    link: str


@transaction.atomic
def scheduling_request_send(
    *,
    application: Application,
    template: SelfScheduleTemplate,
    sender: User | None,
    subject: str | None = None,
    body: str | None = None,
    now: datetime | None = None,
) -> SentRequest:
    """Create a request, render its email in the sandbox and queue delivery, all or nothing.

    ``subject`` and ``body`` replace the template's text for this one send.
    """
    now = now or clock.now()
    interviewers = _send_check(application=application, template=template, sender=sender, now=now)
    for text in (subject, body):
        if text is not None:
            try:
                merge_template_validate(text)
            except ValidationError as error:
                raise HireSlotError(" ".join(error.messages)) from error

    return _request_create(
        application=application,
        template=template,
        sender=sender,
        interviewers=interviewers,
        now=now,
        subject=subject,
        body=body,
    )


def _request_create(
    *,
    application: Application,
    template: SelfScheduleTemplate,
    sender: User | None,
    interviewers: Sequence[User],
    now: datetime,
    subject: str | None = None,
    body: str | None = None,
    bulk_send: BulkSend | None = None,
) -> SentRequest:
    """The writes of a send whose checks have passed, in the caller's transaction: the
    email and its delivery task (the outbox), the request already linked to that email and
    to its bulk send (one INSERT), its interviewers (one INSERT) and the timeline event."""
    organization = application.organization
    candidate = application.candidate
    token, digest, nonce = link_token_new()
    request = SchedulingRequest(
        organization=organization,
        application=application,
        template=template,
        sender=sender,
        token_digest=digest,
        token_nonce=nonce,
        expires_at=now + timedelta(days=template.link_expiry_days),
        duration_minutes=template.interview_minutes,
        bulk_send=bulk_send,
    )
    values = merge_values_for(request=request, application=application, sender=sender)
    request.email = outgoing_email_queue(
        organization=organization,
        to=candidate.email,
        subject=merge_template_render(subject or template.email_template.subject, values).strip(),
        body_text=merge_template_render(body or template.email_template.body, values),
        kind="scheduling_request",
        target=candidate,
    )
    request.save(force_insert=True)
    through = SchedulingRequest.interviewers.through
    through.objects.bulk_create(
        [through(schedulingrequest_id=request.pk, user_id=user.pk) for user in interviewers]
    )
    RequestEvent.objects.create(
        organization=organization, request=request, kind=RequestEvent.Kind.SENT, actor=sender
    )
    return SentRequest(request=request, link=f"{settings.HIRESLOT_BASE_URL}/s/{token}")


class RequestBatch:
    """One template sent by one sender to many candidates of its organization (a bulk
    send), with what every send shares read once: the template, its email and interview
    templates and interviewers (prefetch them), and the answer of the working-hours and
    video-link checks for each set of interviewers met (candidates of one job share one).
    Pending requests are looked up for many candidates in one query (``waiting_load``).

    ``send`` refuses exactly what ``scheduling_request_send`` refuses, with the same
    messages, and writes the same rows; it runs in the caller's transaction (one per
    candidate, so one refusal or error does not undo the others).
    """

    def __init__(
        self, *, organization: Organization, template: SelfScheduleTemplate, sender: User | None
    ) -> None:
        self.organization = organization
        self.template = template
        self.sender = sender
        self._people_refusals: dict[tuple[object, ...], str | None] = {}
        self._waiting: set[object] = set()

    def waiting_load(self, *, applications: Sequence[Application], now: datetime) -> None:
        """Note which of these candidates already have a pending request (one query), just
        before sending to them."""
        self._waiting = set(
            _waiting_requests(
                applications=applications, template=self.template, now=now
            ).values_list("application_id", flat=True)
        )

    def send(
        self,
        *,
        application: Application,
        now: datetime,
        bulk_send: BulkSend | None = None,
    ) -> SentRequest:
        organization = self.organization
        self_scheduling_require(organization=organization)
        if (
            self.template.organization_id != organization.pk
            or application.organization_id != organization.pk
        ):
            raise HireSlotError("That template belongs to another organization.")
        application.organization = organization
        candidate = application.candidate
        if not candidate.email:
            raise RequestSkippedError(f"{candidate.name} has no email address.")
        if application.pk in self._waiting:
            raise RequestSkippedError(
                _waiting_refusal(application=application, template=self.template)
            )
        interviewers = template_interviewers(
            template=self.template, application=application, sender=self.sender
        )
        key = tuple(user.pk for user in interviewers)
        if key not in self._people_refusals:
            try:
                _people_check(
                    interviewers=interviewers, template=self.template, organization=organization
                )
            except HireSlotError as error:
                self._people_refusals[key] = error.message
            else:
                self._people_refusals[key] = None
        refusal = self._people_refusals[key]
        if refusal is not None:
            raise HireSlotError(refusal)
        return _request_create(
            application=application,
            template=self.template,
            sender=self.sender,
            interviewers=interviewers,
            now=now,
            bulk_send=bulk_send,
        )


@dataclass(frozen=True)
class BulkOutcome:
    application: Application
    outcome: Literal["sent", "skipped", "failed"]
    reason: str = ""
    request: SchedulingRequest | None = None


def scheduling_requests_send_bulk(
    *,
    applications: Sequence[Application],
    template: SelfScheduleTemplate,
    sender: User | None,
) -> list[BulkOutcome]:
    """Send to many candidates, one transaction each, so one bad row does not stop the rest."""
    self_scheduling_require(organization=template.organization)
    outcomes = []
    for application in applications:
        try:
            sent = scheduling_request_send(
                application=application, template=template, sender=sender
            )
        except RequestSkippedError as error:
            outcomes.append(BulkOutcome(application, "skipped", error.message))
        except HireSlotError as error:
            outcomes.append(BulkOutcome(application, "failed", error.message))
        else:
            outcomes.append(BulkOutcome(application, "sent", request=sent.request))
    return outcomes


def scheduling_request_open(*, request: SchedulingRequest, now: datetime | None = None) -> bool:
    """Record the first time the candidate opened the link; later opens change nothing."""
    now = now or clock.now()
    with transaction.atomic():
        # A conditional update: two tabs opening at once record one "opened".
        changed = SchedulingRequest.objects.filter(
            pk=request.pk, status=SchedulingRequest.Status.PENDING
        ).update(status=SchedulingRequest.Status.OPENED, opened_at=now, updated_at=now)
        if changed:
            RequestEvent.objects.create(
                organization_id=request.organization_id,
                request=request,
                kind=RequestEvent.Kind.OPENED,
                by_candidate=True,
            )
    return bool(changed)


def scheduling_request_cancel(
    *,
    request: SchedulingRequest,
    actor: User | None,
    reason: str = "",
    now: datetime | None = None,
) -> SchedulingRequest:
    """Withdraw a request; its link then shows a friendly "no longer available" page. A booked
    interview is cancelled with it (the candidate gets the cancellation)."""
    from hireslot.scheduling.services.booking import interview_cancel

    now = now or clock.now()
    with transaction.atomic():
        locked = SchedulingRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status == SchedulingRequest.Status.CANCELLED:
            return locked
        live = locked.interviews.filter(status="scheduled").first()
        if live is not None:
            interview_cancel(
                interview=live, actor=actor, by_candidate=False, reason=reason, now=now
            )
            locked.refresh_from_db()
            return locked
        locked.status = SchedulingRequest.Status.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
        RequestEvent.objects.create(
            organization_id=locked.organization_id,
            request=locked,
            kind=RequestEvent.Kind.CANCELLED,
            actor=actor,
            detail=reason,
        )
        return locked


def scheduling_request_resend(
    *, request: SchedulingRequest, actor: User | None, now: datetime | None = None
) -> SchedulingRequest:
    """Email the same link again; a request that expired gets a fresh expiry. A booked,
    cancelled or dismissed request is not resent."""
    now = now or clock.now()
    with transaction.atomic():
        locked = (
            SchedulingRequest.objects.select_for_update(of=("self",))
            .select_related(
                "template__email_template",
                "template__interview_template",
                "application__candidate",
                "application__job",
                "organization",
                "sender",
            )
            .get(pk=request.pk)
        )
        if locked.status not in SchedulingRequest.WAITING:
            raise HireSlotError("Only a request still waiting for the candidate can be resent.")
        candidate = locked.application.candidate
        if not candidate.email:
            raise HireSlotError(f"{candidate.name} has no email address.")
        values = merge_values_for(
            request=locked, application=locked.application, sender=locked.sender
        )
        email = outgoing_email_queue(
            organization=locked.organization,
            to=candidate.email,
            subject=merge_template_render(locked.template.email_template.subject, values).strip(),
            body_text=merge_template_render(locked.template.email_template.body, values),
            kind="scheduling_request",
            target=candidate,
        )
        locked.email = email
        locked.dismissed_at = None
        if locked.expires_at <= now:
            locked.expires_at = now + timedelta(days=locked.template.link_expiry_days)
        locked.save(update_fields=["email", "dismissed_at", "expires_at", "updated_at"])
        RequestEvent.objects.create(
            organization_id=locked.organization_id,
            request=locked,
            kind=RequestEvent.Kind.SENT,
            actor=actor,
            detail="Sent again",
        )
        return locked


def scheduling_request_dismiss(
    *, request: SchedulingRequest, now: datetime | None = None
) -> SchedulingRequest:
    """Take an expired, cancelled or failed request off the home page."""
    now = now or clock.now()
    if request.status_at(now) in (*SchedulingRequest.WAITING, *SchedulingRequest.BOOKED):
        raise HireSlotError("Only expired, cancelled or failed requests can be dismissed.")
    SchedulingRequest.objects.filter(pk=request.pk).update(dismissed_at=now, updated_at=now)
    request.dismissed_at = now
    return request
