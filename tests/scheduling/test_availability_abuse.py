"""A candidate holding one link attacks ``POST /s/<token>/availability`` and the link's other
endpoints: oversized, malformed and oddly typed input, the wrong content type, replays after
booking, cancelling and expiry, another organization's link, and booking directly on a link
that asks for availability instead of offering times. Each is refused with a 4xx and a
reason, and nothing is written."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.test import Client

from hireslot.core.request_input import instant_parse
from hireslot.scheduling.models import (
    AvailabilityWindow,
    CandidateAvailability,
    Interview,
    SchedulingRequest,
)
from hireslot.scheduling.services import interview_book
from hireslot.scheduling.services.availability import candidate_availability_submit

from .conftest import NOW, Company, company_build
from .test_availability_endpoint import post_json, token_of, window

# Tuesday 3 March 2026 15:00 UTC: 10:00 in New York, inside Nora's working day.
OFFERED = "2026-03-03T15:00:00Z"


def nothing_written() -> bool:
    return not (
        CandidateAvailability.objects.exists()
        or AvailabilityWindow.objects.exists()
        or Interview.objects.exists()
    )


def test_a_body_over_the_size_limit_is_a_400_and_writes_nothing(
    company: Company, client: Client
) -> None:
    token = token_of(company)
    body = json.dumps(
        {"time_zone": "UTC", "windows": [window(1, 14)], "note": "x" * (2 * 1024 * 1024)}
    )

    response = client.post(f"/s/{token}/availability", body, content_type="application/json")

    assert response.status_code == 400
    assert "larger than" in response.json()["error"]
    assert nothing_written()


def test_deeply_nested_json_is_a_400(company: Company, client: Client) -> None:
    token = token_of(company)
    body = '{"time_zone": "UTC", "windows": ' + "[" * 500 + "]" * 500 + "}"

    response = client.post(f"/s/{token}/availability", body, content_type="application/json")

    assert response.status_code == 400
    assert "nests deeper" in response.json()["error"]
    assert nothing_written()


def test_fifty_one_windows_are_refused(company: Company, client: Client) -> None:
    token = token_of(company)
    windows = [window(1 + day, 14, hours=1) for day in range(51)]

    response = post_json(client, token, {"time_zone": "UTC", "windows": windows})

    assert response.status_code == 400
    assert "at most 50" in response.json()["error"]
    assert nothing_written()


def test_a_form_with_hundreds_of_rows_is_refused(company: Company, client: Client) -> None:
    token = token_of(company)
    rows = 300
    response = client.post(
        f"/s/{token}/availability",
        {
            "time_zone": "UTC",
            "day": ["2026-03-05"] * rows,
            "from": ["09:00"] * rows,
            "to": ["10:00"] * rows,
        },
    )

    assert response.status_code == 400
    assert "at most 50" in response.content.decode()
    assert nothing_written()


def test_odd_types_in_the_json_are_each_a_400_with_a_reason(
    company: Company, client: Client
) -> None:
    token = token_of(company)
    bodies: list[tuple[Any, str]] = [
        ([1, 2, 3], "must be a JSON object"),
        ({"time_zone": ["UTC"], "windows": [window(1, 14)]}, "time_zone"),
        ({"time_zone": "UTC", "windows": "all week"}, "windows"),
        ({"time_zone": "UTC", "windows": {"start": "x"}}, "windows"),
        ({"time_zone": "UTC", "windows": [["2026-03-05T09:00Z", "2026-03-05T10:00Z"]]}, "windows"),
        ({"time_zone": "UTC", "windows": [{"start": 1, "end": 2}]}, "start"),
        ({"time_zone": "UTC", "windows": [{"start": "9999-12-31T23:00:00-05:00", "end": "x"}]}, ""),
        ({"time_zone": "UTC", "windows": [{"start": "2026-03-05T09:00", "end": "x"}]}, "zone"),
        ({"time_zone": "UTC", "windows": [window(1, 14)], "note": ["a", "b"]}, "note"),
        ({"time_zone": "UTC", "windows": [window(1, 14)], "note": {"a": 1}}, "note"),
        ({"time_zone": "Mars/Olympus_Mons", "windows": [window(1, 14)]}, "not a known"),
    ]
    for body, reason in bodies:
        response = client.post(
            f"/s/{token}/availability", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 400, body
        assert reason in response.json()["error"], (body, response.json())
    assert nothing_written()


def test_invalid_json_and_other_content_types_are_400s(company: Company, client: Client) -> None:
    token = token_of(company)
    url = f"/s/{token}/availability"
    valid = json.dumps({"time_zone": "UTC", "windows": [window(1, 14)]})

    broken = client.post(url, '{"time_zone": "UTC", "windows": [', content_type="application/json")
    as_text = client.post(url, valid, content_type="text/plain")
    as_xml = client.post(url, "<windows/>", content_type="application/xml")
    not_utf8 = client.post(url, b"\xff\xfe{}", content_type="application/json")

    assert broken.status_code == 400 and "not valid JSON" in broken.json()["error"]
    # Not JSON, so read as the form: no rows, so no windows.
    assert as_text.status_code == 400 and "at least one time" in as_text.content.decode()
    assert as_xml.status_code == 400
    assert not_utf8.status_code == 400
    assert nothing_written()


def test_a_get_is_not_allowed(company: Company, client: Client) -> None:
    token = token_of(company)

    assert client.get(f"/s/{token}/availability").status_code == 405


def test_an_unknown_token_is_a_404(company: Company, client: Client) -> None:
    response = post_json(client, "x" * 43, {"time_zone": "UTC", "windows": [window(1, 14)]})

    assert response.status_code == 404
    assert nothing_written()


def test_replay_after_booking_is_a_409_and_keeps_the_interview(
    company: Company, client: Client
) -> None:
    sent = company.send()
    token = sent.link.rsplit("/", 1)[1]
    interview_book(request=sent.request, start=instant_parse(OFFERED), candidate_time_zone="UTC")

    response = post_json(client, token, {"time_zone": "UTC", "windows": [window(2, 14)]})

    assert response.status_code == 409
    assert "already booked" in response.json()["error"]
    assert not CandidateAvailability.objects.exists()
    assert SchedulingRequest.objects.get().status == "scheduled"


def test_replay_after_the_team_cancelled_the_request_is_a_410(
    company: Company, client: Client
) -> None:
    token = token_of(company)
    body = {"time_zone": "UTC", "windows": [window(1, 14)]}
    assert post_json(client, token, body).status_code == 200
    SchedulingRequest.objects.update(status=SchedulingRequest.Status.CANCELLED)

    response = post_json(client, token, {"time_zone": "UTC", "windows": [window(3, 9)]})

    assert response.status_code == 410
    starts = list(AvailabilityWindow.objects.values_list("start", flat=True))
    assert starts == [NOW.replace(hour=14) + timedelta(days=1)]


def test_one_link_never_touches_another_organizations_request(
    company: Company, client: Client
) -> None:
    # Given a candidate of another organization who shared their times
    other = company_build("globex")
    theirs = other.send().request
    candidate_availability_submit(
        request=theirs,
        time_zone="UTC",
        windows=[(NOW + timedelta(days=1), NOW + timedelta(days=1, hours=2))],
    )
    # When our candidate sends availability with their own link
    token = token_of(company)
    response = post_json(client, token, {"time_zone": "UTC", "windows": [window(4, 9)]})

    # Then only our request changed, and the answer names nothing of the other
    assert response.status_code == 200
    assert response.json() == {"status": "availability_received"}
    theirs_now = CandidateAvailability.objects.get(request=theirs)
    assert list(theirs_now.windows.values_list("start", flat=True)) == [NOW + timedelta(days=1)]
    assert theirs_now.request.organization == other.organization


def test_a_link_that_asks_for_availability_cannot_book_an_offered_time_directly(
    company: Company, client: Client
) -> None:
    # Given a template that asks for availability instead of offering times
    token = token_of(company, ask_availability=True)

    # When the candidate posts straight to the booking endpoint
    as_json = client.post(
        f"/s/{token}/book", {"start": OFFERED, "tz": "UTC"}, content_type="application/json"
    )
    as_form = client.post(f"/s/{token}/book", {"start": OFFERED, "tz": "UTC"})

    # Then nothing is booked: the team confirms a time from the shared availability
    assert as_json.status_code == 400
    assert "does not offer times" in as_json.json()["error"]
    assert as_form.status_code == 400
    assert not Interview.objects.exists()
    assert SchedulingRequest.objects.get().status == "availability_requested"


def test_a_link_that_asks_for_availability_lists_times_only_to_shade_the_grid(
    company: Company, client: Client
) -> None:
    # Given a template that asks for availability
    token = token_of(company, ask_availability=True)

    # When the candidate's week grid asks which times are likely free
    response = client.get(f"/s/{token}/slots", {"from": "2026-03-03", "to": "2026-03-10"})

    # Then it gets the times an offer link would show (shaded, not bookable: see above)
    assert response.status_code == 200
    assert OFFERED in [slot["start"] for slot in response.json()["slots"]]
    assert set(response.json()) == {"timezone", "slots"}


def test_once_booked_a_link_that_asks_for_availability_lists_times_to_move_to(
    company: Company, client: Client
) -> None:
    # Given an availability request the team booked
    sent = company.send()
    token = sent.link.rsplit("/", 1)[1]
    company.template.ask_availability = True
    company.template.save()
    SchedulingRequest.objects.update(kind="ask_availability")
    interview_book(request=sent.request, start=instant_parse(OFFERED), candidate_time_zone="UTC")

    # When the candidate looks for a new time
    response = client.get(f"/s/{token}/slots", {"from": "2026-03-03", "to": "2026-03-10"})

    # Then the times to move to are listed as for any booked link
    assert response.status_code == 200
    assert response.json()["slots"]


def test_an_oversized_form_or_one_with_thousands_of_fields_is_a_400(
    company: Company, client: Client
) -> None:
    token = token_of(company)
    url = f"/s/{token}/availability"

    huge_note = client.post(
        url,
        {
            "time_zone": "UTC",
            "day": "2026-03-05",
            "from": "09:00",
            "to": "10:00",
            "note": "x" * (3 * 1024 * 1024),
        },
    )
    many_fields = client.post(url, {"time_zone": "UTC", "day": ["2026-03-05"] * 1500})

    assert huge_note.status_code == 400
    assert many_fields.status_code == 400
    assert nothing_written()
