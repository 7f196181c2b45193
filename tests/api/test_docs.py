"""The human-readable API page: descriptions read as prose, never as raw Markdown or HTML."""

from __future__ import annotations

import pytest
from django.test import Client

from hireslot.api.docs import _prose


def test_given_code_spans_when_shown_then_they_are_code_and_html_is_escaped() -> None:
    shown = _prose("Send `Authorization: Bearer <key>` & wait")

    assert shown == "Send <code>Authorization: Bearer &lt;key&gt;</code> &amp; wait"


@pytest.mark.django_db
def test_given_the_docs_page_when_read_then_no_markdown_backticks_are_left() -> None:
    page = Client().get("/api/v1/docs")

    assert page.status_code == 200
    assert "`" not in page.content.decode()
