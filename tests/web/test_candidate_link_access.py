"""The candidate's link acts as the candidate: only recruiting roles see it or act on a request.

An interviewer (on the panel or not) sees the interview and what the candidate was sent, with
the link's token hidden, and every recruiter action on a request or an interview answers 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client

from hireslot.accounts.models import Role, User
from hireslot.accounts.services import membership_add
from hireslot.recruiting.models import Task, TaskTemplate
from hireslot.recruiting.services import application_create, candidate_create
from hireslot.scheduling.models import Effect, Interview, SchedulingRequest
from hireslot.scheduling.services import interview_book, scheduling_request_send
from tests.scheduling.conftest import Company, person, run_worker

# The real worker runs the booking's effects (it needs committed rows).
pytestmark = pytest.mark.django_db(transaction=True)

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


@dataclass
class World:
    company: Company
    outsider: User  # an interviewer of the organization, not on this panel
    booked: SchedulingRequest
    interview: Interview
    waiting: SchedulingRequest
    tokens: list[str]


@pytest.fixture
def world(company: Company) -> World:
    outsider = person("liam@acme.example", "Liam Walker", "Europe/London")
    membership_add(user=outsider, organization=company.organization, role=Role.INTERVIEWER)
    # A task template that names the link: the task goes to the hiring manager, an interviewer.
    TaskTemplate.objects.filter(pk=company.template.task_template_id).update(
        title="Follow up {{ scheduling_link }}",
        assignee_rule=TaskTemplate.AssigneeRule.HIRING_MANAGER,
    )
    booked = company.send()
    interview = interview_book(
        request=booked.request, start=TUESDAY_10, candidate_time_zone="America/New_York"
    )
    run_worker()  # the invite email (with the link), the task, the notifications
    other = candidate_create(
        organization=company.organization, first_name="Grace", email="grace@acme.example"
    )
    application = application_create(
        candidate=other, job=company.application.job, actor=company.recruiter
    )
    waiting = scheduling_request_send(
        application=application, template=company.template, sender=company.interviewer
    )
    tokens = [sent.link.rsplit("/", 1)[1] for sent in (booked, waiting)]
    return World(company, outsider, booked.request, interview, waiting.request, tokens)


def pages(world: World) -> list[str]:
    company = world.company
    return [
        "/",
        "/?who=everyone",
        "/candidates/",
        f"/candidates/{company.candidate.pk}/",
        f"/candidates/{world.waiting.application.candidate_id}/",
        f"/interviews/{world.interview.pk}/",
        f"/jobs/{company.application.job_id}/",
        "/notifications/",
    ]


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_recruiter_sees_the_links_to_copy(world: World) -> None:
    client = signed_in(world.company.recruiter)

    home = client.get("/?who=everyone").content.decode()
    interview = client.get(f"/interviews/{world.interview.pk}/").content.decode()

    assert world.tokens[1] in home  # the waiting request
    assert "Copy link" in home
    assert world.tokens[0] in interview


@pytest.mark.parametrize("who", ["panel", "outsider"])
def test_an_interviewer_sees_no_candidate_link_on_any_page(world: World, who: str) -> None:
    user = world.company.interviewer if who == "panel" else world.outsider
    client = signed_in(user)

    for path in pages(world):
        response = client.get(path)
        html = response.content.decode()
        assert response.status_code == 200, path
        assert "/s/" not in html.replace("/s/[redacted]", ""), path
        assert not any(token in html for token in world.tokens), path
        assert "Copy link" not in html, path
        assert "Cancel request" not in html and "Resend" not in html, path

    candidate_page = client.get(f"/candidates/{world.company.candidate.pk}/").content.decode()
    assert "Pick a time for your Manager Interview" in candidate_page  # the email, readable
    assert "/s/[redacted]" in candidate_page
    interview_page = client.get(f"/interviews/{world.interview.pk}/").content.decode()
    assert "Robotics Engineer" in interview_page  # the interview itself is shown


def test_a_task_names_the_interview_page_not_the_candidate_link(world: World) -> None:
    task = Task.objects.get(assignee=world.company.interviewer)

    assert task.title == f"Follow up {settings.HIRESLOT_BASE_URL}/interviews/{world.interview.pk}/"
    assert "/s/" not in task.title


@pytest.mark.parametrize("who", ["panel", "outsider"])
def test_every_recruiter_action_refuses_an_interviewer(world: World, who: str) -> None:
    user = world.company.interviewer if who == "panel" else world.outsider
    client = signed_in(user)
    effect = Effect.objects.filter(interview=world.interview).first()
    assert effect is not None
    Effect.objects.filter(pk=effect.pk).update(state=Effect.State.FAILED)
    application = world.company.application
    posts = [
        f"/requests/{world.waiting.pk}/cancel/",
        f"/requests/{world.waiting.pk}/resend/",
        f"/requests/{world.waiting.pk}/dismiss/",
        f"/requests/{world.booked.pk}/cancel/",
        f"/interviews/{world.interview.pk}/cancel/",
        f"/interviews/{world.interview.pk}/reschedule/",
        f"/interviews/{world.interview.pk}/effects/{effect.pk}/retry/",
        f"/applications/{application.pk}/self-schedule/",
    ]

    for path in posts:
        assert client.post(path, {"start": "2026-03-04T15:00:00Z"}).status_code == 403, path
    assert client.get(f"/applications/{application.pk}/self-schedule/compose/").status_code == 403

    world.interview.refresh_from_db()
    world.waiting.refresh_from_db()
    assert world.interview.status == Interview.Status.SCHEDULED
    assert world.interview.start == TUESDAY_10
    assert world.waiting.status == SchedulingRequest.Status.PENDING
    assert Effect.objects.get(pk=effect.pk).state == Effect.State.FAILED
    assert SchedulingRequest.objects.count() == 2
