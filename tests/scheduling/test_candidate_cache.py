"""The candidate's page and slots are answered from the cache while nothing they show changed,
and never after: a booking, busy time read from a calendar, working hours or the template
changing takes effect on the next answer (scheduling/candidate_cache.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from hireslot.accounts.services import availability_settings_update, date_override_set
from hireslot.calendars.models import BusySource
from hireslot.calendars.providers.base import BusyBlock
from hireslot.calendars.services import busy_cache_replace
from hireslot.recruiting.services import application_create, candidate_create
from hireslot.scheduling.services import scheduling_request_send
from hireslot.scheduling.services.templates import self_schedule_template_save

from .conftest import Company

TUESDAY = {"from": "2026-03-03", "to": "2026-03-03", "tz": "UTC"}
# Tuesday 3 March 2026, 10:00 in New York: the interviewer is free all day.
TUESDAY_10 = "2026-03-03T15:00:00Z"


def another_link(company: Company, number: int = 2) -> str:
    """A second candidate's link to the same interviewer."""
    candidate = candidate_create(
        organization=company.organization,
        first_name=f"Candidate{number}",
        last_name="Second",
        email=f"candidate{number}@example.com",
    )
    application = application_create(
        candidate=candidate, job=company.application.job, actor=company.recruiter
    )
    sent = scheduling_request_send(
        application=application, template=company.template, sender=company.recruiter
    )
    return sent.link.rsplit("/", 1)[1]


def offered(client: Client, token: str, days: dict[str, str] = TUESDAY) -> list[str]:
    response = client.get(f"/s/{token}/slots", days)
    assert response.status_code == 200
    return [slot["start"] for slot in response.json()["slots"]]


@pytest.fixture
def token(company: Company, client: Client) -> str:
    token = company.send().link.rsplit("/", 1)[1]
    assert client.get(f"/s/{token}").status_code == 200  # opened once
    return token


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> Callable[[Callable[[], Any]], Any]:
    """Run a write as if its transaction committed (tests run inside one that never does)."""

    def run(write: Callable[[], Any]) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return write()

    return run


def test_a_page_seen_before_is_answered_in_one_query_with_its_own_token_and_nonce(
    token: str, client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    first = client.get(f"/s/{token}", {"tz": "America/New_York"})

    with django_assert_num_queries(1):
        again = client.get(f"/s/{token}", {"tz": "America/New_York"})

    assert again.status_code == 200
    assert again["Cache-Control"] == first["Cache-Control"]
    assert "no-store" in again["Cache-Control"]

    def without_response_values(html: str) -> str:
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
        return re.sub(r'nonce="[^"]*"', "", html)

    assert without_response_values(again.content.decode()) == without_response_values(
        first.content.decode()
    )
    nonce = re.search(r"'nonce-([^']+)'", again["Content-Security-Policy"])
    assert nonce is not None
    assert f'<style nonce="{nonce.group(1)}">' in again.content.decode()
    assert "__hireslot_" not in again.content.decode()


def test_a_page_from_the_cache_can_book_with_csrf_checks_on(company: Company, token: str) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.get(f"/s/{token}")
    page = browser.get(f"/s/{token}").content.decode()  # from the cache
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert csrf is not None

    response = browser.post(
        f"/s/{token}/book",
        {"start": TUESDAY_10, "tz": "UTC", "csrfmiddlewaretoken": csrf.group(1)},
    )

    assert response.status_code == 303
    assert "done=booked" in response["Location"]


def test_a_slots_call_asked_before_is_answered_in_one_query(
    token: str, client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    first = offered(client, token)

    with django_assert_num_queries(1):
        again = offered(client, token)

    assert again == first and TUESDAY_10 in again


def test_a_booked_time_leaves_every_link_of_the_interviewer_at_once(
    company: Company,
    token: str,
    client: Client,
    committed: Callable[[Callable[[], Any]], Any],
) -> None:
    other = another_link(company)
    client.get(f"/s/{other}")
    assert TUESDAY_10 in offered(client, other)
    assert TUESDAY_10 in offered(client, token)

    booked = committed(lambda: client.post(f"/s/{token}/book", {"start": TUESDAY_10, "tz": "UTC"}))

    assert booked.status_code == 303
    assert TUESDAY_10 not in offered(client, other)
    page = client.get(f"/s/{other}", {"tz": "UTC"}).content.decode()
    assert TUESDAY_10 not in page
    # The candidate who booked sees their interview, not the picker.
    mine = client.get(booked["Location"]).content.decode()
    assert "Pick a time" not in mine


def test_cancelling_offers_the_time_again(
    company: Company,
    token: str,
    client: Client,
    committed: Callable[[Callable[[], Any]], Any],
) -> None:
    other = another_link(company)
    committed(lambda: client.post(f"/s/{token}/book", {"start": TUESDAY_10, "tz": "UTC"}))
    assert TUESDAY_10 not in offered(client, other)

    committed(lambda: client.post(f"/s/{token}/cancel", {"tz": "UTC"}))

    assert TUESDAY_10 in offered(client, other)


def test_busy_time_read_from_a_calendar_changes_the_slots(
    company: Company, token: str, client: Client, committed: Callable[[Callable[[], Any]], Any]
) -> None:
    assert TUESDAY_10 in offered(client, token)
    meeting = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)

    committed(
        lambda: busy_cache_replace(
            user_id=company.interviewer.pk,
            source=BusySource.GOOGLE,
            window_start=meeting - timedelta(days=1),
            window_end=meeting + timedelta(days=1),
            blocks=[BusyBlock(start=meeting, end=meeting + timedelta(hours=1), ref="standup")],
        )
    )

    assert TUESDAY_10 not in offered(client, token)


def test_a_day_off_set_in_working_hours_changes_the_slots(
    company: Company, token: str, client: Client, committed: Callable[[Callable[[], Any]], Any]
) -> None:
    assert offered(client, token)

    committed(lambda: date_override_set(user=company.interviewer, day=date(2026, 3, 3), hours=[]))

    assert offered(client, token) == []


def test_saved_settings_change_the_slots(
    company: Company, token: str, client: Client, committed: Callable[[Callable[[], Any]], Any]
) -> None:
    before = offered(client, token)
    settings = company.interviewer.availability
    rules = {name: getattr(settings, name) for name in type(settings).RULE_FIELDS}
    rules["weekly_hours"] = {"tue": [["13:00", "17:00"]]}

    committed(
        lambda: availability_settings_update(
            user=company.interviewer, time_zone="America/New_York", rules=rules
        )
    )

    after = offered(client, token)
    assert TUESDAY_10 in before and TUESDAY_10 not in after
    assert after and all(start >= "2026-03-03T18:00:00Z" for start in after)


def test_a_template_change_changes_the_slots(
    company: Company, token: str, client: Client, committed: Callable[[Callable[[], Any]], Any]
) -> None:
    before = offered(client, token)
    template = company.template
    template.slot_interval_minutes = 60

    committed(
        lambda: self_schedule_template_save(
            template=template,
            interviewers=list(template.interviewers.all()),
            notify_users=list(template.notify_users.all()),
        )
    )

    after = offered(client, token)
    assert len(after) < len(before)
    assert all(start.endswith(":00:00Z") for start in after)


def test_a_time_inside_the_notice_is_not_offered_from_the_cache(
    company: Company, token: str, client: Client, travel: time_machine.Coordinates
) -> None:
    company.template.minimum_notice_minutes = 10
    company.template.save()
    first = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)  # Tuesday 09:00 in New York
    travel.move_to(first - timedelta(minutes=10, seconds=40))
    assert offered(client, token)[0] == "2026-03-03T14:00:00Z"

    # 20 seconds later the first time is 9 minutes 59 seconds away.
    travel.move_to(first - timedelta(minutes=9, seconds=59))

    assert offered(client, token)[0] == "2026-03-03T14:30:00Z"


def test_the_page_drops_a_time_that_fell_inside_the_notice(
    company: Company, token: str, client: Client, travel: time_machine.Coordinates
) -> None:
    company.template.minimum_notice_minutes = 10
    company.template.save()
    first = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)
    travel.move_to(first - timedelta(minutes=10, seconds=40))
    assert "2026-03-03T14:00:00Z" in client.get(f"/s/{token}", {"tz": "UTC"}).content.decode()

    travel.move_to(first - timedelta(minutes=9, seconds=59))

    page = client.get(f"/s/{token}", {"tz": "UTC"}).content.decode()
    assert "2026-03-03T14:00:00Z" not in page
    assert "2026-03-03T14:30:00Z" in page
