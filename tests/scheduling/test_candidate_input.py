"""Hostile bodies on the candidate's endpoints: nested or oversized JSON is a 400 with a
message in JSON, and nothing is written."""

from __future__ import annotations

import pytest
from django.test import Client

from hireslot.scheduling.models import Interview, RequestEvent

from .conftest import Company

DEEP = "[" * 20_000 + "]" * 20_000


@pytest.mark.parametrize("action", ["book", "reschedule", "cancel"])
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('{"start": ' + DEEP + "}", "nests deeper than 32 levels"),
        (DEEP, "nests deeper than 32 levels"),
        ('{"reason": "' + "x" * 70_000 + '"}', "larger than 64 KB"),
    ],
)
def test_a_hostile_json_body_is_a_400_with_a_message(
    company: Company, client: Client, action: str, body: str, message: str
) -> None:
    token = company.send().link.rsplit("/", 1)[1]
    events = RequestEvent.objects.count()

    response = client.post(f"/s/{token}/{action}", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert message in response.json()["error"]
    assert not Interview.objects.exists()
    assert RequestEvent.objects.count() == events
