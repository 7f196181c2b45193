"""Production start-up: every required variable named when missing; check --deploy is clean."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "HIRESLOT_ENV": "production",
    "SECRET_KEY": "x7Qp2mZr9Lk4Vt8Bw1Nc6Hs3Jd5Fg0Ye-Ua7Ki2Po9Lm4Nb8Vc3Xz6",
    "ALLOWED_HOSTS": "hireslot.example.com",
    "HIRESLOT_BASE_URL": "https://hireslot.example.com",
    "EMAIL_URL": "smtp://mailer:secret@127.0.0.1:587/?tls=True",
}


def _manage(env: dict[str, str], *args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    base = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "EMAIL_URL"}
    }
    base["HIRESLOT_VAR_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_production_settings_pass_check_deploy_without_warnings(tmp_path: Path) -> None:
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "HIRESLOT_BASE_URL", "DATABASE_URL", "EMAIL_URL"]
)
def test_a_missing_required_variable_stops_start_up_with_one_line_naming_it(
    tmp_path: Path, missing: str
) -> None:
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env.pop(missing, None)

    result = _manage(env, "check", tmp_path=tmp_path)

    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert missing in lines[0] and "Traceback" not in result.stderr


def test_development_generates_a_secret_key_once_and_keeps_it(tmp_path: Path) -> None:
    env = {"HIRESLOT_ENV": "development"}
    script = "from django.conf import settings; print(settings.SECRET_KEY)"

    first = _manage(env, "shell", "-v", "0", "-c", script, tmp_path=tmp_path)
    second = _manage(env, "shell", "-v", "0", "-c", script, tmp_path=tmp_path)

    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout and len(first.stdout.strip()) >= 50
    assert (tmp_path / "secret_key").read_text().strip() == first.stdout.strip()


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(tmp_path: Path) -> None:
    script = (
        "from django.db import connection; connection.ensure_connection();"
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]);"
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )

    result = _manage(
        {"HIRESLOT_ENV": "development"}, "shell", "-v", "0", "-c", script, tmp_path=tmp_path
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "IMMEDIATE"]


def test_the_hireslot_console_command_runs_django_commands(tmp_path: Path) -> None:
    console = Path(sys.executable).parent / "hireslot"
    if not console.exists():
        pytest.skip("hireslot is not installed in this environment (make installs it)")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}

    result = subprocess.run(
        [str(console), "check"],
        env={**env, "HIRESLOT_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("cache_url", "backend"),
    [
        ("", "locmem.LocMemCache"),
        ("redis://127.0.0.1:6379/2", "redis.RedisCache"),
        ("db://hireslot_cache", "db.DatabaseCache"),
        ("dummy://", "dummy.DummyCache"),
    ],
)
def test_the_cache_is_chosen_with_cache_url(tmp_path: Path, cache_url: str, backend: str) -> None:
    env = {"HIRESLOT_ENV": "development", "CACHE_URL": cache_url}

    result = _manage(
        env,
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        tmp_path=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == f"django.core.cache.backends.{backend}"


def test_an_unknown_cache_url_stops_start_up_with_one_line(tmp_path: Path) -> None:
    result = _manage(
        {"HIRESLOT_ENV": "development", "CACHE_URL": "memcached://x"}, "check", tmp_path=tmp_path
    )

    assert result.returncode == 1
    assert "CACHE_URL" in result.stderr and "Traceback" not in result.stderr
