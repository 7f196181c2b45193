"""The API's pages in a real browser: the reference at /api/v1/docs loads nothing from
elsewhere (it works offline) and passes axe; so does Settings → API keys."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from tests.browser import axe_violations, chromium_page
from tests.scheduling.conftest import company_build, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page() -> Iterator[Any]:
    yield from chromium_page()


def test_the_reference_is_self_contained_and_accessible(page: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    elsewhere: list[str] = []
    page.on(
        "request",
        lambda request: (
            None if request.url.startswith(live_server.url) else elsewhere.append(request.url)
        ),
    )

    page.goto(f"{live_server.url}/api/v1/docs")

    expect(page.get_by_role("heading", name="HireSlot API v1")).to_be_visible()
    page.get_by_role("link", name="POST /api/v1/scheduling-requests", exact=True).click()
    expect(
        page.get_by_role("heading", name="POST /api/v1/scheduling-requests", exact=True)
    ).to_be_in_viewport()
    assert elsewhere == []
    assert axe_violations(page) == []


def test_the_api_keys_page_is_accessible_with_a_new_key_shown(page: Any, live_server: Any) -> None:
    from playwright.sync_api import expect

    company = company_build()
    admin = person("ada.admin@acme.example", "Ada Admin", "UTC")
    membership_add(user=admin, organization=company.organization, role=Role.ADMIN)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill("ada.admin@acme.example")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/settings/api-keys/")
    page.get_by_label("Name").fill("Greenhouse")
    page.get_by_role("button", name="Create key").click()

    expect(page.get_by_role("heading", name="Your new API key")).to_be_visible()
    expect(page.get_by_role("textbox", name="Key", exact=True)).to_have_value(
        re.compile(r"^hs_live_[A-Za-z0-9_-]{43}$")
    )
    assert axe_violations(page) == []
