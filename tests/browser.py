"""Debian's Chromium driven by Playwright, for tests that use pages the way a person does."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("HIRESLOT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_page() -> Iterator[object]:
    """A fresh browser page; a missing browser skips locally and fails under CI=true."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} is missing")
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own database
    # calls are still synchronous, so Django's async-safety guard does not apply.
    # Only for the test's lifetime: later tests' subprocesses must not inherit it.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
            context.set_default_timeout(15_000)
            try:
                yield context.new_page()
            finally:
                context.close()
                browser.close()
