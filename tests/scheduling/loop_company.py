"""A company whose "Onsite" loop is: Intro with Nora (the hiring manager, 30 min), a
Technical session with one engineer from the pool (60 min), a 45-minute lunch, Systems with
Sam (45 min) and a Wrap-up with Nora (15 min)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from hireslot.accounts.models import Role, User
from hireslot.accounts.services import membership_add
from hireslot.recruiting.models import InterviewTemplate
from hireslot.scheduling.models import (
    Effect,
    Interview,
    InterviewerPool,
    LoopCalendar,
    SelfScheduleTemplate,
)
from hireslot.scheduling.services import effect_run, pool_create, pool_member_add
from hireslot.scheduling.services.loops import SessionSpec, loop_template_save

from .conftest import Company, person

# Tuesday 3 March 2026, 10:00 in New York: the loop runs 10:00–13:15 local.
TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
# (name, start offset, minutes) of each session when the loop starts at 10:00.
AGENDA = [
    ("Intro", 0, 30),
    ("Technical", 30, 60),
    ("Systems", 135, 45),
    ("Wrap-up", 180, 15),
]


def agenda_at(start: datetime) -> list[tuple[str, datetime, datetime]]:
    return [
        (name, start + timedelta(minutes=at), start + timedelta(minutes=at + minutes))
        for name, at, minutes in AGENDA
    ]


@dataclass
class LoopCompany:
    company: Company
    template: SelfScheduleTemplate
    pool: InterviewerPool
    engineers: list[User]
    sam: User

    @property
    def nora(self) -> User:
        return self.company.interviewer


def loop_company_build(
    company: Company,
    *,
    engineers: tuple[str, ...] = ("Ann Lee", "Bo Chen"),
    calendar: str = LoopCalendar.ONE_EVENT,
    name: str = "Onsite",
) -> LoopCompany:
    organization = company.organization
    slug = organization.slug
    pool = InterviewerPool.objects.filter(organization=organization).first() or pool_create(
        organization=organization, name="Engineering interviewers"
    )
    people = []
    for full_name in engineers:
        email = f"{full_name.split()[0].lower()}@{slug}.example"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = person(email, full_name, "America/New_York")
            membership_add(user=user, organization=organization, role=Role.INTERVIEWER)
            pool_member_add(pool=pool, user=user)
        people.append(user)
    sam = User.objects.filter(email=f"sam@{slug}.example").first()
    if sam is None:
        sam = person(f"sam@{slug}.example", "Sam Wu", "America/New_York")
        membership_add(user=sam, organization=organization, role=Role.INTERVIEWER)

    def kind(title: str, minutes: int) -> InterviewTemplate:
        found, _ = InterviewTemplate.objects.get_or_create(
            organization=organization, name=title, defaults={"duration_minutes": minutes}
        )
        return found

    template = SelfScheduleTemplate(
        organization=organization,
        name=name,
        email_template=company.template.email_template,
        task_template=company.template.task_template,
        interview_template=kind("Intro", 30),
        loop_calendar=calendar,
        workflow_action=company.template.workflow_action,
    )
    loop_template_save(
        template=template,
        sessions=[
            SessionSpec(interview_template=kind("Intro", 30), include_hiring_manager=True),
            SessionSpec(
                interview_template=kind("Technical", 60), pools=[pool], gap_after_minutes=45
            ),
            SessionSpec(interview_template=kind("Systems", 45), interviewers=[sam]),
            SessionSpec(interview_template=kind("Wrap-up", 15), include_hiring_manager=True),
        ],
    )
    return LoopCompany(company, template, pool, people, sam)


def loop_steps_run(loop_id: object) -> list[str]:
    """Run every step of a booked loop once, session by session; their outcomes."""
    effects = Effect.objects.filter(interview__loop_id=loop_id).order_by(
        "interview__loop_position", "created_at"
    )
    return [effect_run(effect_id=str(effect.pk)) for effect in effects]


def loop_sessions(loop_id: object) -> list[Interview]:
    return list(Interview.objects.filter(loop_id=loop_id).order_by("loop_position"))
