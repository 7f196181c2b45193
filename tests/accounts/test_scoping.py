"""Given two organizations, a member of one never sees the other's rows: they do not exist."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import Membership, Organization
from tests.factories import (
    CandidateFactory,
    InterviewTemplateFactory,
    OrganizationFactory,
    job_with_stages,
)


@pytest.fixture
def other_organization(db: None) -> Organization:
    return OrganizationFactory(name="Globex", slug="globex")


def test_own_candidate_is_visible(recruiter_client: Client, organization: Organization) -> None:
    candidate = CandidateFactory(organization=organization, first_name="Ada")

    response = recruiter_client.get(reverse("web:candidate-detail", args=[candidate.id]))

    assert response.status_code == 200
    assert "Ada" in response.content.decode()


def test_another_organizations_candidate_is_not_found(
    recruiter_client: Client, other_organization: Organization
) -> None:
    stranger = CandidateFactory(organization=other_organization, first_name="Secret")

    response = recruiter_client.get(reverse("web:candidate-detail", args=[stranger.id]))

    assert response.status_code == 404
    assert "Secret" not in response.content.decode()


def test_another_organizations_job_and_interview_template_are_not_found(
    recruiter_client: Client, other_organization: Organization
) -> None:
    job = job_with_stages(other_organization, "Hidden job")
    template = InterviewTemplateFactory(organization=other_organization)

    assert recruiter_client.get(reverse("web:job-detail", args=[job.id])).status_code == 404
    assert (
        recruiter_client.get(
            reverse("web:interview-template-detail", args=[template.id])
        ).status_code
        == 404
    )


@pytest.mark.parametrize("bad_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "1"])
def test_malformed_or_unknown_ids_are_not_found(recruiter_client: Client, bad_id: str) -> None:
    response = recruiter_client.get(reverse("web:candidate-detail", args=[bad_id]))

    assert response.status_code == 404


def test_lists_show_only_own_organization(
    recruiter_client: Client, organization: Organization, other_organization: Organization
) -> None:
    CandidateFactory(organization=organization, first_name="Mine")
    CandidateFactory(organization=other_organization, first_name="Theirs")
    job_with_stages(organization, "Our job")
    job_with_stages(other_organization, "Their job")

    candidates = recruiter_client.get(reverse("web:candidate-list")).content.decode()
    jobs = recruiter_client.get(reverse("web:job-list")).content.decode()

    assert "Mine" in candidates and "Theirs" not in candidates
    assert "Our job" in jobs and "Their job" not in jobs


def test_switching_organization_changes_what_is_visible(
    recruiter_client: Client, recruiter: Membership, other_organization: Organization
) -> None:
    Membership.objects.create(
        user=recruiter.user, organization=other_organization, role="recruiter"
    )
    theirs = CandidateFactory(organization=other_organization, first_name="Theirs")
    url = reverse("web:candidate-detail", args=[theirs.id])
    assert recruiter_client.get(url).status_code == 404  # "Acme" sorts first: it is current

    response = recruiter_client.post(
        reverse("organization-switch"), {"organization": str(other_organization.id), "next": url}
    )

    assert response.status_code == 302
    assert response["Location"] == url
    assert recruiter_client.get(url).status_code == 200


@pytest.mark.parametrize("value", ["", "garbage", "00000000-0000-0000-0000-000000000000"])
def test_switching_to_an_organization_you_do_not_belong_to_is_refused(
    recruiter_client: Client, other_organization: Organization, value: str
) -> None:
    for target in (value, str(other_organization.id)):
        response = recruiter_client.post(reverse("organization-switch"), {"organization": target})
        assert response.status_code == 400
        assert "not a member" in response.content.decode()
