"""OutgoingEmail's tie to the candidate becomes a generic target (content type + id), so
messaging no longer points up the stack at recruiting (issue 10).

Every existing tie is copied before the foreign key goes: an email whose ``candidate`` was set
gets ``target`` = that candidate. The candidate's page reads them back through
``recruiting.Candidate.emails`` (a GenericRelation, no column).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def targets_from_candidates(apps, schema_editor):
    OutgoingEmail = apps.get_model("messaging", "OutgoingEmail")
    ContentType = apps.get_model("contenttypes", "ContentType")
    alias = schema_editor.connection.alias
    emails = OutgoingEmail.objects.using(alias).filter(candidate__isnull=False)
    if not emails.exists():
        return
    # On a database migrated in one go the content types are only made after migrating.
    candidate_type, _ = ContentType.objects.using(alias).get_or_create(
        app_label="recruiting", model="candidate"
    )
    emails.update(target_type=candidate_type, target_id=F("candidate_id"))


def candidates_from_targets(apps, schema_editor):
    OutgoingEmail = apps.get_model("messaging", "OutgoingEmail")
    ContentType = apps.get_model("contenttypes", "ContentType")
    alias = schema_editor.connection.alias
    candidate_type = (
        ContentType.objects.using(alias).filter(app_label="recruiting", model="candidate").first()
    )
    if candidate_type is not None:
        OutgoingEmail.objects.using(alias).filter(target_type=candidate_type).update(
            candidate=F("target_id")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("messaging", "0006_single_line_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingemail",
            name="target_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="outgoingemail",
            name="target_id",
            field=models.UUIDField(blank=True, null=True),
        ),
        migrations.RunPython(targets_from_candidates, candidates_from_targets),
        migrations.RemoveIndex(
            model_name="outgoingemail",
            name="messaging_o_candida_8024e2_idx",
        ),
        migrations.RemoveField(
            model_name="outgoingemail",
            name="candidate",
        ),
        migrations.AddIndex(
            model_name="outgoingemail",
            index=models.Index(
                fields=["target_type", "target_id", "created_at"],
                name="messaging_o_target__71c585_idx",
            ),
        ),
    ]
