"""Models and migrations follow the stack like imports do: no app's model holds a relation to
an app above it, and no new migration depends on an app above its own (issue 10). The imports
of the three apps whose up-stack ties were removed are checked here too; the layers contract
checks every app."""

from __future__ import annotations

import grimp
import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader

# Top to bottom (docs/architecture.md).
STACK = (
    "web",
    "demo",
    "api",
    "scheduling",
    "conferencing",
    "calendars",
    "recruiting",
    "messaging",
    "accounts",
    "core",
)
HEIGHT = {app: len(STACK) - position for position, app in enumerate(STACK)}

# Written before issue 10 and kept: databases already migrated record them. Their later
# migrations removed the relations (messaging 0007, recruiting 0005), and scheduling orders
# its copy before recruiting's removal from its own side (``run_before``).
HISTORY = {
    ("messaging", "0003_outgoing_email", "recruiting"),
    ("messaging", "0004_outgoing_email_html_calendar", "recruiting"),
    ("recruiting", "0003_workflowstage_self_schedule_template_and_more", "scheduling"),
}


def above(app: str, other: str) -> bool:
    return other in HEIGHT and app in HEIGHT and HEIGHT[other] > HEIGHT[app]


def test_no_model_holds_a_relation_to_an_app_above_its_own() -> None:
    upward = [
        f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        # Reverse accessors are made by the model that declares the relation, from above.
        if not field.auto_created
        and field.related_model is not None
        and above(model._meta.app_label, field.related_model._meta.app_label)
    ]

    assert upward == []


def test_no_new_migration_depends_on_an_app_above_its_own() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    upward = {
        (app, name, dependency_app)
        for (app, name), migration in loader.disk_migrations.items()
        for dependency_app, _ in migration.dependencies
        if above(app, dependency_app)
    }

    assert upward == HISTORY


def test_recruiting_migrations_come_after_scheduling_only_where_scheduling_says_so() -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    removal = ("recruiting", "0005_workflowstage_template_moved_to_scheduling")

    assert ("scheduling", "0005_stage_template") in loader.graph.node_map[removal].parents
    assert not any(app == "scheduling" for app, _ in loader.disk_migrations[removal].dependencies)


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("hireslot")


@pytest.mark.parametrize("app", ["accounts", "messaging", "recruiting"])
def test_the_app_imports_nothing_above_it(graph: grimp.ImportGraph, app: str) -> None:
    upward = sorted(
        f"{importer} -> {imported}"
        for importer in graph.find_descendants(f"hireslot.{app}")
        if ".migrations." not in importer
        for imported in graph.find_modules_directly_imported_by(importer)
        if imported.startswith("hireslot.") and above(app, imported.split(".")[1])
    )

    assert upward == []
