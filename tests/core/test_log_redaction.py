"""Candidate links are credentials: no log line may carry one. A 4xx on a real link leaves
only ``/s/[redacted]`` in what Django, runserver and gunicorn write."""

from __future__ import annotations

import io
import logging
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.test import Client, RequestFactory

from hireslot.core.redaction import CandidateLinkFilter, candidate_links_redact
from hireslot.scheduling.services import scheduling_request_cancel
from tests.processes import (
    GUNICORN,
    MANAGE,
    Process,
    environment,
    free_port,
    http_get,
    manage,
    running,
    wait_until_up,
)
from tests.scheduling.conftest import Company
from tests.smtp import RecordingHandler

TOKEN = "AQAKyB6v7YiW_I7XN2PTbbL7m6Ku_W0FqtlB7lgydP4"


def test_the_token_of_every_candidate_link_is_redacted() -> None:
    text = (
        f"GET /s/{TOKEN}/slots?from=2026-03-03 · https://x.example/s/{TOKEN} · "
        f"next=%2Fs%2F{TOKEN}%2Fbook · /s/tampered-{TOKEN[:10]} · /settings/ stays"
    )

    assert candidate_links_redact(text) == (
        "GET /s/[redacted]/slots?from=2026-03-03 · https://x.example/s/[redacted] · "
        "next=%2Fs%2F[redacted]%2Fbook · /s/[redacted] · /settings/ stays"
    )


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """What the configured console handler writes (its formatter and filters as set up)."""
    handlers = [
        handler
        for handler in logging.getLogger().handlers
        if isinstance(handler, logging.StreamHandler)
        and any(isinstance(f, CandidateLinkFilter) for f in handler.filters)
    ]
    assert len(handlers) == 1, "LOGGING's console handler carries the redaction filter"
    buffer = io.StringIO()
    previous = handlers[0].setStream(buffer)
    try:
        yield buffer
    finally:
        handlers[0].setStream(previous or sys.stderr)


def test_4xx_answers_on_a_real_link_log_no_token(
    company: Company, client: Client, console: io.StringIO
) -> None:
    sent = company.send()
    token = sent.link.rsplit("/", 1)[1]

    assert client.get(f"/s/{token}/nope").status_code == 404
    assert client.get(f"/s/{token}/book").status_code == 405
    assert client.get(f"/s/{token}/slots").status_code == 400
    scheduling_request_cancel(request=sent.request, actor=company.recruiter, reason="")
    assert client.get(f"/s/{token}").status_code == 410

    written = console.getvalue()
    assert "Not Found: /s/[redacted]/nope" in written
    assert "Gone: /s/[redacted]" in written
    assert "Method Not Allowed (GET): /s/[redacted]/book" in written
    assert token not in written


def test_a_record_keeps_no_token_in_arguments_traceback_or_request() -> None:
    logger = logging.getLogger("hireslot.test.redaction")
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(CandidateLinkFilter())
    logger.addHandler(handler)
    request = RequestFactory().get(f"/s/{TOKEN}")
    try:
        try:
            raise ValueError(f"could not book /s/{TOKEN}")
        except ValueError:
            logger.exception("Internal Server Error: %s", request.path, extra={"request": request})
        logger.warning("Not Found: %s", f"/s/{TOKEN}", stack_info=True)
    finally:
        logger.removeHandler(handler)

    written = buffer.getvalue()
    assert TOKEN not in written
    assert "Internal Server Error: /s/[redacted]" in written
    assert "ValueError: could not book /s/[redacted]" in written


@pytest.mark.slow
def test_runserver_and_gunicorn_write_no_token_on_4xx(tmp_path: Path) -> None:
    """The real servers, as `make run` and production run them: runserver (via `serve`) and
    gunicorn with its access log on, on the demo's real candidate link."""
    # Real SMTP: the development console backend would print each email, link and all (that
    # is its job: it is the developer's outbox, not a log).
    mail = RecordingHandler()
    smtp_port = free_port()
    smtp = Controller(mail, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = environment(tmp_path, EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}")
    try:
        serve, gunicorn, token = _serve_and_gunicorn(env)
    finally:
        smtp.stop()

    # `serve` prints the demo's candidate link for the person who ran `make run`, on purpose.
    serve_logs = "".join(
        line for line in serve.lines if not line.startswith("Play the candidate: ")
    )
    for name, output in (("serve", serve_logs), ("gunicorn", gunicorn.output)):
        assert token not in output, f"{name} logged the token:\n{output}"
    assert "Not Found: /s/[redacted]/nope" in serve.output
    assert '"GET /s/[redacted]/nope HTTP/1.1" 404' in serve.output  # runserver's own line
    assert "Forbidden (CSRF cookie not set.): /s/[redacted]/cancel" in serve.output
    assert "Gone: /s/[redacted]" in gunicorn.output
    assert '"GET /s/[redacted]/nope?from=x HTTP/1.1" 404' in gunicorn.output  # access log
    assert mail.messages  # the demo's invitation went out, by SMTP


def _serve_and_gunicorn(env: dict[str, str]) -> tuple[Process, Process, str]:
    manage("migrate", "--verbosity", "0", env=env)
    manage("demo", env=env)
    serve_port, gunicorn_port = free_port(), free_port()
    with running(
        [sys.executable, MANAGE, "serve", "--port", str(serve_port), "--no-demo"], env
    ) as serve:
        line = serve.wait_for("Play the candidate:")
        token = line.strip().rsplit("/", 1)[1]
        assert len(token) == 43
        base = f"http://127.0.0.1:{serve_port}"
        assert http_get(f"{base}/s/{token}")[0] == 200
        assert http_get(f"{base}/s/{token}/nope")[0] == 404
        assert http_get(f"{base}/s/{token}/slots")[0] == 400
        assert http_get(f"{base}/s/{token}/cancel", method="POST")[0] == 403  # no CSRF token
        command = [GUNICORN, "hireslot.wsgi", "--bind", f"127.0.0.1:{gunicorn_port}"]
        with running([*command, "--workers", "1", "--access-logfile", "-"], env) as gunicorn:
            base = f"http://127.0.0.1:{gunicorn_port}"
            wait_until_up(f"{base}/healthz", gunicorn)
            assert http_get(f"{base}/s/{token}")[0] == 200
            referred = http_get(
                f"{base}/s/{token}/nope?from=x", headers={"Referer": line.split(": ", 1)[1].strip()}
            )
            assert referred[0] == 404
            manage(
                "shell",
                "-c",
                "from hireslot.scheduling.models import SchedulingRequest as R;"
                "R.objects.update(status='cancelled')",
                env=env,
            )
            assert http_get(f"{base}/s/{token}")[0] == 410
            gunicorn.wait_for('"GET /s/[redacted] HTTP/1.1" 410')
            assert gunicorn.stop() == 0
        assert serve.stop(signal.SIGINT) == 0
    return serve, gunicorn, token
