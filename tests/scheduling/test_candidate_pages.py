"""The candidate's HTTP contract behind /s/<token>: the page, slots, book, reschedule, cancel,
the .ics download; every refusal a 4xx with a message, never a 500."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from hireslot.accounts.models import DateOverride
from hireslot.scheduling.models import (
    Interview,
    InterviewerBooking,
    RequestEvent,
    SchedulingRequest,
)
from hireslot.scheduling.services import (
    interview_book,
    scheduling_request_cancel,
)
from tests.itip import itip_read

from .conftest import Company, company_build

# Tuesday 3 March 2026, 10:00 in New York (EST, UTC-5); the conftest's NOW is Monday noon UTC.
TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
TUESDAY_10_TEXT = "2026-03-03T15:00:00Z"


def token_of(company: Company) -> str:
    return company.send().link.rsplit("/", 1)[1]


def url(token: str, suffix: str = "") -> str:
    return f"/s/{token}{suffix}"


def request_of(token: str) -> SchedulingRequest:
    from hireslot.scheduling.links import request_for_token

    request = request_for_token(token)
    assert request is not None
    return request


def slots(client: Client, token: str, **params: str) -> Any:
    return client.get(url(token, "/slots"), params)


def book(client: Client, token: str, start: str = TUESDAY_10_TEXT, **extra: str) -> Any:
    return client.post(url(token, "/book"), {"start": start, **extra})


def post_json(client: Client, path: str, body: object) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def text_of(response: Any) -> str:
    """The page's visible text, whitespace collapsed, for assertions on what people read."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|select)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def token(company: Company) -> str:
    return token_of(company)


# --- the page -----------------------------------------------------------------------------


def test_the_page_is_branded_and_names_the_job_interview_and_interviewers(
    company: Company, token: str, client: Client
) -> None:
    company.organization.accent_color = "#0a7c55"
    company.organization.save()

    response = client.get(url(token))

    assert response.status_code == 200
    html = response.content.decode()
    assert "--accent: #0a7c55" in html
    page = text_of(response)
    assert company.organization.name in page
    assert "Robotics Engineer" in page
    assert "Manager Interview" in page
    assert "45 minutes" in page
    assert "Nora Alvarez" in page
    # Slots are offered on the page as radio buttons carrying UTC instants.
    assert f'value="{TUESDAY_10_TEXT}"' in html


def test_the_page_reveals_nothing_of_the_interviewers_calendars(
    company: Company, token: str, client: Client
) -> None:
    from hireslot.calendars.services import calendar_event_create

    calendar_event_create(
        owner=company.interviewer,
        title="Secret board meeting about layoffs",
        description="Confidential",
        start=TUESDAY_10,
        end=TUESDAY_10 + timedelta(hours=1),
    )
    page = client.get(url(token)).content.decode()
    listed = slots(client, token, **{"from": "2026-03-03", "to": "2026-03-03", "tz": "UTC"})

    assert "Secret board meeting" not in page and "Confidential" not in page
    assert b"Secret" not in listed.content
    assert TUESDAY_10_TEXT not in [s["start"] for s in listed.json()["slots"]]


def test_opening_marks_the_request_opened_once(
    company: Company, token: str, client: Client
) -> None:
    request = request_of(token)
    assert request.status == SchedulingRequest.Status.PENDING

    assert client.get(url(token)).status_code == 200
    first = SchedulingRequest.objects.get(pk=request.pk)
    assert client.get(url(token)).status_code == 200

    again = SchedulingRequest.objects.get(pk=request.pk)
    assert first.status == again.status == SchedulingRequest.Status.OPENED
    assert first.opened_at is not None and again.opened_at == first.opened_at
    assert request.events.filter(kind=RequestEvent.Kind.OPENED).count() == 1


def tampered(token: str) -> str:
    """The same token with one character changed (still a well-formed token)."""
    swap = "A" if token[10] != "A" else "B"
    return token[:10] + swap + token[11:]


@pytest.mark.parametrize(
    "bad",
    [
        "unknown",
        "x" * 43,
        "tampered",
        "truncated",
        "extended",
        "%00",
        "..%2F..%2Fetc",
        "a" * 5000,
        "%F0%9F%98%80" * 11,
    ],
)
def test_unknown_tampered_and_malformed_links_are_404(
    company: Company, token: str, client: Client, bad: str
) -> None:
    other = {
        "tampered": tampered(token),
        "truncated": token[:-1],
        "extended": token + "A",
    }.get(bad, bad)

    for suffix in ("", "/slots?from=2026-03-03&to=2026-03-03&tz=UTC", "/invite.ics"):
        assert client.get(url(other, suffix)).status_code == 404
    assert book(client, other).status_code == 404
    assert client.post(url(other, "/cancel")).status_code == 404
    assert client.post(url(other, "/reschedule"), {"start": TUESDAY_10_TEXT}).status_code == 404
    assert request_of(token).status == SchedulingRequest.Status.PENDING
    assert not Interview.objects.exists()


def test_an_expired_link_gets_a_friendly_410(company: Company, token: str, client: Client) -> None:
    request = request_of(token)

    with time_machine.travel(request.expires_at + timedelta(minutes=1), tick=False):
        page = client.get(url(token))
        listed = slots(client, token, **{"from": "2026-03-10", "to": "2026-03-10", "tz": "UTC"})
        booked = book(client, token, "2026-03-10T15:00:00Z")

    assert page.status_code == 410
    assert "no longer available" in text_of(page)
    assert "expired" in text_of(page)
    assert listed.status_code == 410 and listed.json()["error"]
    assert booked.status_code == 410
    assert not Interview.objects.exists()
    # Opening an expired link does not count as opening it.
    assert request_of(token).status == SchedulingRequest.Status.PENDING


def test_a_cancelled_request_gets_a_friendly_410(
    company: Company, token: str, client: Client
) -> None:
    scheduling_request_cancel(request=request_of(token), actor=company.recruiter)

    page = client.get(url(token))
    listed = slots(client, token, **{"from": "2026-03-03", "to": "2026-03-03", "tz": "UTC"})
    booked = post_json(client, url(token, "/book"), {"start": TUESDAY_10_TEXT})

    assert page.status_code == 410
    assert "cancelled" in text_of(page)
    assert company.organization.name in text_of(page)
    assert listed.status_code == 410
    assert booked.status_code == 410 and booked.json()["error"]
    assert not Interview.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "?tz=../../etc/passwd",
        "?tz=Mars/Olympus",
        "?tz=" + "A" * 20000,
        "?tz=%00",
        "?tz=EST%2B5",
        "?from=2026-02-30",
        "?from=yesterday",
        "?from=9999-12-31",
        "?from=0001-01-01",
        "?from=2026-03-02&tz=Asia/Kathmandu&from=10000-01-01",
    ],
)
def test_malformed_page_parameters_are_400_with_a_message(
    company: Company, token: str, client: Client, query: str
) -> None:
    response = client.get(url(token, query))

    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert response.headers["Content-Type"].startswith("text/html")
        assert re.search(r'role="alert"[^>]*>[^<]+<', response.content.decode())


def test_an_unknown_zone_on_the_page_is_400_with_a_message(
    company: Company, token: str, client: Client
) -> None:
    response = client.get(url(token, "?tz=Mars/Olympus"))

    assert response.status_code == 400
    assert "not a known time zone" in text_of(response)


def test_the_page_shows_times_in_the_asked_zone(
    company: Company, token: str, client: Client
) -> None:
    response = client.get(url(token, "?tz=Asia/Kolkata"), HTTP_ACCEPT_LANGUAGE="en-GB")

    page = text_of(response)
    assert response.status_code == 200
    # Tuesday 15:00Z is 20:30 in Kolkata; 45 minutes later is 21:15 (a British 24-hour clock).
    assert "20:30\u201321:15" in page
    assert "Tuesday, 3 March 2026" in page
    assert "Times are shown in India Time — Kolkata (GMT+5:30)." in page
    # No zone list is rendered into the page: the chooser loads a static file.
    assert '<option value="Asia/' not in response.content.decode()

    # An American reader gets a 12-hour clock and their date order.
    american = text_of(client.get(url(token, "?tz=Asia/Kolkata"), HTTP_ACCEPT_LANGUAGE="en-US"))
    assert "8:30\u2009\u2013\u20099:15\u202fPM" in american or "8:30 \u2013 9:15 PM" in american
    assert "Tuesday, March 3, 2026" in american


# --- slots --------------------------------------------------------------------------------


def test_slots_are_utc_instants_inside_the_requested_local_days(
    company: Company, token: str, client: Client
) -> None:
    response = slots(
        client, token, **{"from": "2026-03-04", "to": "2026-03-04", "tz": "Asia/Tokyo"}
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["timezone"] == "Asia/Tokyo"
    starts = [s["start"] for s in body["slots"]]
    assert starts, "New York's Tuesday afternoon is Wednesday in Tokyo"
    tokyo = ZoneInfo("Asia/Tokyo")
    for slot in body["slots"]:
        assert set(slot) == {"start", "end"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", slot["start"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:00Z", slot["end"])
        start = datetime.fromisoformat(slot["start"])
        end = datetime.fromisoformat(slot["end"])
        assert end - start == timedelta(minutes=45)
        assert start.astimezone(tokyo).date() == date(2026, 3, 4)
    # 10:00 in New York is 00:00 on Wednesday in Tokyo: the first of the day; 09:30 in New York
    # (23:30 Tuesday in Tokyo) is outside the day asked for.
    assert TUESDAY_10_TEXT in starts
    assert "2026-03-03T14:30:00Z" not in starts
    assert "2026-03-03T14:00:00Z" not in starts
    assert starts == sorted(starts)


def test_slots_of_a_new_york_day_in_new_york(company: Company, token: str, client: Client) -> None:
    body = slots(
        client, token, **{"from": "2026-03-03", "to": "2026-03-03", "tz": "America/New_York"}
    ).json()

    # 09:00 to 16:00 every 30 minutes (45-minute interviews end by 17:00): 14:00Z to 21:00Z.
    expected = [
        (TUESDAY_10 - timedelta(hours=1) + timedelta(minutes=30 * i)).strftime("%Y-%m-%dT%H:%MZ")
        for i in range(15)
    ]
    assert [s["start"].replace(":00Z", "Z") for s in body["slots"]] == expected


def test_the_slots_of_a_weekend_are_empty_not_an_error(
    company: Company, token: str, client: Client
) -> None:
    response = slots(client, token, **{"from": "2026-03-07", "to": "2026-03-08", "tz": "UTC"})

    assert response.status_code == 200
    assert response.json() == {"timezone": "UTC", "slots": []}


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-03-03", "to": "2026-03-03", "tz": "Mars/Olympus"},
        {"from": "2026-03-03", "to": "2026-03-03", "tz": "../../etc/passwd"},
        {"from": "2026-03-03", "to": "2026-03-03", "tz": "A" * 20000},
        {"from": "2026-03-03", "to": "2026-03-03", "tz": "\x00"},
        {"from": "2026-02-30", "to": "2026-03-03", "tz": "UTC"},
        {"from": "2026-03-03", "to": "2026-13-01", "tz": "UTC"},
        {"from": "03/03/2026", "to": "2026-03-03", "tz": "UTC"},
        {"from": "2026-03-03T10:00", "to": "2026-03-03", "tz": "UTC"},
        {"from": "9" * 5000, "to": "2026-03-03", "tz": "UTC"},
        {"from": "2026-03-05", "to": "2026-03-03", "tz": "UTC"},
        {"from": "2026-03-01", "to": "2026-05-02", "tz": "UTC"},
        {"from": "0001-01-01", "to": "9999-12-31", "tz": "UTC"},
        {"to": "2026-03-03", "tz": "UTC"},
        {"from": "2026-03-03", "tz": "UTC"},
        {"from": "", "to": "", "tz": "UTC"},
        {"from": "9999-12-31", "to": "9999-12-31", "tz": "UTC"},
        {"from": "9999-12-30", "to": "9999-12-31", "tz": "Pacific/Kiritimati"},
        {"from": "9999-12-01", "to": "9999-12-31", "tz": "America/New_York"},
    ],
    ids=lambda params: "-".join(f"{k}={v[:20]!r}" for k, v in params.items()),
)
def test_bad_slot_queries_are_400_json_with_a_message(
    company: Company, token: str, client: Client, params: dict[str, str]
) -> None:
    response = slots(client, token, **params)

    assert response.status_code == 400
    body = response.json()
    assert isinstance(body["error"], str) and body["error"]
    assert len(body["error"]) < 300  # the message never echoes a huge input back


def test_the_range_limit_is_62_days_inclusive(company: Company, token: str, client: Client) -> None:
    ok = slots(client, token, **{"from": "2026-03-01", "to": "2026-05-01", "tz": "UTC"})
    too_long = slots(client, token, **{"from": "2026-03-01", "to": "2026-05-02", "tz": "UTC"})

    assert ok.status_code == 200
    assert too_long.status_code == 400
    assert "62" in too_long.json()["error"]


def test_slots_messages_say_what_is_wrong(company: Company, token: str, client: Client) -> None:
    def error(**params: str) -> str:
        return str(slots(client, token, **params).json()["error"])

    assert "not a known time zone" in error(
        **{"from": "2026-03-03", "to": "2026-03-03", "tz": "X/Y"}
    )
    assert "date like" in error(**{"from": "2026-02-30", "to": "2026-03-03", "tz": "UTC"})
    assert "before" in error(**{"from": "2026-03-05", "to": "2026-03-03", "tz": "UTC"})
    assert "from" in error(**{"to": "2026-03-03", "tz": "UTC"})


def test_slots_without_a_zone_use_the_candidates_or_the_organizations(
    company: Company, token: str, client: Client
) -> None:
    body = slots(client, token, **{"from": "2026-03-03", "to": "2026-03-03"}).json()

    assert body["timezone"] == "America/New_York"
    assert len(body["slots"]) == 15


# --- booking ------------------------------------------------------------------------------


def test_booking_with_a_form_redirects_to_the_confirmation(
    company: Company, token: str, client: Client
) -> None:
    response = book(client, token, tz="Europe/Berlin")

    assert response.status_code == 303
    assert response["Location"] == f"/s/{token}?tz=Europe/Berlin&done=booked"
    interview = Interview.objects.get()
    assert interview.start == TUESDAY_10
    assert interview.end == TUESDAY_10 + timedelta(minutes=45)
    assert interview.candidate_time_zone == "Europe/Berlin"
    assert request_of(token).status == SchedulingRequest.Status.SCHEDULED

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = text_of(page)
    assert "You are booked" in text
    # 15:00Z is 16:00 in Berlin.
    assert "Tuesday, March 3, 2026, 4:00 \u2013 4:45 PM (Central European Time)" in text
    assert interview.conference_url in text
    assert f'href="/s/{token}/invite.ics"' in page.content.decode()
    assert "Apple or other calendar (.ics)" in text


def test_booking_with_a_json_body_works(company: Company, token: str, client: Client) -> None:
    response = post_json(
        client, url(token, "/book"), {"start": "2026-03-03T20:30:00+05:30", "tz": "Asia/Kolkata"}
    )

    assert response.status_code == 303
    assert response["Location"] == f"/s/{token}?tz=Asia/Kolkata&done=booked"
    assert Interview.objects.get().start == TUESDAY_10


def book_elsewhere(company: Company, start: datetime = TUESDAY_10) -> Interview:
    """Another company's candidate books the same interviewer at ``start``."""
    other = company_build("other")
    other.template.interviewers.set([company.interviewer])
    other.template.include_hiring_manager = False
    other.template.save()
    return interview_book(request=other.send().request, start=start, candidate_time_zone="UTC")


def test_a_slot_taken_meanwhile_is_409_with_fresh_slots(
    company: Company, token: str, client: Client
) -> None:
    listed = slots(client, token, **{"from": "2026-03-03", "to": "2026-03-03", "tz": "UTC"})
    assert TUESDAY_10_TEXT in [s["start"] for s in listed.json()["slots"]]
    book_elsewhere(company)

    response = post_json(client, url(token, "/book"), {"start": TUESDAY_10_TEXT, "tz": "UTC"})

    assert response.status_code == 409
    body = response.json()
    assert "taken" in body["error"]
    fresh = [s["start"] for s in body["slots"]]
    assert fresh, "fresh slots are offered"
    assert TUESDAY_10_TEXT not in fresh
    assert "2026-03-03T14:30:00Z" not in fresh  # 09:30-10:15 overlaps 10:00-10:45
    assert "2026-03-03T16:00:00Z" in fresh
    assert (
        Interview.objects.filter(request__token_digest=request_of(token).token_digest).count() == 0
    )
    assert request_of(token).status == SchedulingRequest.Status.PENDING


def test_a_slot_taken_meanwhile_with_a_form_shows_the_page_with_an_alert(
    company: Company, token: str, client: Client
) -> None:
    book_elsewhere(company)

    response = book(client, token, tz="UTC")

    assert response.status_code == 409
    html = response.content.decode()
    assert re.search(r'role="alert"[^>]*>[^<]*taken', html)
    assert f'value="{TUESDAY_10_TEXT}"' not in html
    assert 'value="2026-03-03T16:00:00Z"' in html


def test_a_slot_taken_meanwhile_with_accept_json_is_json(
    company: Company, token: str, client: Client
) -> None:
    book_elsewhere(company)

    response = client.post(
        url(token, "/book"), {"start": TUESDAY_10_TEXT}, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 409
    assert "slots" in response.json()


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2026-03-03T15:07:00Z", "not one of the offered times"),  # off the grid
        ("2026-03-03T03:00:00Z", "not one of the offered times"),  # 22:00 in New York
        ("2026-03-07T15:00:00Z", "not one of the offered times"),  # Saturday
        ("2026-03-03T15:00:30Z", "not one of the offered times"),
        ("2026-03-02T11:00:00Z", "already passed"),
        ("2027-03-03T15:00:00Z", "not one of the offered times"),  # beyond the horizon
        ("2026-03-03T15:00:00", "time zone"),  # naive
        ("2026-03-03T25:00:00Z", "instant like"),
        ("2026-02-30T15:00:00Z", "instant like"),
        ("tomorrow at ten", "instant like"),
        ("", "missing"),
        ("9" * 60_000, "instant like"),  # long, yet under the 64 KB body cap
    ],
)
def test_a_start_that_was_not_offered_or_is_malformed_is_400(
    company: Company, token: str, client: Client, start: str, message: str
) -> None:
    as_json = post_json(client, url(token, "/book"), {"start": start, "tz": "UTC"})
    as_form = book(client, token, start, tz="UTC")

    assert as_json.status_code == 400
    assert message in as_json.json()["error"]
    assert as_form.status_code == 400
    assert re.search(r'role="alert"[^>]*>[^<]+<', as_form.content.decode())
    assert not Interview.objects.exists()
    assert request_of(token).status == SchedulingRequest.Status.PENDING


def test_a_missing_start_is_400(company: Company, token: str, client: Client) -> None:
    response = client.post(url(token, "/book"), {}, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert "missing" in response.json()["error"]


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'["2026-03-03T15:00:00Z"]',
        b'"2026-03-03T15:00:00Z"',
        b"null",
        b"42",
        b"{not json",
        b"\xff\xfe\x00",
        b'{"start": 1772550000}',
        b'{"start": ["2026-03-03T15:00:00Z"]}',
        b'{"start": {"at": "2026-03-03T15:00:00Z"}}',
        b'{"start": null}',
        b'{"start": "2026-03-03T15:00:00Z", "tz": 5}',
        b'{"start": "2026-03-03T15:00:00Z", "tz": ["UTC"]}',
        b'{"start": "2026-03-03T15:00:00Z", "tz": {"zone": "UTC"}}',
        b'{"start": "2026-03-03T15:00:00Z", "tz": "../../etc/passwd"}',
        b'{"start": "9999-12-31T23:59:00Z", "tz": "UTC"}',
        b'{"start": "9999-12-31T23:00:00-05:00", "tz": "UTC"}',
        b'{"start": "0001-01-01T00:00:00+05:00", "tz": "UTC"}',
        b'{"start": "0001-01-01T00:00:00Z", "tz": "UTC"}',
        b'{"start": "2026-03-03T15:00:00+24:00", "tz": "UTC"}',
        b'{"start": "2026-03-03T15:00:00Z", "tz": "\\u0000"}',
    ],
)
def test_malformed_json_bodies_are_4xx_with_a_message_never_500(
    company: Company, token: str, client: Client, body: bytes
) -> None:
    response = client.post(url(token, "/book"), data=body, content_type="application/json")

    assert 400 <= response.status_code < 500
    assert isinstance(response.json()["error"], str) and response.json()["error"]
    assert not Interview.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"start": "9999-12-31T23:59:00Z"},
        {"start": "9999-12-31T23:00:00-05:00"},
        {"start": "0001-01-01T00:00:00+05:00"},
        {"start": TUESDAY_10_TEXT, "tz": "../../etc"},
        {"start": TUESDAY_10_TEXT, "tz": "A" * 100_000},
    ],
    ids=lambda data: "-".join(f"{k}={str(v)[:24]!r}" for k, v in data.items()),
)
def test_malformed_forms_are_4xx_never_500(
    company: Company, token: str, client: Client, data: dict[str, Any]
) -> None:
    for action in ("/book", "/reschedule", "/cancel"):
        response = client.post(url(token, action), data)
        assert 400 <= response.status_code < 500, (action, response.status_code)
    assert not Interview.objects.exists()


def test_a_double_submit_books_once(company: Company, token: str, client: Client) -> None:
    first = book(client, token, tz="UTC")
    second = book(client, token, tz="UTC")
    second_json = post_json(client, url(token, "/book"), {"start": "2026-03-03T16:00:00Z"})

    assert first.status_code == 303
    assert second.status_code == 409
    assert re.search(r'role="alert"[^>]*>[^<]*already booked', second.content.decode())
    assert second_json.status_code == 409
    assert "already booked" in second_json.json()["error"]
    assert Interview.objects.count() == 1
    assert InterviewerBooking.objects.filter(active=True).count() == 1


def test_get_is_not_allowed_on_actions(company: Company, token: str, client: Client) -> None:
    for action in ("/book", "/reschedule", "/cancel"):
        assert client.get(url(token, action)).status_code == 405
    assert client.post(url(token, "/slots")).status_code == 405
    assert not Interview.objects.exists()


def test_csrf_is_enforced(company: Company, token: str) -> None:
    browser = Client(enforce_csrf_checks=True)

    without = browser.post(url(token, "/book"), {"start": TUESDAY_10_TEXT, "tz": "UTC"})
    json_without = browser.post(
        url(token, "/book"),
        data=json.dumps({"start": TUESDAY_10_TEXT}),
        content_type="application/json",
    )
    assert without.status_code == json_without.status_code == 403
    assert not Interview.objects.exists()

    page = browser.get(url(token))
    assert "csrftoken" in page.cookies
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert match
    with_token = browser.post(
        url(token, "/book"),
        {"start": TUESDAY_10_TEXT, "tz": "UTC", "csrfmiddlewaretoken": match.group(1)},
    )
    assert with_token.status_code == 303
    assert Interview.objects.count() == 1


def test_csrf_header_works_for_json(company: Company, token: str) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.get(url(token))

    response = browser.post(
        url(token, "/book"),
        data=json.dumps({"start": TUESDAY_10_TEXT}),
        content_type="application/json",
        HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value,
    )

    assert response.status_code == 303


def test_the_page_keeps_its_token_from_other_sites_yet_its_forms_pass_csrf(
    company: Company, token: str
) -> None:
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url(token)).content.decode()

    # "same-origin": no Referer (with the secret link) to other sites. "no-referrer" would
    # make browsers send "Origin: null" with the page's own POSTs, which CSRF refuses.
    assert '<meta name="referrer" content="same-origin">' in page
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert match
    form = {"start": TUESDAY_10_TEXT, "tz": "UTC", "csrfmiddlewaretoken": match.group(1)}
    refused = browser.post(url(token, "/book"), form, HTTP_ORIGIN="null")
    assert refused.status_code == 403
    accepted = browser.post(url(token, "/book"), form, HTTP_ORIGIN="http://testserver")
    assert accepted.status_code == 303


# --- reschedule and cancel ----------------------------------------------------------------


@pytest.fixture
def booked(company: Company, token: str, client: Client) -> Interview:
    assert book(client, token, tz="UTC").status_code == 303
    return Interview.objects.get()


def test_the_candidate_reschedules(
    booked: Interview, token: str, client: Client, company: Company
) -> None:
    page = client.get(url(token, "?tz=UTC"))
    assert "Reschedule" in text_of(page)
    # Reschedule opens the picker (the booked time itself is offered back: an interview never
    # blocks its own move) with a form to move it.
    page = client.get(url(token, "?tz=UTC&change=reschedule"))
    assert "Pick a new time" in text_of(page)
    assert "Your current time: Tuesday, March 3, 2026, 3:00 \u2013 3:45 PM" in text_of(page)
    assert f'action="/s/{token}/reschedule"' in page.content.decode()

    response = client.post(
        url(token, "/reschedule"), {"start": "2026-03-03T16:00:00Z", "tz": "Europe/Paris"}
    )

    assert response.status_code == 303
    assert response["Location"] == (
        f"/s/{token}?tz=Europe/Paris&done=rescheduled&was=2026-03-03T15:00:00Z"
    )
    booked.refresh_from_db()
    assert booked.start == datetime(2026, 3, 3, 16, 0, tzinfo=UTC)
    assert booked.sequence == 1
    assert booked.candidate_time_zone == "Europe/Paris"
    assert Interview.objects.count() == 1
    assert request_of(token).status == SchedulingRequest.Status.RESCHEDULED
    assert list(InterviewerBooking.objects.filter(active=True).values_list("start", flat=True)) == [
        booked.start
    ]
    moved = text_of(client.get(response["Location"]))
    assert "Your interview was moved" in moved
    assert (
        "Moved from Tuesday, March 3, 2026, 4:00 \u2013 4:45 PM (Central European Time) "
        "to Tuesday, March 3, 2026, 5:00 \u2013 5:45 PM (Central European Time)."
    ) in moved


def test_reschedule_refusals(
    booked: Interview, token: str, client: Client, company: Company
) -> None:
    def reschedule(**data: str) -> Any:
        return post_json(client, url(token, "/reschedule"), data)

    same = reschedule(start=TUESDAY_10_TEXT)
    off_grid = reschedule(start="2026-03-03T16:10:00Z")
    missing = reschedule()
    naive = reschedule(start="2026-03-03T16:00:00")
    book_elsewhere(company, datetime(2026, 3, 3, 18, 0, tzinfo=UTC))
    taken = reschedule(start="2026-03-03T18:00:00Z")

    assert same.status_code == 400 and "current time" in same.json()["error"]
    assert off_grid.status_code == 400
    assert missing.status_code == 400 and "missing" in missing.json()["error"]
    assert naive.status_code == 400
    assert taken.status_code == 409 and "slots" in taken.json()
    booked.refresh_from_db()
    assert (booked.start, booked.sequence) == (TUESDAY_10, 0)


def test_nothing_to_reschedule_or_cancel_before_booking(
    company: Company, token: str, client: Client
) -> None:
    reschedule = post_json(client, url(token, "/reschedule"), {"start": TUESDAY_10_TEXT})
    cancel = post_json(client, url(token, "/cancel"), {"reason": "no"})

    assert reschedule.status_code == 400 and "pick a time first" in reschedule.json()["error"]
    assert cancel.status_code == 400
    assert not Interview.objects.exists()
    assert request_of(token).status == SchedulingRequest.Status.PENDING
    assert client.get(url(token, "/invite.ics")).status_code == 404


def test_the_candidate_cancels_with_a_reason(booked: Interview, token: str, client: Client) -> None:
    response = client.post(url(token, "/cancel"), {"reason": "I took another offer", "tz": "UTC"})

    assert response.status_code == 303
    booked.refresh_from_db()
    assert booked.status == Interview.Status.CANCELLED
    assert booked.cancel_reason == "I took another offer"
    assert not InterviewerBooking.objects.filter(active=True).exists()
    request = request_of(token)
    # The candidate's own cancel leaves the link open for a new time.
    assert request.status == SchedulingRequest.Status.OPENED
    event = request.events.get(kind=RequestEvent.Kind.CANCELLED)
    assert (event.by_candidate, event.actor, event.detail) == (True, None, "I took another offer")
    assert client.get(response["Location"]).status_code == 200
    again = post_json(client, url(token, "/cancel"), {})
    assert again.status_code == 400
    assert "pick a time first" in again.json()["error"]
    assert book(client, token, "2026-03-03T16:00:00Z").status_code == 303
    assert Interview.objects.filter(status=Interview.Status.SCHEDULED).count() == 1


def test_a_cancel_reason_that_is_not_text_is_400(
    booked: Interview, token: str, client: Client
) -> None:
    response = post_json(client, url(token, "/cancel"), {"reason": ["a", "b"]})

    assert response.status_code == 400
    assert "text" in response.json()["error"]
    booked.refresh_from_db()
    assert booked.status == Interview.Status.SCHEDULED


def test_no_changes_within_the_cut_off(booked: Interview, token: str, client: Client) -> None:
    with time_machine.travel(TUESDAY_10 - timedelta(minutes=90), tick=False):
        page = client.get(url(token, "?tz=UTC"))
        reschedule = post_json(client, url(token, "/reschedule"), {"start": "2026-03-03T18:00:00Z"})
        cancel = post_json(client, url(token, "/cancel"), {"reason": "late"})
        cancel_form = client.post(url(token, "/cancel"), {"reason": "late"})

    assert page.status_code == 200
    assert "can no longer be changed" in text_of(page)
    assert f'action="/s/{token}/cancel"' not in page.content.decode()
    assert reschedule.status_code == 409
    assert "within 2 hours" in reschedule.json()["error"]
    assert cancel.status_code == 409
    assert "within 2 hours" in cancel.json()["error"]
    assert cancel_form.status_code == 409
    assert "within 2 hours" in text_of(cancel_form)
    booked.refresh_from_db()
    assert (booked.status, booked.start, booked.sequence) == ("scheduled", TUESDAY_10, 0)


def test_changes_just_outside_the_cut_off_are_allowed(
    booked: Interview, token: str, client: Client
) -> None:
    with time_machine.travel(TUESDAY_10 - timedelta(minutes=121), tick=False):
        response = client.post(url(token, "/cancel"), {"reason": ""})

    assert response.status_code == 303
    booked.refresh_from_db()
    assert booked.status == Interview.Status.CANCELLED


# --- the .ics download --------------------------------------------------------------------


def parse_ics(response: Any) -> Any:
    """A plain calendar file for "add to calendar": METHOD:PUBLISH in the body and in the
    Content-Type (RFC 5545 8.1), read by icalendar and by vobject (tests.itip)."""
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8; method=PUBLISH"
    assert re.fullmatch(
        r'attachment; filename="manager-interview-acme-[a-z0-9-]+\.ics"',
        response["Content-Disposition"],
    )
    itip_read(response.content, method="PUBLISH", content_type=response["Content-Type"])
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_the_ics_download_has_the_uid_and_utc_times(
    booked: Interview, token: str, client: Client
) -> None:
    calendar, event = parse_ics(client.get(url(token, "/invite.ics")))

    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "ATTENDEE" not in event
    assert str(event["UID"]) == booked.uid
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == booked.start
    assert event.decoded("DTEND") == booked.end
    assert event["DTSTART"].to_ical() == b"20260303T150000Z"
    assert event["DTEND"].to_ical() == b"20260303T154500Z"
    assert booked.conference_url in str(event["DESCRIPTION"])
    assert f"/s/{token}" in str(event["DESCRIPTION"])


def test_the_ics_follows_a_reschedule_and_a_cancel(
    booked: Interview, token: str, client: Client
) -> None:
    post_json(client, url(token, "/reschedule"), {"start": "2026-03-04T15:00:00Z"})
    _, moved = parse_ics(client.get(url(token, "/invite.ics")))
    client.post(url(token, "/cancel"), {})
    gone = client.get(url(token, "/invite.ics"))

    assert str(moved["UID"]) == booked.uid and int(moved["SEQUENCE"]) == 1
    assert moved["DTSTART"].to_ical() == b"20260304T150000Z"
    # After a cancellation there is no file to add (and no CANCEL message): a page says so.
    assert gone.status_code == 410
    assert gone["Content-Type"].startswith("text/html")
    text = text_of(gone)
    assert "This interview was cancelled." in text
    assert "It was planned for Wednesday, March 4, 2026" in text
    assert "BEGIN:VCALENDAR" not in gone.content.decode()


# --- time zones across a DST change -------------------------------------------------------

US_DST_SUNDAY = date(2026, 3, 8)


def test_kathmandu_books_new_york_on_the_day_us_dst_starts(
    company: Company, token: str, client: Client
) -> None:
    # Nora works 01:00-05:00 New York time on Sunday 8 March: at 02:00 the clocks jump to
    # 03:00, so that is 06:00Z (01:00 EST) to 09:00Z (05:00 EDT): three hours, not four.
    DateOverride.objects.create(
        user=company.interviewer, date=US_DST_SUNDAY, hours=[["01:00", "05:00"]]
    )

    response = slots(
        client, token, **{"from": "2026-03-08", "to": "2026-03-08", "tz": "Asia/Kathmandu"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["timezone"] == "Asia/Kathmandu"
    starts = [s["start"] for s in body["slots"]]
    # 01:00 EST = 06:00Z, 01:30 EST = 06:30Z, (02:00-03:00 does not exist), 03:00 EDT = 07:00Z,
    # 03:30 EDT = 07:30Z, 04:00 EDT = 08:00Z (ends 04:45); 04:30 would end after 05:00.
    assert starts == [
        "2026-03-08T06:00:00Z",
        "2026-03-08T06:30:00Z",
        "2026-03-08T07:00:00Z",
        "2026-03-08T07:30:00Z",
        "2026-03-08T08:00:00Z",
    ]
    new_york = ZoneInfo("America/New_York")
    walls = [datetime.fromisoformat(s).astimezone(new_york).strftime("%H:%M") for s in starts]
    assert walls == ["01:00", "01:30", "03:00", "03:30", "04:00"]
    assert not any(wall.startswith("02:") for wall in walls)
    assert all(
        s["end"]
        == (datetime.fromisoformat(s["start"]) + timedelta(minutes=45)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        for s in body["slots"]
    )

    # Kathmandu is UTC+05:45: 07:00Z is 12:45 there.
    page = client.get(
        url(token, "?tz=Asia/Kathmandu&from=2026-03-08"), HTTP_ACCEPT_LANGUAGE="en-GB"
    )
    assert page.status_code == 200
    page_text = text_of(page)
    assert "Sunday, 8 March 2026" in page_text
    for label in ("11:45\u201312:30", "12:15\u201313:00", "12:45\u201313:30"):
        assert label in page_text

    booked = book(client, token, "2026-03-08T12:45:00+05:45", tz="Asia/Kathmandu")

    assert booked.status_code == 303
    interview = Interview.objects.get()
    assert interview.start == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert interview.start.astimezone(new_york).strftime("%H:%M %Z") == "03:00 EDT"
    assert interview.candidate_time_zone == "Asia/Kathmandu"
    confirmation = text_of(client.get(booked["Location"], HTTP_ACCEPT_LANGUAGE="en-GB"))
    assert "Sunday, 8 March 2026, 12:45\u201313:30 (Nepal Time)" in confirmation


@pytest.mark.parametrize(
    "start",
    ["2026-03-08T07:00:00Z", "2026-03-08T03:00:00-04:00", "2026-03-08T12:45:00+05:45"],
)
def test_any_spelling_of_the_instant_books_the_same_utc_start(
    company: Company, token: str, client: Client, start: str
) -> None:
    DateOverride.objects.create(
        user=company.interviewer, date=US_DST_SUNDAY, hours=[["01:00", "05:00"]]
    )

    response = post_json(client, url(token, "/book"), {"start": start, "tz": "Asia/Kathmandu"})

    assert response.status_code == 303
    assert Interview.objects.get().start == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
