"""A stage's self-schedule template lives in scheduling (``StageTemplate``), not on the
recruiting stage; the migration that moved it kept every assignment (issue 10)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db.models import ProtectedError

from hireslot.recruiting.models import WorkflowStage
from hireslot.scheduling.models import StageTemplate
from hireslot.scheduling.selectors import stage_template_of, stage_templates_prefetch
from hireslot.scheduling.services.bulk import stage_template_assign
from tests.migrations import migrate_to, migrate_to_latest
from tests.scheduling.conftest import Company, company_build


@pytest.mark.django_db
def test_assigning_again_replaces_the_stages_template(company: Company) -> None:
    stage = company.application.current_stage
    second = company.template
    second.pk, second.name = None, "Second round"
    second.save()

    stage_template_assign(stage=stage, template=company.template, actor=company.recruiter)
    stage_template_assign(stage=stage, template=second, actor=company.recruiter)

    row = StageTemplate.objects.get(stage=stage)
    assert (row.template, row.organization_id) == (second, company.organization.pk)
    assert StageTemplate.objects.count() == 1


@pytest.mark.django_db
def test_a_page_of_stages_reads_their_templates_in_one_query(
    company: Company, django_assert_num_queries: Any
) -> None:
    stages = list(WorkflowStage.objects.filter(job=company.application.job).order_by("position"))
    stage_template_assign(stage=stages[1], template=company.template, actor=company.recruiter)
    stages = list(WorkflowStage.objects.filter(job=company.application.job).order_by("position"))

    with django_assert_num_queries(2):  # the assignments, then their templates
        stage_templates_prefetch(stages)
    with django_assert_num_queries(0):
        assert [stage_template_of(stage) for stage in stages[:3]] == [
            None,
            company.template,
            None,
        ]


@pytest.mark.django_db
def test_a_template_a_stage_sends_cannot_be_deleted_but_the_stage_can(company: Company) -> None:
    stage = company.application.job.stages.get(name="Offer")
    stage_template_assign(stage=stage, template=company.template, actor=company.recruiter)

    with pytest.raises(ProtectedError):
        company.template.delete()
    stage.delete()

    assert not StageTemplate.objects.exists()


BEFORE = [
    ("recruiting", "0004_single_line_names"),
    ("scheduling", "0004_effect_conference_claim"),
]


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_stages_template() -> None:
    companies = [company_build("acme"), company_build("globex")]
    # Rows written by today's code are left alone while the schema goes back: only the
    # tables of the moved association change.
    old = migrate_to(*BEFORE)
    old_stages = old.get_model("recruiting", "WorkflowStage")
    expected: dict[uuid.UUID, tuple[uuid.UUID, uuid.UUID]] = {}
    for company in companies:
        stages = list(
            old_stages.objects.filter(job_id=company.application.job_id).order_by("position")
        )
        # Two stages of each job send the starter template; the others none.
        for stage in (stages[0], stages[2]):
            stage.self_schedule_template_id = company.template.pk
            stage.save(update_fields=["self_schedule_template"])
            expected[stage.pk] = (company.template.pk, company.organization.pk)

    new = migrate_to_latest()

    rows = new.get_model("scheduling", "StageTemplate").objects.values_list(
        "stage_id", "template_id", "organization_id"
    )
    assert {stage: (template, organization) for stage, template, organization in rows} == expected

    back = migrate_to(*BEFORE)
    restored = back.get_model("recruiting", "WorkflowStage").objects.filter(
        self_schedule_template__isnull=False
    )
    assert dict(restored.values_list("pk", "self_schedule_template_id")) == {
        stage: template for stage, (template, _) in expected.items()
    }
    migrate_to_latest()
