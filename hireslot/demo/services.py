"""The demo organization: enough of a real company to try every flow after `make run`."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify

from hireslot.accounts.models import Organization, Plan, Role, User
from hireslot.accounts.services import (
    membership_add,
    organization_availability_defaults,
    user_create,
)
from hireslot.recruiting.models import (
    Application,
    Candidate,
    InterviewTemplate,
    Job,
    WorkflowStage,
)
from hireslot.recruiting.services import (
    application_create,
    application_stage_move,
    candidate_create,
    job_create,
)
from hireslot.scheduling.models import InterviewerPool, SchedulingRequest, SelfScheduleTemplate
from hireslot.scheduling.services import (
    organization_start,
    pool_create,
    pool_member_add,
    scheduling_link,
    scheduling_request_send,
    starter_templates_ensure,
)
from hireslot.scheduling.services.loops import SessionSpec, loop_template_save
from hireslot.scheduling.services.starter import MANAGER_INTERVIEW
from hireslot.scheduling.services.templates import self_schedule_template_save

DEMO_SLUG = "acme-robotics"
DEMO_PASSWORD = "hireslot-demo"  # noqa: S105 - a published demo login, not a secret

# Monday to Friday, with a lunch break, in each person's own zone.
WORKING_WEEK = {
    day: [["09:00", "12:00"], ["13:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")
}


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    role: Role
    time_zone: str
    city: str


PEOPLE = (
    DemoPerson(
        "riley@acme-robotics.example", "Riley Chen", Role.ADMIN, "America/New_York", "New York"
    ),
    DemoPerson(
        "nora@acme-robotics.example",
        "Nora Alvarez",
        Role.INTERVIEWER,
        "America/New_York",
        "New York",
    ),
    DemoPerson(
        "liam@acme-robotics.example", "Liam Walker", Role.INTERVIEWER, "Europe/London", "London"
    ),
    DemoPerson(
        "priya@acme-robotics.example", "Priya Raman", Role.INTERVIEWER, "Asia/Kolkata", "Bengaluru"
    ),
    DemoPerson(
        "tom@acme-robotics.example", "Tom Becker", Role.INTERVIEWER, "Europe/Berlin", "Berlin"
    ),
    DemoPerson(
        "sara@acme-robotics.example",
        "Sara Kim",
        Role.INTERVIEWER,
        "America/Los_Angeles",
        "San Francisco",
    ),
)
# The demo pool: every interviewer above; "Technical Screen" draws one of them.
ENGINEERING_POOL = "Engineering interviewers"
TECHNICAL_SCREEN = "Technical Screen"
# The demo loop: intro and wrap-up with the job's hiring manager, a technical session with
# one engineer from the pool, a lunch break, a systems session with another engineer from the
# pool (a fixed person could not serve both jobs: New York's and London's hours overlap too
# little for a whole day with anyone in San Francisco or Berlin).
ONSITE = "Onsite"
ONSITE_SESSIONS = (
    # name, minutes, break after, what the interviewer is asked to do
    ("Onsite: Intro", 30, 0, "Welcome the candidate, walk through the day, answer questions."),
    ("Onsite: Technical", 60, 45, "Work through a real problem together; lunch follows."),
    ("Onsite: Systems", 45, 0, "Design a robot fleet's job scheduler; discuss trade-offs."),
    ("Onsite: Wrap-up", 15, 0, "Thank the candidate, explain the next steps and timing."),
)

JOBS = (
    ("Robotics Software Engineer", "New York or remote", "nora@acme-robotics.example"),
    ("Hardware Test Technician", "London", "liam@acme-robotics.example"),
)

CANDIDATES = (
    ("Ada", "Okafor"), ("Ben", "Schultz"), ("Carmen", "Ruiz"), ("Deepak", "Iyer"),
    ("Elena", "Petrova"), ("Farah", "Haddad"), ("Gustavo", "Lima"), ("Hana", "Sato"),
    ("Isaac", "Mensah"), ("Julia", "Nowak"), ("Kofi", "Boateng"), ("Lena", "Fischer"),
    ("Mateo", "García"), ("Nadia", "Karim"), ("Oscar", "Lindqvist"), ("Paula", "Costa"),
    ("Quinn", "Murphy"), ("Rosa", "Bianchi"), ("Sami", "Nieminen"), ("Tariq", "Aziz"),
)  # fmt: skip
# A few candidates read another language (the rest: their browser's), to show it on their page.
CANDIDATE_LANGUAGES_SET = {"Carmen": "es", "Gustavo": "pt-br", "Hana": "ja", "Lena": "de"}


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    description: str


@dataclass(frozen=True)
class DemoResult:
    organization: Organization
    created: bool
    logins: tuple[DemoLogin, ...]
    candidate_link: str


def demo_logins() -> tuple[DemoLogin, ...]:
    return tuple(
        DemoLogin(
            email=p.email,
            password=DEMO_PASSWORD,
            description=f"{p.full_name}, {p.role.label.lower()} in {p.city}",
        )
        for p in PEOPLE
    )


@transaction.atomic
def demo_organization_seed() -> DemoResult:
    """Create whatever part of the demo is missing; a second run changes nothing."""
    organization = Organization.objects.filter(slug=DEMO_SLUG).first()
    created = organization is None
    if organization is None:
        organization = organization_start(
            name="Acme Robotics",
            slug=DEMO_SLUG,
            plan=Plan.SCALE,
            default_time_zone="America/New_York",
            scheduling_sender_name="Acme Robotics Recruiting",
            scheduling_sender_email="recruiting@acme-robotics.example",
        )
        defaults = organization_availability_defaults(organization=organization)
        defaults.weekly_hours = WORKING_WEEK
        defaults.buffer_before_minutes = defaults.buffer_after_minutes = 10
        defaults.max_interviews_per_day = 4
        defaults.save()
    users = {person.email: _person_ensure(organization, person) for person in PEOPLE}
    recruiter = users[PEOPLE[0].email]
    _templates_ensure(organization, recruiter)
    _pool_ensure(organization, [users[p.email] for p in PEOPLE if p.role == Role.INTERVIEWER])
    _onsite_ensure(organization)
    jobs = [
        _job_ensure(organization, title, location, users[manager])
        for title, location, manager in JOBS
    ]
    _candidates_ensure(organization, jobs, recruiter)
    request = _demo_request_ensure(organization, recruiter)
    return DemoResult(
        organization=organization,
        created=created,
        logins=demo_logins(),
        candidate_link=scheduling_link(request),
    )


def _person_ensure(organization: Organization, person: DemoPerson) -> User:
    user = User.objects.filter(email=person.email).first()
    if user is None:
        user = user_create(
            email=person.email,
            full_name=person.full_name,
            password=DEMO_PASSWORD,
            time_zone=person.time_zone,
            rules_from=organization_availability_defaults(organization=organization),
        )
    membership_add(user=user, organization=organization, role=person.role)
    return user


def _templates_ensure(organization: Organization, recruiter: User) -> None:
    starter_templates_ensure(organization=organization)
    InterviewTemplate.objects.get_or_create(
        organization=organization,
        name="Phone Screen",
        defaults={
            "duration_minutes": 30,
            "instructions": "A friendly first conversation: motivation, logistics, salary range.",
        },
    )


def _pool_ensure(organization: Organization, interviewers: list[User]) -> None:
    """The "Engineering interviewers" pool and a "Technical Screen" template drawing one of
    them, so a new user sees pools working right after `make run`."""
    if InterviewerPool.objects.filter(organization=organization, name=ENGINEERING_POOL).exists():
        return
    pool = pool_create(organization=organization, name=ENGINEERING_POOL, max_per_week=8)
    for user in interviewers:
        pool_member_add(pool=pool, user=user)
    manager = SelfScheduleTemplate.objects.get(organization=organization, name=MANAGER_INTERVIEW)
    interview, _ = InterviewTemplate.objects.get_or_create(
        organization=organization,
        name=TECHNICAL_SCREEN,
        defaults={
            "duration_minutes": 45,
            "instructions": "A practical conversation about a problem the candidate solved.",
        },
    )
    template = SelfScheduleTemplate(
        organization=organization,
        name=TECHNICAL_SCREEN,
        email_template=manager.email_template,
        interview_template=interview,
        conferencing=manager.conferencing,
    )
    self_schedule_template_save(template=template, interviewers=[], notify_users=[], pools=[pool])


def _onsite_ensure(organization: Organization) -> None:
    """The "Onsite" loop template (decision 0025), so a new user can try a whole loop."""
    if SelfScheduleTemplate.objects.filter(organization=organization, name=ONSITE).exists():
        return
    pool = InterviewerPool.objects.get(organization=organization, name=ENGINEERING_POOL)
    manager = SelfScheduleTemplate.objects.get(organization=organization, name=MANAGER_INTERVIEW)
    kinds = [
        InterviewTemplate.objects.get_or_create(
            organization=organization,
            name=name,
            defaults={"duration_minutes": minutes, "instructions": instructions},
        )[0]
        for name, minutes, _, instructions in ONSITE_SESSIONS
    ]
    gaps = [gap for _, _, gap, _ in ONSITE_SESSIONS]
    template = SelfScheduleTemplate(
        organization=organization,
        name=ONSITE,
        email_template=manager.email_template,
        interview_template=kinds[0],
        conferencing=manager.conferencing,
        change_cutoff_minutes=24 * 60,
        slot_interval_minutes=30,
    )
    loop_template_save(
        template=template,
        sessions=[
            SessionSpec(interview_template=kinds[0], include_hiring_manager=True),
            SessionSpec(interview_template=kinds[1], pools=[pool], gap_after_minutes=gaps[1]),
            SessionSpec(interview_template=kinds[2], pools=[pool]),
            SessionSpec(interview_template=kinds[3], include_hiring_manager=True),
        ],
    )


def _demo_request_ensure(organization: Organization, recruiter: User) -> SchedulingRequest:
    """One pending request, so a new user can play the candidate right after `make run`."""
    existing = demo_request(organization)
    if existing is not None:
        return existing
    application = (
        Application.objects.filter(organization=organization, current_stage__name="Phone Screen")
        .select_related("candidate", "job")
        .order_by("candidate__first_name")
        .first()
    )
    if application is None:
        raise RuntimeError("The demo has no candidate in the Phone Screen stage.")
    template = SelfScheduleTemplate.objects.get(organization=organization, name=MANAGER_INTERVIEW)
    return scheduling_request_send(
        application=application, template=template, sender=recruiter
    ).request


def demo_request(organization: Organization) -> SchedulingRequest | None:
    return (
        SchedulingRequest.objects.filter(organization=organization).order_by("created_at").first()
    )


def _job_ensure(organization: Organization, title: str, location: str, manager: User) -> Job:
    job = Job.objects.filter(organization=organization, title=title).first()
    if job is None:
        job = job_create(
            organization=organization, title=title, location=location, hiring_manager=manager
        )
    return job


def _candidates_ensure(organization: Organization, jobs: list[Job], recruiter: User) -> None:
    for index, (first_name, last_name) in enumerate(CANDIDATES):
        email = f"{slugify(first_name)}.{slugify(last_name)}@example.com"
        candidate = Candidate.objects.filter(organization=organization, email=email).first()
        if candidate is None:
            candidate = candidate_create(
                organization=organization,
                first_name=first_name,
                last_name=last_name,
                email=email,
                language=CANDIDATE_LANGUAGES_SET.get(first_name, ""),
            )
        job = jobs[index % len(jobs)]
        if Application.objects.filter(candidate=candidate, job=job).exists():
            continue
        stages = list(WorkflowStage.objects.filter(job=job).order_by("position"))
        application = application_create(candidate=candidate, job=job, actor=recruiter)
        # Walk the candidate through the pipeline so the stage history looks like real use.
        for stage in stages[1 : (index // len(jobs)) % len(stages) + 1]:
            application = application_stage_move(
                application=application, to_stage=stage, actor=recruiter
            )
