"""Sessions end on the server: two hours without a request, or twelve hours after logging in
however busy the person is; both configurable, and a fresh login starts again."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client

from hireslot.accounts.models import Membership

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def logged_in(recruiter: Membership) -> Client:
    client = Client()
    recruiter.user.set_password(PASSWORD)
    recruiter.user.save()
    response = client.post(
        "/accounts/login/", {"username": recruiter.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    return client


def signed_out(client: Client) -> str:
    """The login page the person is sent to, with what it says; fails if still signed in."""
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/"), response.redirect_chain
    return response.content.decode()


def test_two_hours_without_a_request_signs_out(
    recruiter: Membership, clock: time_machine.Coordinates
) -> None:
    client = logged_in(recruiter)

    clock.shift(timedelta(hours=1, minutes=59))
    assert client.get("/").status_code == 200  # still in, and the idle clock restarts
    clock.shift(timedelta(hours=1, minutes=59))
    assert client.get("/").status_code == 200
    clock.shift(timedelta(hours=2, minutes=1))

    page = signed_out(client)
    assert "You were signed out after 120 minutes without activity." in page
    assert client.get("/").status_code == 302  # the old cookie opens nothing any more


def test_twelve_hours_after_login_signs_out_however_busy(
    recruiter: Membership, clock: time_machine.Coordinates
) -> None:
    client = logged_in(recruiter)

    for _ in range(11):
        clock.shift(timedelta(hours=1))
        assert client.get("/").status_code == 200
    clock.shift(timedelta(minutes=59))
    assert client.get("/").status_code == 200
    clock.shift(timedelta(minutes=2))  # 12 hours and 1 minute after logging in

    assert "You were signed out after 12 hours." in signed_out(client)
    again = logged_in(recruiter)  # a fresh login starts a fresh twelve hours
    clock.shift(timedelta(hours=1))
    assert again.get("/").status_code == 200


def test_both_limits_are_settings(
    recruiter: Membership, clock: time_machine.Coordinates, settings: Any
) -> None:
    settings.HIRESLOT_SESSION_IDLE_MINUTES = 5
    settings.HIRESLOT_SESSION_MAX_HOURS = 0.5
    client = logged_in(recruiter)

    clock.shift(timedelta(minutes=4))
    assert client.get("/").status_code == 200
    clock.shift(timedelta(minutes=6))
    assert "after 5 minutes without activity" in signed_out(client)

    client = logged_in(recruiter)
    for _ in range(7):
        clock.shift(timedelta(minutes=4))
        assert client.get("/").status_code == 200
    clock.shift(timedelta(minutes=3))  # 31 minutes after logging in, 3 since the last request
    assert "after 0.5 hours" in signed_out(client)


@pytest.mark.parametrize(
    ("variable", "value"),
    [("HIRESLOT_SESSION_MAX_HOURS", "13"), ("HIRESLOT_SESSION_IDLE_MINUTES", "0")],
)
def test_a_limit_out_of_bounds_stops_start_up(tmp_path: Path, variable: str, value: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(HIRESLOT_VAR_DIR=str(tmp_path), HIRESLOT_ENV="development", **{variable: value})

    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )

    assert result.returncode == 1
    assert "HIRESLOT_SESSION_MAX_HOURS must be more than 0 and at most 12" in result.stderr
