"""Writing templates: self-schedule, email, task and interview templates.

Saving runs the model's own validation again (``full_clean``) and checks that every chosen row
and person belongs to the template's organization, so a service caller cannot do what a form
would refuse. Deleting something in use is refused with the list of what uses it (the foreign
keys are ``on_delete=PROTECT``); duplicating makes "<name> (copy)", "<name> (copy 2)" …
(an email template with its language versions)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar, cast

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from hireslot.accounts.availability_generation import availability_generation_bump
from hireslot.accounts.models import Membership, Organization, User
from hireslot.core.errors import HireSlotError
from hireslot.messaging.models import EmailTemplate, EmailTemplateTranslation
from hireslot.recruiting.models import InterviewTemplate, TaskTemplate
from hireslot.scheduling.models import (
    BulkSend,
    Interview,
    InterviewerPool,
    LoopSessionSeat,
    SchedulingRequest,
    SelfScheduleTemplate,
    StageTemplate,
    TemplatePoolSeat,
)

AnyTemplate = SelfScheduleTemplate | EmailTemplate | TaskTemplate | InterviewTemplate
T = TypeVar("T", bound=AnyTemplate)

NAME_MAX_LENGTH = 200
_KIND_LABELS: dict[type[AnyTemplate], str] = {
    SelfScheduleTemplate: "self-schedule template",
    EmailTemplate: "email template",
    TaskTemplate: "task template",
    InterviewTemplate: "interview template",
}


class TemplateInUseError(HireSlotError):
    """Deleting was refused: ``users`` says, one line each, what still uses the template."""

    status_code = 409

    def __init__(self, message: str, users: list[str]) -> None:
        super().__init__(message)
        self.users = users


def template_kind_label(template: AnyTemplate) -> str:
    return _KIND_LABELS[type(template)]


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _self_schedule_users(query: Iterable[SelfScheduleTemplate]) -> list[str]:
    return [f"Self-schedule template “{template.name}”" for template in query]


def template_users(*, template: AnyTemplate) -> list[str]:
    """What uses ``template`` (and so keeps it from being deleted), one line per user."""
    if isinstance(template, EmailTemplate):
        return _self_schedule_users(SelfScheduleTemplate.objects.filter(email_template=template))
    if isinstance(template, TaskTemplate):
        return _self_schedule_users(SelfScheduleTemplate.objects.filter(task_template=template))
    if isinstance(template, InterviewTemplate):
        users = _self_schedule_users(
            SelfScheduleTemplate.objects.filter(interview_template=template)
        )
        interviews = Interview.objects.filter(interview_template=template).count()
        if interviews:
            users.append(_plural(interviews, "booked interview"))
        return users
    users = [
        f"Stage “{row.stage.job.title}: {row.stage.name}”"
        for row in StageTemplate.objects.filter(template=template)
        .select_related("stage__job")
        .order_by("stage__job__title", "stage__position")
    ]
    requests = SchedulingRequest.objects.filter(template=template).count()
    if requests:
        users.append(_plural(requests, "scheduling request"))
    bulk_sends = BulkSend.objects.filter(template=template).count()
    if bulk_sends:
        users.append(_plural(bulk_sends, "bulk send"))
    return users


def _in_use_error(template: AnyTemplate, users: list[str]) -> TemplateInUseError:
    return TemplateInUseError(
        f"“{template.name}” cannot be deleted: it is in use. "
        f"Change or delete what uses this {template_kind_label(template)} first.",
        users,
    )


@transaction.atomic
def template_delete(*, template: AnyTemplate) -> None:
    """Delete a template nothing uses; otherwise raise :class:`TemplateInUseError`."""
    users = template_users(template=template)
    if users:
        raise _in_use_error(template, users)
    try:
        with transaction.atomic():
            template.delete()
    except ProtectedError as error:
        # Something started using it between the check and the delete.
        users = sorted(
            {
                f"{str(row._meta.verbose_name).capitalize()} “{row}”"
                for row in error.protected_objects
            }
        )
        raise _in_use_error(template, users) from error


def _copy_name(template: AnyTemplate) -> str:
    """The first free name of "<name> (copy)", "<name> (copy 2)", "<name> (copy 3)" …"""
    taken = set(
        type(template)
        ._default_manager.filter(organization_id=template.organization_id)
        .values_list("name", flat=True)
    )
    number = 1
    while True:
        suffix = " (copy)" if number == 1 else f" (copy {number})"
        name = template.name[: NAME_MAX_LENGTH - len(suffix)] + suffix
        if name not in taken:
            return name
        number += 1


@transaction.atomic
def template_duplicate(*, template: T) -> T:
    """A new template with the same settings (people included) under a free "(copy)" name."""
    many_to_many = {
        field.name: list(getattr(template, field.name).all())
        for field in template._meta.many_to_many
    }
    copy = cast(T, type(template)._default_manager.get(pk=template.pk))
    copy.pk = None
    copy._state.adding = True
    copy.name = _copy_name(template)
    try:
        with transaction.atomic():
            copy.save()
    except IntegrityError as error:
        raise HireSlotError(
            f"Another “{copy.name}” was created at the same moment; please try again."
        ) from error
    for name, values in many_to_many.items():
        getattr(copy, name).set(values)
    if isinstance(template, SelfScheduleTemplate):  # and so do its pool seats
        _pool_seats_set(
            cast(SelfScheduleTemplate, copy),
            [seat.pool for seat in template.pool_seats.select_related("pool")],
        )
        _loop_sessions_copy(cast(SelfScheduleTemplate, template), cast(SelfScheduleTemplate, copy))
    if isinstance(template, EmailTemplate):  # its language versions belong to the copy too
        EmailTemplateTranslation.objects.bulk_create(
            EmailTemplateTranslation(
                organization_id=row.organization_id,
                template_id=copy.pk,
                language=row.language,
                subject=row.subject,
                body=row.body,
            )
            for row in template.translations.all()
        )
    return copy


def _pool_seats_set(template: SelfScheduleTemplate, pools: list[InterviewerPool]) -> None:
    TemplatePoolSeat.objects.filter(template=template).delete()
    TemplatePoolSeat.objects.bulk_create(
        TemplatePoolSeat(template=template, pool=pool, position=index)
        for index, pool in enumerate(pools)
    )


def _loop_sessions_copy(template: SelfScheduleTemplate, copy: SelfScheduleTemplate) -> None:
    """A loop's sessions, their people and their pool seats, for its copy."""
    for session in template.loop_sessions.prefetch_related("pool_seats"):
        people = list(session.interviewers.all())
        seats = list(session.pool_seats.all())
        session.pk = None
        session._state.adding = True
        session.template = copy
        session.save()
        session.interviewers.set(people)
        LoopSessionSeat.objects.bulk_create(
            LoopSessionSeat(session=session, pool_id=seat.pool_id, position=seat.position)
            for seat in seats
        )


def _refuse_foreign(organization: Organization, rows: Iterable[object], what: str) -> None:
    for row in rows:
        if row is not None and getattr(row, "organization_id", None) != organization.pk:
            raise HireSlotError(f"The chosen {what} belongs to another organization.")


def _refuse_non_members(organization: Organization, people: Iterable[User], what: str) -> None:
    wanted = {person.pk for person in people}
    members = set(
        Membership.objects.filter(organization=organization, user_id__in=wanted).values_list(
            "user_id", flat=True
        )
    )
    if wanted - members:
        raise HireSlotError(f"Only members of {organization.name} can be {what}.")


def _save(template: AnyTemplate) -> None:
    template.full_clean()
    try:
        with transaction.atomic():
            template.save()
    except IntegrityError as error:
        raise HireSlotError(
            f"A {template_kind_label(template)} named “{template.name}” already exists."
        ) from error


@transaction.atomic
def template_save(*, template: EmailTemplate | TaskTemplate | InterviewTemplate) -> None:
    """Create or update an email, task or interview template after validating it again."""
    if isinstance(template, TaskTemplate) and template.assignee is not None:
        _refuse_non_members(template.organization, [template.assignee], "assigned tasks")
    _save(template)


@transaction.atomic
def self_schedule_template_save(
    *,
    template: SelfScheduleTemplate,
    interviewers: Iterable[User],
    notify_users: Iterable[User],
    pools: Iterable[InterviewerPool] | None = None,
) -> SelfScheduleTemplate:
    """Create or update a self-schedule template with its interviewers (its fixed seats),
    its pool seats (one member of each of ``pools``, in order; a pool given twice is two
    seats; ``None`` leaves them as they are) and the people to notify."""
    organization = template.organization
    interviewers, notify_users = list(interviewers), list(notify_users)
    seat_pools = None if pools is None else list(pools)
    if seat_pools is not None:
        _refuse_foreign(organization, seat_pools, "pool")
        template.pool_seats_count = len(seat_pools)
    _refuse_foreign(organization, [template.email_template], "email template")
    _refuse_foreign(organization, [template.task_template], "task template")
    _refuse_foreign(organization, [template.interview_template], "interview template")
    _refuse_non_members(organization, interviewers, "interviewers")
    _refuse_non_members(organization, notify_users, "notified")
    _save(template)
    template.interviewers.set(interviewers)
    template.notify_users.set(notify_users)
    if seat_pools is not None:
        _pool_seats_set(template, seat_pools)
    # Notice, horizon, interval and cut-off change what its open links offer.
    availability_generation_bump(organization_ids=[organization.pk])
    return template
