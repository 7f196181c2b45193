"""Running the project's migrations back and forth inside a test, to check that a data
migration keeps every row (use with ``pytest.mark.django_db(transaction=True)``)."""

from __future__ import annotations

from django.apps.registry import Apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

Target = tuple[str, str]


def migrate_to(*targets: Target) -> Apps:
    """Migrate the test database to ``targets`` (forwards or backwards) and return the
    historical models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    return executor.loader.project_state(list(targets)).apps


def migrate_to_latest() -> Apps:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(leaves)
    return executor.loader.project_state(leaves).apps
