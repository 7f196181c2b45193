"""The "none of these times work" week grid in a real browser (Debian's Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser import CHROMIUM, CHROMIUM_FLAGS, ROOT, axe_violations, chromium_required

from .conftest import company_build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SHOTS = ROOT / ".cache" / "shots"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium_required()
    from playwright.sync_api import sync_playwright

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


@pytest.fixture(autouse=True)
def async_unsafe_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def shot(page: Any, name: str, *, full: bool = False) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full)
    return path


def test_look(browser: Any, live_server: Any) -> None:
    company = company_build("look")
    token = company.send().link.rsplit("/", 1)[1]
    for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        context = browser.new_context(
            locale="en-GB", timezone_id="Asia/Tokyo", viewport=size, has_touch=name == "phone"
        )
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{live_server.url}/s/{token}")
        page.locator("#none-work summary").click()
        page.wait_for_timeout(1500)
        print(errors)
        page.locator("#none-work").scroll_into_view_if_needed()
        shot(page, f"look-{name}", full=True)
        print(errors)
        print(axe_violations(page))
        context.close()
