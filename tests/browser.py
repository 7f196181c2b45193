"""Debian's Chromium driven by Playwright, for tests that use pages the way a person does."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("HIRESLOT_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parent.parent
# `make axe` (a prerequisite of `make test`) fetches the pinned axe-core here.
AXE_VERSION = "4.10.3"
AXE = Path(os.environ.get("HIRESLOT_AXE", ROOT / ".cache" / "axe" / f"axe-{AXE_VERSION}.min.js"))
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARTEFACTS = ROOT / "var" / "artefacts"
# The two screens pages are looked at on: a laptop and a phone.
SCREENS = {"laptop": (1366, 900), "phone": (390, 844)}
# How long an action or an expectation waits: these machines are shared and a loop's booking
# can take seconds under load. Playwright's `expect` has its own default (5 s), set below.
WAIT_MS = 15_000
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_required() -> None:
    """A missing browser skips locally and fails under CI=true."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium to run browser tests")


def axe_violations(page: Any, *, tags: list[str] = WCAG_22_AA) -> list[str]:
    """axe-core's WCAG violations on the page once nothing is busy, one line each ("rule: target").

    The script is evaluated through the browser's debugging protocol, which the page's
    Content-Security-Policy does not govern, so the page keeps its real policy. Without the
    pinned file (``make axe``) the test skips locally and fails under CI=true."""
    if not AXE.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"axe-core is required in CI but {AXE} is missing: run `make axe`")
        pytest.skip(f"no axe-core at {AXE}: run `make axe` to check accessibility")
    # A grid still fetching its times is drawn faded (aria-busy); axe would grade that passing
    # state's contrast, so check the page once it has settled (CI caught it under load).
    page.wait_for_function("() => !document.querySelector('[aria-busy=true]')", timeout=15_000)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        tags,
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in results["violations"]
        for node in violation["nodes"]
    ]


def screenshot(page: Any, name: str) -> Path:
    """Keep a picture of the page as a test artefact (var/ is not committed)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def chromium_browser() -> Iterator[Any]:
    """A launched Chromium for a module's tests to open contexts in (each its own size,
    zone and touch); a missing browser skips locally and fails under CI=true."""
    chromium_required()
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    # Playwright's sync API runs an event loop in this thread (see chromium_page).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            launched = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS
            )
            try:
                yield launched
            finally:
                launched.close()


def chromium_page() -> Iterator[object]:
    """A fresh browser page; a missing browser skips locally and fails under CI=true."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium to run browser tests")
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=WAIT_MS)
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # calls are still synchronous, so Django's async-safety guard does not apply.
    # Only for the test's lifetime: later tests' subprocesses must not inherit it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
            context.set_default_timeout(WAIT_MS)
            try:
                yield context.new_page()
            finally:
                context.close()
                browser.close()
