"""The candidate shares when they could do (issue 16): ``POST /s/<token>/availability``, as
JSON and as the plain form. Each refusal is a 400 with its reason and writes nothing;
sending again replaces the earlier windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from hireslot.scheduling.models import (
    AvailabilityWindow,
    CandidateAvailability,
    RequestEvent,
    SchedulingRequest,
)

from .conftest import NOW, Company


def token_of(company: Company, **template: object) -> str:
    for field, value in template.items():
        setattr(company.template, field, value)
    company.template.save()
    return company.send().link.rsplit("/", 1)[1]


def window(days: int, hour: int, hours: int = 2) -> dict[str, str]:
    start = NOW.replace(hour=hour) + timedelta(days=days)
    end = start + timedelta(hours=hours)
    return {
        "start": start.isoformat().replace("+00:00", "Z"),
        "end": end.isoformat().replace("+00:00", "Z"),
    }


def post_json(client: Client, token: str, body: dict[str, Any]) -> Any:
    return client.post(f"/s/{token}/availability", data=body, content_type="application/json")


def test_json_availability_is_recorded_and_answered_as_received(
    company: Company, client: Client
) -> None:
    token = token_of(company, ask_availability=True)

    response = post_json(
        client,
        token,
        {
            "time_zone": "Asia/Tokyo",
            "windows": [window(2, 14), window(1, 15)],
            "note": "Mornings are hard",
        },
    )

    assert response.status_code == 200
    assert response.json() == {"status": "availability_received"}
    request = SchedulingRequest.objects.get()
    assert request.status == "availability_received"
    availability = CandidateAvailability.objects.get(request=request)
    assert availability.time_zone == "Asia/Tokyo"
    assert availability.note == "Mornings are hard"
    assert availability.submitted_at == NOW
    starts = list(availability.windows.values_list("start", flat=True))
    assert starts == [
        NOW.replace(hour=15) + timedelta(days=1),
        NOW.replace(hour=14) + timedelta(days=2),
    ]
    assert request.events.filter(
        kind=RequestEvent.Kind.AVAILABILITY_RECEIVED, by_candidate=True
    ).exists()


def test_sending_again_replaces_the_earlier_windows(company: Company, client: Client) -> None:
    token = token_of(company)
    post_json(
        client, token, {"time_zone": "Europe/London", "windows": [window(1, 14), window(2, 14)]}
    )

    post_json(client, token, {"time_zone": "Europe/Paris", "windows": [window(3, 16)]})

    availability = CandidateAvailability.objects.get()
    assert availability.time_zone == "Europe/Paris"
    assert [(w.start, w.end) for w in availability.windows.all()] == [
        (NOW.replace(hour=16) + timedelta(days=3), NOW.replace(hour=18) + timedelta(days=3))
    ]
    assert AvailabilityWindow.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"time_zone": "Mars/Olympus", "windows": [window(1, 14)]}, "not a known time zone"),
        ({"windows": [window(1, 14)]}, "time zone"),
        ({"time_zone": "Asia/Tokyo", "windows": []}, "at least one time"),
        ({"time_zone": "Asia/Tokyo", "windows": "soon"}, "must be a list"),
        ({"time_zone": "Asia/Tokyo", "windows": [window(-1, 14)]}, "in the future"),
        (
            {
                "time_zone": "Asia/Tokyo",
                "windows": [{"start": window(1, 16)["start"], "end": window(1, 14)["start"]}],
            },
            "end after it starts",
        ),
        ({"time_zone": "Asia/Tokyo", "windows": [window(1, 14, hours=25)]}, "at most 24 hours"),
        ({"time_zone": "Asia/Tokyo", "windows": [window(1, 14, 3), window(1, 16)]}, "overlap"),
        (
            {"time_zone": "Asia/Tokyo", "windows": [window(d, 14) for d in range(1, 52)]},
            "at most 50",
        ),
        (
            {"time_zone": "Asia/Tokyo", "windows": [{"start": "tomorrow", "end": "later"}]},
            "instant like",
        ),
        ({"time_zone": "Asia/Tokyo", "windows": [window(1, 14)], "note": 7}, "must be text"),
    ],
)
def test_each_refusal_is_a_400_with_its_reason_and_writes_nothing(
    company: Company, client: Client, body: dict[str, Any], reason: str
) -> None:
    token = token_of(company)
    events = RequestEvent.objects.count()

    response = post_json(client, token, body)

    assert response.status_code == 400
    assert reason in response.json()["error"]
    assert not CandidateAvailability.objects.exists()
    assert RequestEvent.objects.count() == events
    assert SchedulingRequest.objects.get().status == "pending"


def test_the_plain_form_reads_rows_on_the_candidates_wall_clock_and_redirects(
    company: Company, client: Client
) -> None:
    token = token_of(company, ask_availability=True)

    response = client.post(
        f"/s/{token}/availability",
        {
            "time_zone": "Asia/Tokyo",
            "day": ["2026-03-04", "", "2026-03-05"],
            "from": ["09:00", "", "22:00"],
            "to": ["11:30", "", "01:00"],
            "note": "",
        },
    )

    assert response.status_code == 303
    assert response["Location"].startswith(f"/s/{token}?")
    windows = list(AvailabilityWindow.objects.values_list("start", "end"))
    # 09:00 in Tokyo is 00:00 UTC; 22:00 to 01:00 runs into the next day.
    assert windows == [
        (datetime(2026, 3, 4, 0, 0, tzinfo=UTC), datetime(2026, 3, 4, 2, 30, tzinfo=UTC)),
        (datetime(2026, 3, 5, 13, 0, tzinfo=UTC), datetime(2026, 3, 5, 16, 0, tzinfo=UTC)),
    ]
    page = client.get(response["Location"])
    assert "we have your availability" in page.content.decode()


def test_a_half_filled_form_row_is_a_400_naming_the_row(company: Company, client: Client) -> None:
    token = token_of(company, ask_availability=True)

    response = client.post(
        f"/s/{token}/availability",
        {
            "time_zone": "Asia/Tokyo",
            "day": ["2026-03-04", "2026-03-05"],
            "from": ["09:00", "10:00"],
            "to": ["11:00", ""],
        },
    )

    assert response.status_code == 400
    assert "Row 2" in response.content.decode()
    assert not CandidateAvailability.objects.exists()


def test_an_availability_request_shows_the_form_instead_of_times(
    company: Company, client: Client
) -> None:
    token = token_of(company, ask_availability=True)

    page = client.get(f"/s/{token}").content.decode()

    assert "When could you do your Manager Interview?" in page
    assert 'id="availability-form"' in page
    assert 'id="booker"' not in page
    request = SchedulingRequest.objects.get()
    assert request.status == "availability_requested"
    assert request.opened_at == NOW


def test_an_offer_of_times_leads_to_the_form_under_none_of_these_work(
    company: Company, client: Client
) -> None:
    token = token_of(company)

    page = client.get(f"/s/{token}").content.decode()

    assert 'id="booker"' in page
    assert "None of these times work?" in page
    assert 'id="availability-form"' in page


def test_the_endpoint_is_csrf_protected(company: Company) -> None:
    token = token_of(company)
    guarded = Client(enforce_csrf_checks=True)

    response = post_json(guarded, token, {"time_zone": "UTC", "windows": [window(1, 14)]})

    assert response.status_code == 403
    assert not CandidateAvailability.objects.exists()


def test_an_expired_link_takes_no_availability(company: Company, client: Client) -> None:
    token = token_of(company)
    SchedulingRequest.objects.update(expires_at=NOW)

    response = post_json(client, token, {"time_zone": "UTC", "windows": [window(1, 14)]})

    assert response.status_code == 410
    assert not CandidateAvailability.objects.exists()
