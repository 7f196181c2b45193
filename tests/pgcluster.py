"""A throwaway PostgreSQL cluster on its own port, for tests that stop and start the database
(never the shared server). initdb refuses to run as root: then it runs as ``postgres``."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

BIN = Path(os.environ.get("HIRESLOT_PG_BIN", "/usr/lib/postgresql/15/bin"))


class ThrowawayCluster:
    """Lives in its own directory under the system's temporary directory (pytest's are
    private to the test's user, and the server may run as ``postgres``)."""

    def __init__(self, port: int) -> None:
        self.directory, self.port = Path(tempfile.mkdtemp(prefix="hireslot-pg-")), port
        self.data, self.sockets = self.directory / "data", self.directory / "sockets"
        self.url = f"postgres://postgres@127.0.0.1:{port}/hireslot"

    def _run(self, *command: str, timeout: float = 60) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *command], check=True, capture_output=True, timeout=timeout)

    def create(self) -> None:
        if not (BIN / "initdb").exists():
            pytest.skip(f"no PostgreSQL server binaries in {BIN}")
        self.sockets.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
            shutil.chown(self.sockets, "postgres")
        self._run(str(BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self.start()
        self._run(
            str(BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "hireslot",
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.directory / "server.log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        """Fast shutdown: open connections are cut, as in an outage."""
        self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run(str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)
