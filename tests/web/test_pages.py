"""Every recruiter page renders for a member, with the shared navigation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import Membership, Organization
from hireslot.recruiting.services import application_create
from tests.factories import CandidateFactory, InterviewTemplateFactory, job_with_stages


@pytest.mark.parametrize(
    "name", ["web:home", "web:candidate-list", "web:job-list", "web:template-list", "web:settings"]
)
def test_navigation_pages_render_with_the_menu(recruiter_client: Client, name: str) -> None:
    response = recruiter_client.get(reverse(name))

    assert response.status_code == 200
    body = response.content.decode()
    for label in ("Home", "Candidates", "Jobs", "Templates", "Settings"):
        assert f">{label}</a>" in body
    assert 'aria-current="page"' in body


def test_job_pipeline_shows_candidates_in_their_stage(
    recruiter_client: Client, organization: Organization, recruiter: Membership
) -> None:
    job = job_with_stages(organization, "Robot Wrangler")
    application_create(
        candidate=CandidateFactory(organization=organization, first_name="Grace"),
        job=job,
        actor=recruiter.user,
    )

    body = recruiter_client.get(reverse("web:job-detail", args=[job.id])).content.decode()

    assert "Robot Wrangler" in body
    applied = body.index(">Applied")
    assert applied < body.index("Grace") < body.index(">Phone Screen")


def test_candidate_page_shows_stage_history_with_actor(
    recruiter_client: Client, organization: Organization, recruiter: Membership
) -> None:
    job = job_with_stages(organization, "Robot Wrangler")
    candidate = CandidateFactory(organization=organization, first_name="Grace")
    application_create(candidate=candidate, job=job, actor=recruiter.user)

    body = recruiter_client.get(
        reverse("web:candidate-detail", args=[candidate.id])
    ).content.decode()

    assert "Stage history" in body
    assert f"by {recruiter.user.get_full_name()}" in body


def test_candidate_search_filters_by_name(
    recruiter_client: Client, organization: Organization
) -> None:
    CandidateFactory(organization=organization, first_name="Grace", last_name="Hopper")
    CandidateFactory(organization=organization, first_name="Alan", last_name="Turing")

    body = recruiter_client.get(reverse("web:candidate-list"), {"q": "hopp"}).content.decode()

    assert "Grace" in body and "Alan" not in body


def test_interview_template_page_shows_instructions_and_questions(
    recruiter_client: Client, organization: Organization
) -> None:
    template = InterviewTemplateFactory(
        organization=organization,
        name="Manager Interview",
        instructions="Be kind.",
        questions="Why us?\n\nWhat next?",
    )

    body = recruiter_client.get(
        reverse("web:interview-template-detail", args=[template.id])
    ).content.decode()

    assert "Manager Interview" in body and "Be kind." in body
    assert "<li>Why us?</li>" in body and "<li>What next?</li>" in body


def test_health_check_answers_without_login(client: Client, db: None) -> None:
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_missing_logo_is_not_found(client: Client, organization: Organization) -> None:
    assert client.get(reverse("web:organization-logo", args=[organization.slug])).status_code == 404
