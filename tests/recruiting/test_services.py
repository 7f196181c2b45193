"""Jobs get the default pipeline; applications keep a stage history with who and when."""

from __future__ import annotations

import pytest

from hireslot.accounts.models import Membership, Organization
from hireslot.core.errors import HireSlotError
from hireslot.recruiting.models import StageChange, WorkflowStage
from hireslot.recruiting.services import application_create, application_stage_move, job_create
from tests.factories import CandidateFactory, OrganizationFactory


def test_a_new_job_gets_the_default_stages_in_order(organization: Organization) -> None:
    job = job_create(organization=organization, title="Engineer")

    names = list(job.stages.order_by("position").values_list("name", flat=True))

    assert names == ["Applied", "Phone Screen", "Manager Interview", "Onsite", "Offer"]


def test_an_application_starts_in_the_first_stage_and_records_it(
    organization: Organization, recruiter: Membership
) -> None:
    job = job_create(organization=organization, title="Engineer")
    candidate = CandidateFactory(organization=organization)

    application = application_create(candidate=candidate, job=job, actor=recruiter.user)

    assert application.current_stage.name == "Applied"
    change = StageChange.objects.get(application=application)
    assert (change.from_stage, change.to_stage.name, change.actor) == (
        None,
        "Applied",
        recruiter.user,
    )


def test_moving_stage_records_history_and_a_repeat_changes_nothing(
    organization: Organization, recruiter: Membership
) -> None:
    job = job_create(organization=organization, title="Engineer")
    application = application_create(
        candidate=CandidateFactory(organization=organization), job=job, actor=None
    )
    onsite = job.stages.get(name="Onsite")

    application_stage_move(application=application, to_stage=onsite, actor=recruiter.user)
    application_stage_move(application=application, to_stage=onsite, actor=recruiter.user)

    application.refresh_from_db()
    assert application.current_stage == onsite
    history = [
        (c.from_stage and c.from_stage.name, c.to_stage.name)
        for c in application.stage_changes.all()
    ]
    assert history == [(None, "Applied"), ("Applied", "Onsite")]


def test_a_stage_of_another_job_is_refused(organization: Organization) -> None:
    job = job_create(organization=organization, title="Engineer")
    other = job_create(organization=organization, title="Designer")
    application = application_create(
        candidate=CandidateFactory(organization=organization), job=job, actor=None
    )

    with pytest.raises(HireSlotError, match="not a stage of Engineer"):
        application_stage_move(
            application=application,
            to_stage=WorkflowStage.objects.get(job=other, position=2),
            actor=None,
        )


def test_a_candidate_cannot_apply_to_another_organizations_job(organization: Organization) -> None:
    job = job_create(organization=OrganizationFactory(), title="Elsewhere")

    with pytest.raises(HireSlotError, match="different organizations"):
        application_create(
            candidate=CandidateFactory(organization=organization), job=job, actor=None
        )


def test_a_job_needs_a_stage(organization: Organization) -> None:
    with pytest.raises(HireSlotError, match="at least one workflow stage"):
        job_create(organization=organization, title="Odd", stage_names=[])
