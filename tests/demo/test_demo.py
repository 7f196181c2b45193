"""`manage.py demo` seeds Acme Robotics once; running it again changes nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from hireslot.accounts.models import (
    AvailabilitySettings,
    Membership,
    Organization,
    Plan,
    Role,
    User,
)
from hireslot.recruiting.models import Application, Candidate, Job, StageChange, WorkflowStage

pytestmark = pytest.mark.django_db


def _snapshot() -> dict[str, object]:
    return {
        model.__name__: sorted((str(row.pk), row.updated_at) for row in model.objects.all())
        for model in (
            Organization,
            User,
            Membership,
            AvailabilitySettings,
            Job,
            WorkflowStage,
            Candidate,
            Application,
            StageChange,
        )
    }


def test_demo_seeds_acme_robotics_and_prints_working_logins(client: Client) -> None:
    out = io.StringIO()

    call_command("demo", stdout=out)

    organization = Organization.objects.get(slug="acme-robotics")
    assert organization.name == "Acme Robotics" and organization.plan == Plan.SCALE
    roles = dict(
        Membership.objects.filter(organization=organization).values_list("user__email", "role")
    )
    assert list(roles.values()).count(Role.INTERVIEWER) == 5
    assert Role.ADMIN in roles.values()
    zones = set(AvailabilitySettings.objects.values_list("time_zone", flat=True))
    assert {"America/New_York", "Europe/London", "Asia/Kolkata"} <= zones
    assert all(s.weekly_hours.get("mon") for s in AvailabilitySettings.objects.all())
    assert Job.objects.filter(organization=organization).count() == 2
    assert Candidate.objects.filter(organization=organization).count() == 20
    stages_used = set(Application.objects.values_list("current_stage__name", flat=True))
    assert len(stages_used) >= 4
    printed = out.getvalue()
    assert "riley@acme-robotics.example" in printed and "hireslot-demo" in printed
    assert client.login(username="riley@acme-robotics.example", password="hireslot-demo")
    assert "Acme Robotics" in client.get("/").content.decode()


def test_running_demo_twice_changes_nothing() -> None:
    call_command("demo", stdout=io.StringIO())
    before = _snapshot()

    out = io.StringIO()
    call_command("demo", stdout=out)

    assert _snapshot() == before
    assert "Already present" in out.getvalue()


def test_if_empty_leaves_a_database_with_an_organization_alone() -> None:
    Organization.objects.create(name="Mine", slug="mine")

    call_command("demo", if_empty=True, stdout=io.StringIO())

    assert not Organization.objects.filter(slug="acme-robotics").exists()


def test_demo_templates_use_only_valid_merge_fields() -> None:
    from hireslot.messaging.models import EmailTemplate
    from hireslot.recruiting.models import TaskTemplate

    call_command("demo", stdout=io.StringIO())

    for template in [*EmailTemplate.objects.all(), *TaskTemplate.objects.all()]:
        template.full_clean()


def test_the_demo_has_a_pool_and_a_template_drawing_from_it() -> None:
    from hireslot.scheduling.models import InterviewerPool, SelfScheduleTemplate

    call_command("demo", stdout=io.StringIO())

    pool = InterviewerPool.objects.get(name="Engineering interviewers")
    assert pool.members.filter(active=True).count() == 5
    template = SelfScheduleTemplate.objects.get(name="Technical Screen")
    assert [seat.pool for seat in template.pool_seats.all()] == [pool]


def test_the_demo_onsite_loop_can_be_sent_and_offers_whole_days() -> None:
    from datetime import UTC, datetime, timedelta

    import time_machine

    from hireslot.scheduling.models import SelfScheduleTemplate
    from hireslot.scheduling.selectors import offered_slots
    from hireslot.scheduling.services import scheduling_request_send

    call_command("demo", stdout=io.StringIO())
    onsite = SelfScheduleTemplate.objects.get(name="Onsite")
    sessions = list(onsite.loop_sessions.all())
    assert [s.interview_template.name for s in sessions] == [
        "Onsite: Intro",
        "Onsite: Technical",
        "Onsite: Systems",
        "Onsite: Wrap-up",
    ]
    assert sessions[1].gap_after_minutes == 45 and sessions[1].pool_seats.count() == 1
    assert sessions[2].pool_seats.count() == 1  # Systems: another engineer from the pool
    # Sent to a candidate of either job (hiring manager in New York, or in London), it offers
    # whole loops in the coming week
    now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    for job in ("Robotics Software Engineer", "Hardware Test Technician"):
        application = Application.objects.filter(job__title=job).first()
        assert application is not None
        with time_machine.travel(now, tick=False):
            request = scheduling_request_send(
                application=application,
                template=onsite,
                sender=User.objects.get(full_name="Riley Chen"),
            ).request
            slots = offered_slots(request=request, start=now, end=now + timedelta(days=7), now=now)
        assert slots, f"the Onsite offers nothing to a candidate for {job}"
        assert all(s.end_at - s.start_at == timedelta(minutes=195) for s in slots)
