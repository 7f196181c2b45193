"""The embedded default's SQLite backend: a writer is not starved by writers that never pause.

Real processes (like the two workers of ``make run`` working through a backlog) write
back-to-back through the project's database backend while this process writes a few times,
as a candidate's booking would: each of its transactions must start within a couple of
seconds, far from the 20 s busy timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        "sqlite" not in settings.DATABASES["default"]["ENGINE"], reason="the embedded default"
    ),
]

HAMMER = """
import sys, time
import django
django.setup()
from django.db import connection, transaction
end = time.monotonic() + float(sys.argv[1])
with transaction.atomic():
    connection.cursor().execute("INSERT INTO turn_probe VALUES (0)")
while time.monotonic() < end:
    with transaction.atomic():
        connection.cursor().execute("INSERT INTO turn_probe VALUES (1)")
        time.sleep(0.005)  # a worker's effect: a few milliseconds of writes
"""


def _hammers(count: int, seconds: float) -> list[subprocess.Popen[bytes]]:
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{connection.settings_dict['NAME']}",
        HIRESLOT_ENV="development",
        DJANGO_SETTINGS_MODULE="hireslot.settings",
    )
    return [
        subprocess.Popen(
            [sys.executable, "-c", HAMMER, str(seconds)],
            cwd=Path(settings.BASE_DIR),
            env=env,
        )
        for _ in range(count)
    ]


def _started(count: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM turn_probe WHERE n = 0")
        return bool(cursor.fetchone()[0] >= count)


def test_a_writer_gets_its_turn_while_two_workers_write_without_pause() -> None:
    # Given two processes that write in back-to-back transactions
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE turn_probe (n INTEGER)")
    hammers = _hammers(2, seconds=12)
    try:
        deadline = time.monotonic() + 30
        while not _started(2):
            assert time.monotonic() < deadline, "the writing processes did not start"
            time.sleep(0.05)

        # When this process writes ten times meanwhile
        waits = []
        for _ in range(10):
            asked = time.monotonic()
            with transaction.atomic():
                waits.append(time.monotonic() - asked)
                connection.cursor().execute("INSERT INTO turn_probe VALUES (2)")
            time.sleep(0.1)

        # Then every one of its transactions started within two seconds
        assert all(hammer.poll() is None for hammer in hammers), "the test outlived the writers"
        assert max(waits) < 2.0, [round(wait, 2) for wait in waits]
    finally:
        for hammer in hammers:
            hammer.wait(timeout=60)
