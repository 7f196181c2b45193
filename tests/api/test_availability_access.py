"""Shared availability through the API against the wrong caller: no key, another
organization's key, a read-only key; a start outside the candidate's windows; and the
availability.submitted webhook, which goes only to the candidate's organization and carries
only their request."""

from __future__ import annotations

import json

from django.test import Client

from hireslot.messaging.models import WebhookMessage
from hireslot.messaging.webhooks import webhook_endpoint_create
from hireslot.scheduling.models import Interview, SchedulingRequest
from tests.api.conftest import Api, key_for
from tests.api.test_availability_requests import share
from tests.scheduling.conftest import Company, company_build

# Tuesday 3 March 2026, 10:00–12:00 in New York (Nora's day) and 11:00 outside the window.
WINDOW = ("2026-03-03T15:00:00Z", "2026-03-03T17:00:00Z")
INSIDE = "2026-03-03T15:00:00Z"
OUTSIDE = "2026-03-03T18:00:00Z"


def shared_request(company: Company, client: Client) -> SchedulingRequest:
    sent = company.send()
    assert share(client, sent.link, WINDOW).status_code == 200
    return SchedulingRequest.objects.get(pk=sent.request.pk)


def test_without_a_key_nothing_is_read_or_booked(company: Company, client: Client) -> None:
    request = shared_request(company, client)
    anonymous = Api(Client(), None)

    read = anonymous.get(f"/api/v1/scheduling-requests/{request.pk}")
    booked = anonymous.post(f"/api/v1/scheduling-requests/{request.pk}/book", {"start": INSIDE})

    assert read.status_code == 401 and booked.status_code == 401
    assert "Evenings" not in read.content.decode() and "9 my time" not in read.content.decode()
    assert not Interview.objects.exists()


def test_another_organizations_key_gets_404s_and_books_nothing(
    company: Company, client: Client
) -> None:
    # Given Acme's request with shared availability, and Globex's key
    request = shared_request(company, client)
    globex = Api(Client(), key_for(company_build("globex")))

    # When Globex reads it, books it, and lists requests
    read = globex.get(f"/api/v1/scheduling-requests/{request.pk}")
    booked = globex.post(f"/api/v1/scheduling-requests/{request.pk}/book", {"start": INSIDE})
    listed = globex.get("/api/v1/scheduling-requests").json()

    # Then it is as if the request did not exist
    assert read.status_code == 404 and booked.status_code == 404
    assert "9 my time" not in read.content.decode()
    assert str(request.pk) not in json.dumps(listed)
    assert not Interview.objects.exists()
    assert SchedulingRequest.objects.get(pk=request.pk).status == "availability_received"


def test_a_read_only_key_cannot_book_a_suggestion(
    company: Company, client: Client, read_only_api: Api
) -> None:
    request = shared_request(company, client)

    detail = read_only_api.get(f"/api/v1/scheduling-requests/{request.pk}").json()
    booked = read_only_api.post(
        f"/api/v1/scheduling-requests/{request.pk}/book",
        {"start": detail["suggestions"][0]["start"]},
    )

    assert booked.status_code == 403
    assert not Interview.objects.exists()


def test_a_start_outside_the_candidates_windows_is_a_400(
    company: Company, client: Client, api: Api
) -> None:
    request = shared_request(company, client)

    outside = api.post(f"/api/v1/scheduling-requests/{request.pk}/book", {"start": OUTSIDE})
    bad_zone = api.post(
        f"/api/v1/scheduling-requests/{request.pk}/book",
        {"start": INSIDE, "time_zone": "Mars/Olympus"},
    )
    far = api.post(
        f"/api/v1/scheduling-requests/{request.pk}/book", {"start": "9999-12-31T23:59:59Z"}
    )

    assert outside.status_code == 400 and "outside the candidate's windows" in outside.text
    assert bad_zone.status_code == 400
    assert far.status_code == 400
    assert not Interview.objects.exists()


def test_the_webhook_goes_only_to_the_candidates_organization(
    company: Company, client: Client
) -> None:
    # Given both organizations listen for every event, and Globex has a request of its own
    ours, _ = webhook_endpoint_create(
        organization=company.organization, url="http://127.0.0.1:9/acme", event_types=["*"]
    )
    globex = company_build("globex")
    theirs, _ = webhook_endpoint_create(
        organization=globex.organization, url="http://127.0.0.1:9/globex", event_types=["*"]
    )
    their_request = globex.send().request

    # When Acme's candidate shares their availability
    request = shared_request(company, client)

    # Then Acme's endpoint hears of it, with Acme's request alone; Globex's hears nothing
    submitted = WebhookMessage.objects.filter(event_type="availability.submitted")
    assert [message.endpoint_id for message in submitted] == [ours.pk]
    payload = json.dumps(submitted.get().payload)
    assert str(request.pk) in payload
    assert str(their_request.pk) not in payload
    assert str(globex.organization.pk) not in payload
    assert globex.candidate.email not in payload
    assert not WebhookMessage.objects.filter(
        endpoint=theirs, event_type="availability.submitted"
    ).exists()
