"""Sending, opening, cancelling and resending self-scheduling requests.

Sending has one implementation, ``RequestBatch``: a single send (``scheduling_request_send``)
is a batch of one, a bulk send's run (``services.bulk``) a batch of many, and
``scheduling_request_problem`` asks the same checks before anything is sent. So every
refusal is written once and reads the same wherever it is met.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from hireslot.accounts.models import AvailabilitySettings, Organization, User
from hireslot.accounts.plans import self_scheduling_require
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.tokens import link_token_new
from hireslot.messaging.email_templates import (
    EmailText,
    email_template_text,
    email_template_versions,
    email_text_for,
)
from hireslot.messaging.merge_fields import merge_template_render, merge_template_validate
from hireslot.messaging.models import EmailTemplate, OutgoingEmail
from hireslot.messaging.senders import sender_problem
from hireslot.messaging.services import outgoing_email_queue
from hireslot.messaging.webhooks import (
    SCHEDULING_REQUEST_CANCELLED,
    SCHEDULING_REQUEST_EXPIRED,
    SCHEDULING_REQUEST_OPENED,
    SCHEDULING_REQUEST_SENT,
    CancelledBy,
    webhook_event_wanted,
)
from hireslot.recruiting.models import Application
from hireslot.scheduling.candidate_emails import request_email_html
from hireslot.scheduling.conference import conference_problem
from hireslot.scheduling.errors import RequestSkippedError
from hireslot.scheduling.interviewers import template_interviewers
from hireslot.scheduling.links import link_for_token, scheduling_link
from hireslot.scheduling.locks import request_locked
from hireslot.scheduling.loops import loop_sessions_of, loop_total_minutes
from hireslot.scheduling.merge_values import merge_values_for
from hireslot.scheduling.models import (
    BulkSend,
    RequestEvent,
    RequestKind,
    SchedulingRequest,
    SelfScheduleTemplate,
)
from hireslot.scheduling.services.booking import interview_cancel
from hireslot.scheduling.services.expiry_notice import request_expiry_notify
from hireslot.scheduling.services.nudges import nudges_cancel, nudges_plan
from hireslot.scheduling.services.starter import (
    AVAILABILITY_BODY,
    AVAILABILITY_NAME,
    AVAILABILITY_SUBJECT,
    INVITATION_NAME,
)
from hireslot.scheduling.webhook_events import request_event_emit


def template_send_check(*, organization: Organization, template: SelfScheduleTemplate) -> None:
    """The refusals no candidate can get past: the plan, and a template of another
    organization. A bulk send asks them at the click too, before recording anything."""
    self_scheduling_require(organization=organization)
    if template.organization_id != organization.pk:
        raise HireSlotError("That template belongs to another organization.")


def _interviewers_check(interviewers: Sequence[User], *, pool_seats: int = 0) -> None:
    if not interviewers and not pool_seats:
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


def _people_check(
    *, interviewers: Sequence[User], template: SelfScheduleTemplate, organization: Organization
) -> None:
    """The checks that depend only on who interviews: working hours and the video link."""
    _interviewers_check(
        interviewers, pool_seats=template.pool_seats_count + template.loop_sessions_count
    )
    problem = conference_problem(
        kind=template.conferencing,
        organization=organization,
        interviewers=interviewers,
        phone_number=template.phone_number,
    )
    if problem:
        raise HireSlotError(problem)


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


def request_kind_of(template: SelfScheduleTemplate) -> str:
    """The kind of request a template sends unless told otherwise."""
    return RequestKind.ASK_AVAILABILITY if template.ask_availability else RequestKind.OFFER_TIMES


def request_email_template(*, template: SelfScheduleTemplate, kind: str) -> EmailTemplate | None:
    """The email a request of ``kind`` sent from ``template`` says: the template's own when
    the kind is the template's; otherwise the organization's starter for that kind (an
    availability request from a template that offers times says "share when you are free",
    issue 16). None: the built-in availability text (an organization made before it)."""
    if kind == request_kind_of(template):
        return template.email_template
    name = AVAILABILITY_NAME if kind == RequestKind.ASK_AVAILABILITY else INVITATION_NAME
    found = EmailTemplate.objects.filter(
        organization_id=template.organization_id, name=name
    ).first()
    if found is None and kind == RequestKind.OFFER_TIMES:
        return template.email_template
    return found


def request_email_text(*, template: SelfScheduleTemplate, kind: str, language: str) -> EmailText:
    """``request_email_template``'s text for a reader of ``language``."""
    email_template = request_email_template(template=template, kind=kind)
    if email_template is None:
        return EmailText(subject=AVAILABILITY_SUBJECT, body=AVAILABILITY_BODY)
    return email_text_for(template=email_template, language=language)


def _edited_text_problem(*texts: str | None) -> str | None:
    """Why text a recruiter edited for one send cannot be used (validated like a template)."""
    for text in texts:
        if text is not None:
            try:
                merge_template_validate(text)
            except ValidationError as error:
                return " ".join(error.messages)
    return None


@dataclass(frozen=True)
class SentRequest:
    request: SchedulingRequest
    link: str


class RequestBatch:
    """One template sent by one sender to candidates of its organization: the one
    implementation of sending, for one candidate and for many.

    What every send shares is read once: the template (prefetch its interviewers for many),
    and the answer of the working-hours and video-link checks for each set of interviewers
    met (candidates of one job share one). Pending requests can be looked up for many
    candidates in one query (``waiting_load``); a candidate not looked up that way is asked
    about on its own. ``subject`` and ``body`` replace the template's text for this batch.

    ``check`` raises every refusal, in one order, as a message a recruiter can act on:
    ``RequestSkippedError`` when the candidate needs nothing sent (no address, a request
    already waiting), ``HireSlotError`` otherwise. ``send`` checks, then writes in the
    caller's transaction (one per candidate, so one refusal or error does not undo others).
    ``send_email=False`` creates the request and its link without emailing the candidate
    (an applicant-tracking system sending its own message through the API, or a recruiter
    booking for the candidate: ``services.coordinator``); ``note`` then replaces what the
    timeline says about it. ``kind``: offer times or ask for the candidate's availability
    (issue 16); the template's when None.

    Each candidate gets the email template's version in their language, when it has one;
    the versions are read once, at the first candidate with a language.
    """

    def __init__(
        self,
        *,
        organization: Organization,
        template: SelfScheduleTemplate,
        sender: User | None,
        subject: str | None = None,
        body: str | None = None,
        send_email: bool = True,
        note: str = "",
        kind: str | None = None,
    ) -> None:
        if kind is not None and kind not in RequestKind.values:
            raise HireSlotError(f"“kind” must be one of {', '.join(RequestKind.values)}.")
        self.kind = kind or request_kind_of(template)
        self.organization = organization
        self.template = template
        self.sender = sender
        self.subject = subject
        self.body = body
        self.send_email = send_email
        self.note = note
        self._people_refusals: dict[tuple[object, ...], str | None] = {}
        self._looked_up: set[object] = set()
        self._waiting: set[object] = set()
        self._versions: dict[str, EmailText] | None = None
        # Whether any webhook endpoint receives "sent": asked once per batch, like the
        # template (an endpoint added during a long bulk run hears from the next one).
        self._sent_wanted: bool | None = None

    def waiting_load(self, *, applications: Sequence[Application], now: datetime) -> None:
        """Note which of these candidates already have a pending request (one query), just
        before sending to them."""
        self._looked_up = {application.pk for application in applications}
        self._waiting = set(
            _waiting_requests(
                applications=applications, template=self.template, now=now
            ).values_list("application_id", flat=True)
        )

    def _is_waiting(self, application: Application, now: datetime) -> bool:
        if application.pk in self._looked_up:
            return application.pk in self._waiting
        return _waiting_requests(
            applications=[application], template=self.template, now=now
        ).exists()

    def _email_text(self, language: str) -> EmailText:
        """The template's text for a reader of ``language`` (its own text when blank)."""
        if self.kind != request_kind_of(self.template):
            return request_email_text(template=self.template, kind=self.kind, language=language)
        email_template = self.template.email_template
        if not language:
            return email_template_text(email_template)
        if self._versions is None:
            self._versions = email_template_versions(template=email_template)
        return self._versions.get(language) or email_template_text(email_template)

    def _people_refusal(self, interviewers: Sequence[User]) -> str | None:
        key = tuple(user.pk for user in interviewers)
        if key not in self._people_refusals:
            try:
                _people_check(
                    interviewers=interviewers,
                    template=self.template,
                    organization=self.organization,
                )
            except HireSlotError as error:
                self._people_refusals[key] = error.message
            else:
                self._people_refusals[key] = None
        return self._people_refusals[key]

    def check(self, *, application: Application, now: datetime) -> list[User]:
        """Everything that would stop sending to this candidate (raised); the interviewers
        when nothing does."""
        organization = self.organization
        template_send_check(organization=organization, template=self.template)
        problem = sender_problem(organization)
        if problem:
            # Its booking would send an invitation nobody can answer (production only).
            raise HireSlotError(problem)
        if application.organization_id != organization.pk:
            raise HireSlotError("That template belongs to another organization.")
        application.organization = organization  # the same row, read once for the batch
        candidate = application.candidate
        if not candidate.email:
            raise RequestSkippedError(f"{candidate.name} has no email address.")
        if self._is_waiting(application, now):
            raise RequestSkippedError(
                f"{candidate.name} already has a pending request for the "
                f"{self.template.interview_template.name}."
            )
        interviewers = template_interviewers(
            template=self.template, application=application, sender=self.sender
        )
        refusal = self._people_refusal(interviewers)
        if refusal is not None:
            raise HireSlotError(refusal)
        return interviewers

    def send(
        self, *, application: Application, now: datetime, bulk_send: BulkSend | None = None
    ) -> SentRequest:
        """Check, then write the request, its email and its delivery (the outbox)."""
        interviewers = self.check(application=application, now=now)
        problem = _edited_text_problem(self.subject, self.body)
        if problem is not None:
            raise HireSlotError(problem)
        text = self._email_text(application.candidate.language)
        if self._sent_wanted is None:
            self._sent_wanted = webhook_event_wanted(
                organization=self.organization, event_type=SCHEDULING_REQUEST_SENT
            )
        return _request_create(
            application=application,
            template=self.template,
            sender=self.sender,
            interviewers=interviewers,
            now=now,
            subject=self.subject or text.subject,
            body=self.body or text.body,
            bulk_send=bulk_send,
            announce=self._sent_wanted,
            send_email=self.send_email,
            note=self.note,
            kind=self.kind,
        )


def scheduling_request_problem(
    *,
    application: Application,
    template: SelfScheduleTemplate,
    sender: User | None,
    now: datetime | None = None,
) -> str | None:
    """Why sending would be refused, asked before sending (None: it would go out)."""
    batch = RequestBatch(organization=application.organization, template=template, sender=sender)
    try:
        batch.check(application=application, now=now or clock.now())
    except HireSlotError as error:
        return error.message
    return None


@transaction.atomic
def scheduling_request_send(
    *,
    application: Application,
    template: SelfScheduleTemplate,
    sender: User | None,
    subject: str | None = None,
    body: str | None = None,
    send_email: bool = True,
    note: str = "",
    kind: str | None = None,
    now: datetime | None = None,
) -> SentRequest:
    """Send to one candidate, a batch of one: create the request, render its email in the
    sandbox and queue delivery, all or nothing.

    ``subject`` and ``body`` replace the template's text for this one send;
    ``send_email=False`` makes the request and its link without emailing them (``note``:
    what the timeline says instead); ``kind`` (``RequestKind``) overrides the template's.
    """
    batch = RequestBatch(
        organization=application.organization,
        template=template,
        sender=sender,
        subject=subject,
        body=body,
        send_email=send_email,
        note=note,
        kind=kind,
    )
    return batch.send(application=application, now=now or clock.now())


def _request_create(
    *,
    application: Application,
    template: SelfScheduleTemplate,
    sender: User | None,
    interviewers: Sequence[User],
    now: datetime,
    subject: str | None,
    body: str | None,
    bulk_send: BulkSend | None,
    announce: bool = True,
    send_email: bool = True,
    note: str = "",
    kind: str = RequestKind.OFFER_TIMES,
) -> SentRequest:
    """The writes of a send whose checks have passed, in the caller's transaction: the
    email and its delivery task (the outbox), the request already linked to that email and
    to its bulk send (one INSERT), its interviewers (one INSERT) and the timeline event."""
    organization = application.organization
    token, digest, nonce = link_token_new()
    request = SchedulingRequest(
        organization=organization,
        application=application,
        template=template,
        sender=sender,
        token_digest=digest,
        token_nonce=nonce,
        expires_at=now + timedelta(days=template.link_expiry_days),
        duration_minutes=(
            loop_total_minutes(loop_sessions_of(template))
            if template.loop_sessions_count
            else template.interview_minutes
        ),
        bulk_send=bulk_send,
        kind=kind,
        status=(
            SchedulingRequest.Status.AVAILABILITY_REQUESTED
            if kind == RequestKind.ASK_AVAILABILITY
            else SchedulingRequest.Status.PENDING
        ),
    )
    if send_email:
        request.email = _request_email(
            request=request,
            application=application,
            sender=sender,
            token=token,
            subject=subject,
            body=body,
        )
    request.save(force_insert=True)
    through = SchedulingRequest.interviewers.through
    through.objects.bulk_create(
        [through(schedulingrequest_id=request.pk, user_id=user.pk) for user in interviewers]
    )
    RequestEvent.objects.create(
        organization=organization,
        request=request,
        kind=RequestEvent.Kind.SENT,
        actor=sender,
        detail=" ".join(
            part
            for part in (
                "Availability requested." if kind == RequestKind.ASK_AVAILABILITY else "",
                "" if send_email else note or "Link created, not emailed: the sender delivers it.",
            )
            if part
        ),
    )
    if send_email:
        nudges_plan(request=request, now=now)  # issue 17
    if announce:
        request_event_emit(request=request, event_type=SCHEDULING_REQUEST_SENT, wanted=True)
    return SentRequest(request=request, link=link_for_token(token))


def _request_email(
    *,
    request: SchedulingRequest,
    application: Application,
    sender: User | None,
    token: str,
    subject: str | None,
    body: str | None,
) -> OutgoingEmail:
    """The request's email, rendered in the sandbox and queued for delivery (the outbox)."""
    organization = application.organization
    candidate = application.candidate
    template = request.template
    values = merge_values_for(request=request, application=application, sender=sender)
    body_text = merge_template_render(body or template.email_template.body, values)
    return outgoing_email_queue(
        organization=organization,
        to=candidate.email,
        subject=merge_template_render(subject or template.email_template.subject, values).strip(),
        body_text=body_text,
        body_html=request_email_html(
            organization=organization,
            candidate=candidate,
            body=body_text,
            link=link_for_token(token),
        ),
        kind="scheduling_request",
        target=candidate,
    )


def scheduling_request_open(*, request: SchedulingRequest, now: datetime | None = None) -> bool:
    """Record the first time the candidate opened the link; later opens change nothing. An
    availability request keeps its status (``availability_requested``): only ``opened_at``
    and the timeline say it was opened."""
    now = now or clock.now()
    with transaction.atomic():
        # A conditional update: two tabs opening at once record one "opened".
        if request.status == SchedulingRequest.Status.AVAILABILITY_REQUESTED:
            changed = SchedulingRequest.objects.filter(
                pk=request.pk,
                status=SchedulingRequest.Status.AVAILABILITY_REQUESTED,
                opened_at__isnull=True,
            ).update(opened_at=now, updated_at=now)
        else:
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
            if request.status == SchedulingRequest.Status.PENDING:
                request.status = SchedulingRequest.Status.OPENED
            request.opened_at = now
            request_event_emit(request=request, event_type=SCHEDULING_REQUEST_OPENED)
    return bool(changed)


def scheduling_request_cancel(
    *,
    request: SchedulingRequest,
    actor: User | None,
    reason: str = "",
    cancelled_by: CancelledBy = "recruiter",
    now: datetime | None = None,
) -> SchedulingRequest:
    """Withdraw a request; its link then shows a friendly "no longer available" page. A booked
    interview is cancelled with it (the candidate gets the cancellation). ``cancelled_by``:
    "recruiter" (a page) or "api" (an API key), as webhooks tell it."""
    now = now or clock.now()
    with transaction.atomic():
        locked = request_locked(SchedulingRequest.objects.all()).get(pk=request.pk)
        if locked.status == SchedulingRequest.Status.CANCELLED:
            return locked
        live = locked.interviews.filter(status="scheduled", loop_position=0).first()
        if live is not None:
            interview_cancel(
                interview=live,
                actor=actor,
                by_candidate=False,
                reason=reason,
                cancelled_by=cancelled_by,
                now=now,
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
        nudges_cancel(request=locked, reason="The request was cancelled.")  # issue 17
        request_event_emit(request=locked, event_type=SCHEDULING_REQUEST_CANCELLED)
        return locked


def scheduling_request_resend(
    *, request: SchedulingRequest, actor: User | None, now: datetime | None = None
) -> SchedulingRequest:
    """Email the same link again; a request that expired gets a fresh expiry. A booked,
    cancelled or dismissed request is not resent."""
    now = now or clock.now()
    with transaction.atomic():
        locked = (
            request_locked(SchedulingRequest.objects.all())
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
        text = request_email_text(
            template=locked.template, kind=locked.kind, language=candidate.language
        )
        body_text = merge_template_render(text.body, values)
        email = outgoing_email_queue(
            organization=locked.organization,
            to=candidate.email,
            subject=merge_template_render(text.subject, values).strip(),
            body_text=body_text,
            body_html=request_email_html(
                organization=locked.organization,
                candidate=candidate,
                body=body_text,
                link=scheduling_link(locked),
            ),
            kind="scheduling_request",
            target=candidate,
        )
        locked.email = email
        locked.dismissed_at = None
        if locked.expires_at <= now:
            locked.expires_at = now + timedelta(days=locked.template.link_expiry_days)
            locked.expiry_announced_at = None
        locked.save(
            update_fields=[
                "email",
                "dismissed_at",
                "expires_at",
                "expiry_announced_at",
                "updated_at",
            ]
        )
        RequestEvent.objects.create(
            organization_id=locked.organization_id,
            request=locked,
            kind=RequestEvent.Kind.SENT,
            actor=actor,
            detail="Sent again",
        )
        request_event_emit(request=locked, event_type=SCHEDULING_REQUEST_SENT)
        return locked


# Requests older than this when first seen expired are not announced (say, after an upgrade).
EXPIRY_ANNOUNCE_WINDOW = timedelta(days=2)
EXPIRY_ANNOUNCE_BATCH = 200


def scheduling_requests_expiry_announce(*, now: datetime | None = None) -> int:
    """Record ``scheduling_request.expired`` for each request still waiting whose link ran
    out since the last look (the sweep runs it every few minutes); once per expiry. Returns
    how many."""
    now = now or clock.now()
    announced = 0
    while True:
        with transaction.atomic():
            expired = list(
                request_locked(SchedulingRequest.objects.all())
                .select_related(
                    "organization",
                    "email",
                    "sender",
                    "template__interview_template",
                    "application__candidate",
                )
                .filter(
                    status__in=SchedulingRequest.WAITING,
                    expires_at__lte=now,
                    expires_at__gt=now - EXPIRY_ANNOUNCE_WINDOW,
                    expiry_announced_at__isnull=True,
                )
                .order_by("expires_at")[:EXPIRY_ANNOUNCE_BATCH]
            )
            for request in expired:
                request.expiry_announced_at = now
                request.save(update_fields=["expiry_announced_at", "updated_at"])
                request_event_emit(request=request, event_type=SCHEDULING_REQUEST_EXPIRED)
                request_expiry_notify(request=request)  # issue 17
        announced += len(expired)
        if len(expired) < EXPIRY_ANNOUNCE_BATCH:
            return announced


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


def scheduling_request_undismiss(
    *, request: SchedulingRequest, now: datetime | None = None
) -> SchedulingRequest:
    """Undo a dismissal: the request is back on the home page."""
    now = now or clock.now()
    SchedulingRequest.objects.filter(pk=request.pk).update(dismissed_at=None, updated_at=now)
    request.dismissed_at = None
    return request
