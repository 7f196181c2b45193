"""A company ready to self-schedule: a recruiter, an interviewer in New York who is the job's
hiring manager, a candidate who applied, and the starter "Manager Interview" template."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.management import call_command

from hireslot.accounts.models import Organization, Plan, Role, User
from hireslot.accounts.services import membership_add, user_create
from hireslot.calendars.providers.memory import InMemoryCalendarProvider
from hireslot.recruiting.models import Application, Candidate
from hireslot.recruiting.services import application_create, candidate_create, job_create
from hireslot.scheduling.models import SelfScheduleTemplate
from hireslot.scheduling.services import SentRequest, organization_start, scheduling_request_send

# Monday 2 March 2026, 12:00 UTC (07:00 in New York, which is on EST until 8 March).
NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
WEEKDAYS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


@dataclass
class Company:
    organization: Organization
    recruiter: User
    interviewer: User
    candidate: Candidate
    application: Application
    template: SelfScheduleTemplate

    def send(self, **changes: object) -> SentRequest:
        return scheduling_request_send(
            application=self.application, template=self.template, sender=self.recruiter
        )


def person(email: str, name: str, zone: str, **rules: object) -> User:
    user = user_create(
        email=email, full_name=name, password="correct horse battery", time_zone=zone
    )
    settings = user.availability
    settings.weekly_hours = WEEKDAYS
    settings.minimum_notice_minutes = 0
    for field, value in rules.items():
        setattr(settings, field, value)
    settings.save()
    return user


def company_build(slug: str = "acme") -> Company:
    organization = organization_start(
        name=f"Acme {slug}",
        slug=slug,
        plan=Plan.SCALE,
        default_time_zone="America/New_York",
        scheduling_sender_email=f"recruiting@{slug}.example",
    )
    recruiter = person(f"riley@{slug}.example", "Riley Chen", "America/New_York")
    membership_add(user=recruiter, organization=organization, role=Role.RECRUITER)
    interviewer = person(f"nora@{slug}.example", "Nora Alvarez", "America/New_York")
    membership_add(user=interviewer, organization=organization, role=Role.INTERVIEWER)
    job = job_create(
        organization=organization, title="Robotics Engineer", hiring_manager=interviewer
    )
    candidate = candidate_create(
        organization=organization, first_name="Ada", last_name="Okafor", email=f"ada@{slug}.example"
    )
    application = application_create(candidate=candidate, job=job, actor=recruiter)
    template = SelfScheduleTemplate.objects.get(organization=organization, name="Manager Interview")
    return Company(organization, recruiter, interviewer, candidate, application, template)


@pytest.fixture
def travel() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def company(db: None, travel: time_machine.Coordinates) -> Company:
    return company_build()


@pytest.fixture(autouse=True)
def memory_calendar_reset() -> Iterator[None]:
    InMemoryCalendarProvider.reset()
    yield
    InMemoryCalendarProvider.reset()


def run_worker() -> None:
    """The real database worker, until the queue is empty (what `make run` starts)."""
    call_command("db_worker", batch=True, queue_name="*", startup_delay=False, verbosity=0)
