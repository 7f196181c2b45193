"""No-shows: after an interview has started, a person who was there says who did not come
(refusals in English, like the rest of the team's workspace).

The template decides what follows (``SelfScheduleTemplate.no_show_follow_up``): the team is
told (always), and for a candidate who did not come, optionally a fresh link to pick a new
time (a new request, emailed with the template's invitation) or a move to a named stage.
Everything is written in one transaction with the ``interview.no_show`` webhook.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction

from hireslot.accounts.models import User
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.messaging.notifications import NotificationEmail, NotificationTopic, notification_send
from hireslot.messaging.webhooks import INTERVIEW_NO_SHOW
from hireslot.recruiting.models import WorkflowStage
from hireslot.recruiting.services import application_stage_move
from hireslot.scheduling.locks import request_locked
from hireslot.scheduling.models import Interview, NoShow, SchedulingRequest
from hireslot.scheduling.services.requests import scheduling_request_send
from hireslot.scheduling.webhook_events import interview_event_emit


class NoShowRefusedError(HireSlotError):
    """Too early (the interview has not started), cancelled, or already marked."""

    status_code = 409


def interview_no_show_mark(
    *,
    interview: Interview,
    who: str,
    note: str,
    actor: User | None,
    now: datetime | None = None,
) -> NoShow:
    now = now or clock.now()
    if who not in NoShow.Who.values:
        raise HireSlotError("Say who did not come: the candidate or an interviewer.")
    with transaction.atomic():
        request = (
            request_locked(SchedulingRequest.objects.filter(pk=interview.request_id))
            .select_related("template", "sender", "organization", "application__candidate")
            .get()
        )
        live = Interview.objects.select_related("application__job").get(pk=interview.pk)
        if live.status != Interview.Status.SCHEDULED:
            raise NoShowRefusedError("This interview was cancelled.")
        if live.start > now:
            raise NoShowRefusedError("A no-show can be marked once the interview has started.")
        if NoShow.objects.filter(interview=live).exists():
            raise NoShowRefusedError("A no-show is already marked for this interview.")
        no_show = NoShow.objects.create(
            organization_id=live.organization_id,
            interview=live,
            who=who,
            note=note.strip()[:2000],
            marked_by=actor,
        )
        live.request = request
        _follow_up(no_show, live, request, actor)
        interview_event_emit(interview=live, event_type=INTERVIEW_NO_SHOW)
    return no_show


def _follow_up(
    no_show: NoShow, interview: Interview, request: SchedulingRequest, actor: User | None
) -> None:
    template = request.template
    application = interview.application
    candidate = application.candidate
    if no_show.who == NoShow.Who.CANDIDATE:
        if template.no_show_follow_up == "new_link" and candidate.email:
            sent = scheduling_request_send(
                application=application, template=template, sender=request.sender or actor
            )
            no_show.follow_up_request = sent.request
            no_show.save(update_fields=["follow_up_request", "updated_at"])
        elif template.no_show_follow_up == "stage":
            stage = WorkflowStage.objects.filter(
                job_id=application.job_id, name__iexact=template.no_show_stage_name
            ).first()
            if stage is None:
                raise HireSlotError(
                    f"{application.job.title} has no stage named “{template.no_show_stage_name}”."
                )
            application_stage_move(application=application, to_stage=stage, actor=actor)
    whom = candidate.name if no_show.who == NoShow.Who.CANDIDATE else "An interviewer"
    verb = f"{whom} did not come to the {interview.interview_template.name} with {candidate.name}"
    if no_show.who == NoShow.Who.CANDIDATE:
        verb = f"{candidate.name} did not come to their {interview.interview_template.name}"
    people = {user.pk: user for user in [request.sender] if user is not None}
    for user in people.values():
        notification_send(
            organization=request.organization,
            recipient=user,
            verb=verb,
            topic=NotificationTopic.INTERVIEW_NO_SHOW,
            target=interview,
            email=NotificationEmail(
                subject=verb,
                body_text=(
                    f"{verb}.\n\n{no_show.note}\n\n"
                    f"{settings.HIRESLOT_BASE_URL}/interviews/{interview.pk}/\n"
                ),
            ),
        )
