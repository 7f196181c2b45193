"""On PostgreSQL, the database itself refuses two active bookings of one interviewer that
overlap: the last line of defence behind the locks in interview_book. SQLite has no exclusion
constraints; there IMMEDIATE transactions serialize every booking instead."""

from django.db import migrations

CONSTRAINT = "scheduling_booking_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    schema_editor.execute(
        f"ALTER TABLE scheduling_interviewerbooking ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (interviewer_id WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
        "WHERE (active)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE scheduling_interviewerbooking DROP CONSTRAINT IF EXISTS {CONSTRAINT}"
    )


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(add_constraint, drop_constraint)]
