"""Consequences carried out inside the database: each runs in the ledger's transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings

from hireslot.accounts.models import User
from hireslot.core.remote import PermanentProviderError
from hireslot.core.time_text import when_text
from hireslot.messaging.invites import InviteMethod
from hireslot.messaging.merge_fields import merge_template_render
from hireslot.messaging.notifications import NotificationEmail, NotificationTopic, notification_send
from hireslot.messaging.senders import sender_problem
from hireslot.messaging.services import outgoing_email_queue
from hireslot.recruiting.models import TaskTemplate, WorkflowStage
from hireslot.recruiting.services import application_stage_move, task_create
from hireslot.scheduling.candidate_emails import interview_email
from hireslot.scheduling.conference import NETWORK_KINDS
from hireslot.scheduling.invites import interview_invite_ics, loop_invite_ics
from hireslot.scheduling.merge_values import merge_values_for
from hireslot.scheduling.models import Effect, Interview, InterviewLoop, WorkflowAction
from hireslot.scheduling.services.effects.remote import LinkPendingError, link_required
from hireslot.scheduling.slots import availability_of

RECRUITER_LOCALE = "en_US"


def _invite_send(effect: Effect) -> str:
    """The candidate's invite email (iMIP REQUEST or CANCEL), in their language."""
    interview = link_required(effect)
    organization = interview.application.organization
    problem = sender_problem(organization)
    if problem:
        raise PermanentProviderError(problem)
    candidate = interview.application.candidate
    payload = effect.payload
    start, end = datetime.fromisoformat(payload["start"]), datetime.fromisoformat(payload["end"])
    method: InviteMethod = "CANCEL" if payload["method"] == "CANCEL" else "REQUEST"
    if payload.get("loop"):
        loop = InterviewLoop.objects.get(pk=payload["loop"])
        if method == "REQUEST":
            _loop_links_wait(loop)
        message = interview_email(effect, start=start, end=end, loop=loop)
        ics = loop_invite_ics(
            interview, loop, method=method, sequence=int(payload["sequence"]), start=start, end=end
        )
    else:
        message = interview_email(effect, start=start, end=end)
        ics = interview_invite_ics(
            interview, method=method, sequence=int(payload["sequence"]), start=start, end=end
        )
    email = outgoing_email_queue(
        organization=organization,
        to=candidate.email,
        subject=message.subject,
        body_text=message.text,
        body_html=message.html,
        calendar_ics=ics,
        calendar_method=method,
        kind="interview_invite",
        target=candidate,
    )
    return str(email.pk)


def _loop_links_wait(loop: InterviewLoop) -> None:
    """The loop's one invite carries every session's link: wait until each exists (the
    first session's own is waited for by ``link_required``)."""
    missing = loop.interviews.filter(
        status=Interview.Status.SCHEDULED,
        conference_kind__in=list(NETWORK_KINDS),
        conference_url="",
    )
    if missing.exists():
        raise LinkPendingError("Waiting for the sessions' video links.", retry_after=5.0)


def _when_at(start: datetime, end: datetime, zone: str) -> str:
    """A time for the team's notifications (their workspace is English): the reader's zone,
    written by the same formatter as candidates' emails."""
    return when_text(start, end, zone=zone, locale=RECRUITER_LOCALE)


def _actor(effect: Effect) -> User | None:
    actor_id = effect.payload.get("actor_id")
    return User.objects.filter(pk=actor_id).first() if actor_id else None


def _task_create(effect: Effect) -> str:
    interview = effect.interview
    request = interview.request
    template = request.template.task_template
    if template is None:
        return "no task template"
    if interview.status == Interview.Status.CANCELLED:
        # Cancelled before this step ran: a task would only have to be closed by hand.
        return "interview cancelled"
    application = interview.application
    # A task goes to a team member, maybe an interviewer: {{ scheduling_link }} there is the
    # interview's page, never the candidate's link (which acts as the candidate).
    values = replace(
        merge_values_for(request=request, application=application, sender=request.sender),
        scheduling_link=f"{settings.HIRESLOT_BASE_URL}/interviews/{interview.pk}/",
    )
    if interview.loop_id is not None:
        # Each session of a loop has its own task: named after that session.
        values = replace(
            values,
            interview_name=interview.interview_template.name,
            interview_duration=int((interview.end - interview.start).total_seconds() // 60),
        )
    rule = template.assignee_rule
    assignee = {
        TaskTemplate.AssigneeRule.SENDER: request.sender,
        TaskTemplate.AssigneeRule.HIRING_MANAGER: application.job.hiring_manager,
        TaskTemplate.AssigneeRule.SPECIFIC_USER: template.assignee,
    }.get(TaskTemplate.AssigneeRule(rule))
    task = task_create(
        organization=application.organization,
        title=merge_template_render(template.title, values).strip()[:200],
        description=merge_template_render(template.description, values),
        assignee=assignee or request.sender,
        due_at=effect.created_at + timedelta(days=template.due_offset_days),
        application=application,
    )
    return str(task.pk)


def _stage_move(effect: Effect) -> str:
    interview = effect.interview
    application = interview.application
    template = interview.request.template
    stages = WorkflowStage.objects.filter(job_id=application.job_id).order_by("position")
    if template.workflow_action == WorkflowAction.NAMED_STAGE:
        target = stages.filter(name__iexact=template.move_to_stage_name).first()
        if target is None:
            raise PermanentProviderError(
                f"{application.job.title} has no stage named “{template.move_to_stage_name}”."
            )
    else:
        current = application.current_stage
        target = stages.filter(position__gt=current.position).first()
        if target is None:
            return "already at the last stage"
    application_stage_move(application=application, to_stage=target, actor=_actor(effect))
    return str(target.pk)


_NOTIFICATION_TOPICS = {
    Effect.Action.BOOK: NotificationTopic.INTERVIEW_BOOKED,
    Effect.Action.RESCHEDULE: NotificationTopic.INTERVIEW_RESCHEDULED,
    Effect.Action.CANCEL: NotificationTopic.INTERVIEW_CANCELLED,
}


def _notify(effect: Effect) -> str:
    interview = effect.interview
    recipient = effect.user
    if recipient is None:
        raise PermanentProviderError("The notification names no recipient.")
    candidate = interview.application.candidate
    name = interview.interview_template.name
    zone = availability_of(recipient).time_zone or "UTC"
    when = _when_at(interview.start, interview.end, zone)
    if interview.loop_id is not None:
        # A loop's first session tells of the whole loop.
        loop = InterviewLoop.objects.get(pk=interview.loop_id)
        name, when = loop.name, _when_at(loop.start, loop.end, zone)
    verb = {
        Effect.Action.BOOK: f"{candidate.name} booked a {name} for {when}",
        Effect.Action.RESCHEDULE: f"{candidate.name}'s {name} moved to {when}",
        Effect.Action.CANCEL: f"{candidate.name}'s {name} on {when} was cancelled",
    }[Effect.Action(effect.action)]
    notification = notification_send(
        organization=interview.application.organization,
        recipient=recipient,
        verb=verb,
        topic=_NOTIFICATION_TOPICS[Effect.Action(effect.action)],
        target=interview,
        email=NotificationEmail(
            subject=verb,
            body_text=f"{verb}.\n\n{settings.HIRESLOT_BASE_URL}/interviews/{interview.pk}/\n",
        ),
    )
    return str(notification.pk)


IN_DATABASE: dict[str, Callable[[Effect], str]] = {
    Effect.Kind.CANDIDATE_INVITE: _invite_send,
    Effect.Kind.TASK: _task_create,
    Effect.Kind.STAGE_MOVE: _stage_move,
    Effect.Kind.NOTIFICATION: _notify,
}
