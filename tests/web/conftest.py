"""Web tests' shared fixtures: a browser page on each of the two screens (``screen``: laptop
1366x900, phone 390x844) for the modules that do not open their own."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import SCREENS, chromium_page


@pytest.fixture(params=list(SCREENS))
def screen(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def page(screen: str) -> Iterator[Any]:
    for opened in chromium_page():
        width, height = SCREENS[screen]
        opened.set_viewport_size({"width": width, "height": height})
        yield opened
