"""A stage's self-schedule template moves from ``recruiting.WorkflowStage`` (a foreign key up
the stack) to ``scheduling.StageTemplate`` (issue 10).

Every assignment is copied here, and this migration runs before the recruiting migration that
drops the old column (``run_before``): the ordering is written on scheduling's side, so
recruiting's new migrations depend on nothing of scheduling.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def assignments_copy(apps, schema_editor):
    WorkflowStage = apps.get_model("recruiting", "WorkflowStage")
    StageTemplate = apps.get_model("scheduling", "StageTemplate")
    alias = schema_editor.connection.alias
    stages = (
        WorkflowStage.objects.using(alias)
        .filter(self_schedule_template__isnull=False)
        .values_list("pk", "organization_id", "self_schedule_template_id")
    )
    StageTemplate.objects.using(alias).bulk_create(
        [
            StageTemplate(
                organization_id=organization_id, stage_id=stage_id, template_id=template_id
            )
            for stage_id, organization_id, template_id in stages.iterator()
        ],
        batch_size=500,
    )


def assignments_restore(apps, schema_editor):
    WorkflowStage = apps.get_model("recruiting", "WorkflowStage")
    StageTemplate = apps.get_model("scheduling", "StageTemplate")
    alias = schema_editor.connection.alias
    for stage_id, template_id in (
        StageTemplate.objects.using(alias).values_list("stage_id", "template_id").iterator()
    ):
        WorkflowStage.objects.using(alias).filter(pk=stage_id).update(
            self_schedule_template_id=template_id
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_single_line_names"),
        ("recruiting", "0004_single_line_names"),
        ("scheduling", "0004_effect_conference_claim"),
    ]
    run_before = [
        ("recruiting", "0005_workflowstage_template_moved_to_scheduling"),
    ]

    operations = [
        migrations.CreateModel(
            name="StageTemplate",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "organization",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.organization",
                    ),
                ),
                (
                    "stage",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stage_template",
                        to="recruiting.workflowstage",
                    ),
                ),
                (
                    "template",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="stage_templates",
                        to="scheduling.selfscheduletemplate",
                    ),
                ),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.RunPython(assignments_copy, assignments_restore),
    ]
