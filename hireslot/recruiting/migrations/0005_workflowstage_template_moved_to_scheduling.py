"""A stage's self-schedule template now lives in ``scheduling.StageTemplate``; the old column
goes. ``scheduling.0005_stage_template`` copies every assignment first (it declares
``run_before`` this migration), so this one depends on nothing of scheduling."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("recruiting", "0004_single_line_names"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="workflowstage",
            name="self_schedule_template",
        ),
    ]
