"""The reliability suite (``pytest -m reliability``): real processes against PostgreSQL.

It needs PostgreSQL (several processes sharing a database server, SKIP LOCKED, a server it
can stop): on the SQLite run every test here is skipped with that reason. It creates its
own databases next to the test database and drops them after.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.stack import (
    HireSlot,
    Smtp,
    database_create,
    database_drop,
)

SERVER = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER.startswith(("postgres://", "postgresql://"))
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES,
    reason="reliability suite needs PostgreSQL: run it with DATABASE_URL=postgres://… "
    "(make test-postgres does)",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.reliability)
            item.add_marker(needs_postgres)


@pytest.fixture(scope="session")
def migrated_template() -> Iterator[str]:
    """An empty, migrated database the tests copy (CREATE DATABASE … TEMPLATE)."""
    name = f"hs_reliability_template_{os.getpid()}"
    folder = Path(tempfile.mkdtemp(prefix="hireslot-rel-"))
    url = database_create(SERVER, name)
    try:
        HireSlot(url=url, smtp_port=1, folder=folder).manage("migrate", "--no-input")
        yield name
    finally:
        database_drop(SERVER, name)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    server = Smtp()
    try:
        yield server
    finally:
        server.down()


@pytest.fixture
def hireslot(migrated_template: str, smtp: Smtp, tmp_path: Path) -> Iterator[HireSlot]:
    """HireSlot on a fresh copy of the migrated database; every process stopped after."""
    name = f"hs_reliability_{os.getpid()}_{abs(hash(tmp_path)) % 10**6}"
    url = database_create(SERVER, name, template=migrated_template)
    stack = HireSlot(url=url, smtp_port=smtp.port, folder=tmp_path)
    try:
        yield stack
    finally:
        stack.stop()
        database_drop(SERVER, name)
