"""A database outage, for real: a throwaway PostgreSQL cluster stopped under a running
gunicorn. Candidates get a branded 503 page with Retry-After (JSON clients get JSON),
/healthz says the database is unreachable, and everything works again once it is back."""

from __future__ import annotations

import http.cookiejar
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.pgcluster import ThrowawayCluster
from tests.processes import GUNICORN, environment, free_port, manage, running, wait_until_up

pytestmark = pytest.mark.slow


@pytest.fixture
def cluster() -> Iterator[ThrowawayCluster]:
    cluster = ThrowawayCluster(free_port())
    try:
        cluster.create()
        yield cluster
    finally:
        cluster.destroy()


class Browser:
    """Just enough of a browser: cookies, and any status is an answer."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(
        self, path: str, *, data: dict[str, str] | None = None, accept: str = "text/html"
    ) -> tuple[int, dict[str, str], str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - loopback
            self.base + path, data=body, headers={"Accept": accept}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def log_in(self, email: str, password: str) -> None:
        self.open("/accounts/login/")
        csrf = next(c.value for c in self.jar if c.name == "csrftoken")
        status, _, page = self.open(
            "/accounts/login/",
            data={"username": email, "password": password, "csrfmiddlewaretoken": csrf},
        )
        assert status == 200 and "Welcome, Riley" in page, page[:500]


@contextmanager
def demo_served(tmp_path: Path, cluster: ThrowawayCluster) -> Iterator[tuple[Any, str, str]]:
    """The demo on the cluster behind one gunicorn worker: (server, base URL, a candidate's
    token). DEBUG off, as in production (with DEBUG, Django shows its debug page for any
    error)."""
    env = environment(tmp_path, DATABASE_URL=cluster.url, DEBUG="false")
    manage("migrate", "--verbosity", "0", env=env)
    token = manage("demo", env=env).split("Play the candidate: ")[1].split()[0].rsplit("/")[-1]
    port = free_port()
    command = [GUNICORN, "hireslot.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    with running([*command, "--timeout", "60"], env) as server:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/healthz", server)
        yield server, base, token


def test_candidates_see_a_503_page_while_the_database_is_down_and_it_recovers(
    tmp_path: Path, cluster: ThrowawayCluster
) -> None:
    with demo_served(tmp_path, cluster) as (server, base, token):
        candidate, recruiter = Browser(base), Browser(base)
        recruiter.log_in("riley@acme-robotics.example", "hireslot-demo")
        assert candidate.open(f"/s/{token}")[0] == 200
        slots = f"/s/{token}/slots?from=2026-03-03&to=2026-03-04"

        # Given the database goes away under the running server
        cluster.stop()

        # Then a candidate opening their link gets the branded page, not a bare 500
        status, headers, page = candidate.open(f"/s/{token}")
        assert status == 503, page[:500]
        assert headers["Retry-After"] == "30"
        assert "HireSlot is briefly unavailable" in page
        assert "Server Error (500)" not in page
        assert headers["Content-Security-Policy"]  # still under the page policy
        # and JSON clients get JSON: the slots endpoint, or anyone asking for JSON
        for path, accept in ((slots, "*/*"), (f"/s/{token}", "application/json")):
            status, headers, body = candidate.open(path, accept=accept)
            assert status == 503 and headers["Content-Type"] == "application/json"
            assert json.loads(body)["status"] == "unavailable"
            assert headers["Retry-After"] == "30"
        # A recruiter's session cannot even be read: the same page
        status, _, page = recruiter.open("/")
        assert status == 503 and "HireSlot is briefly unavailable" in page
        # and the load balancer's check says why
        status, headers, body = candidate.open("/healthz")
        assert status == 503
        assert json.loads(body) == {"status": "degraded", "database": "unreachable"}

        # When the database is back, the same server process answers again by itself
        cluster.start()
        status, _, body = candidate.open("/healthz")
        assert status == 200 and json.loads(body) == {"status": "ok"}
        assert candidate.open(f"/s/{token}")[0] == 200
        assert candidate.open(slots, accept="application/json")[0] == 200
        status, _, page = recruiter.open("/")
        assert status == 200 and "Welcome, Riley" in page
    assert "Traceback" not in server.output or "OperationalError" in server.output
    assert sys.executable  # the child runs with the test's interpreter's gunicorn


def test_the_first_request_after_a_database_restart_is_answered_not_a_503(
    tmp_path: Path, cluster: ThrowawayCluster
) -> None:
    # Given a server whose worker holds a persistent connection (CONN_MAX_AGE) from before
    with demo_served(tmp_path, cluster) as (_, base, token):
        candidate = Browser(base)
        assert candidate.open(f"/s/{token}")[0] == 200

        # When the database restarts while no request is running (that connection is dead,
        # and nothing has told the worker so)
        cluster.stop()
        cluster.start()

        # Then the next candidate is served: the dead connection is noticed and replaced
        status, _, page = candidate.open(f"/s/{token}")
        assert status == 200, page[:300]
