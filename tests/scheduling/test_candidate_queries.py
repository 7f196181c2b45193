"""The candidate's page and its slots answer read the database in a few queries, however
many interviewers, busy ranges and overrides there are (issue 11's goal: at most 5 each)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from pytest_django import DjangoAssertNumQueries

from hireslot.accounts.models import Role, User
from hireslot.accounts.services import date_override_set, membership_add
from hireslot.availability import Slot
from hireslot.calendars.models import BusySource
from hireslot.calendars.providers.base import BusyBlock
from hireslot.calendars.services import busy_cache_replace, calendar_event_create
from hireslot.scheduling.links import request_for_token
from hireslot.scheduling.models import Interview, SchedulingRequest
from hireslot.scheduling.selectors import live_interview_of, local_day_range
from hireslot.scheduling.services import interview_book, interview_cancel
from hireslot.scheduling.slots import request_interviewers, request_slots

from .conftest import NOW, Company, person

NEW_YORK = ZoneInfo("America/New_York")
WEDNESDAY = date(2026, 3, 4)  # everybody's day off
# Thursday 5 March 2026, 10:00 to 12:00 in New York: Kofi is in a meeting.
THURSDAY_10, THURSDAY_12 = (
    datetime(2026, 3, 5, 15, 0, tzinfo=UTC),
    datetime(2026, 3, 5, 17, 0, tzinfo=UTC),
)
MAX_QUERIES = 5


def busy_weeks(user: User, *, hour_utc: int) -> None:
    """Two meetings every day for four weeks from a synced calendar, one more on the
    built-in calendar each weekday: about sixty busy ranges."""
    blocks = [
        BusyBlock(start=start, end=start + timedelta(minutes=30), ref=f"{user.pk}-{day}-{hour}")
        for day in range(28)
        for hour in (hour_utc, hour_utc + 4)
        for start in [NOW.replace(hour=0) + timedelta(days=day, hours=hour)]
    ]
    busy_cache_replace(
        user_id=user.pk,
        source=BusySource.GOOGLE,
        window_start=NOW,
        window_end=NOW + timedelta(days=28),
        blocks=blocks,
    )
    for day in range(0, 28, 7):
        start = NOW.replace(hour=hour_utc + 2) + timedelta(days=day)
        calendar_event_create(owner=user, title="1:1", start=start, end=start + timedelta(hours=1))


@pytest.fixture
def panel(company: Company) -> Company:
    """The hiring manager and two more interviewers, each busy often, all off on Wednesday."""
    others = []
    for email, name, zone in (
        ("kofi@acme.example", "Kofi Mensah", "America/New_York"),
        ("mei@acme.example", "Mei Tanaka", "America/Chicago"),
    ):
        user = person(email, name, zone)
        membership_add(user=user, organization=company.organization, role=Role.INTERVIEWER)
        others.append(user)
    company.template.interviewers.set(others)
    for number, user in enumerate([company.interviewer, *others]):
        busy_weeks(user, hour_utc=13 + number)
        date_override_set(user=user, day=WEDNESDAY, hours=[])
    kofi = others[0]
    calendar_event_create(owner=kofi, title="Offsite", start=THURSDAY_10, end=THURSDAY_12)
    return company


@pytest.fixture
def token(panel: Company, client: Client) -> str:
    token = panel.send().link.rsplit("/", 1)[1]
    # The first view marks the request opened (a write, once per request): not counted here.
    assert client.get(f"/s/{token}").status_code == 200
    return token


def two_weeks() -> tuple[datetime, datetime]:
    return local_day_range(NOW.date(), NOW.date() + timedelta(days=13), NEW_YORK)


def page_data(token: str) -> tuple[SchedulingRequest, Interview | None, list[Slot], list[User]]:
    """What the candidate page reads, called the way scheduling/views.py calls it today."""
    request = request_for_token(token)
    assert request is not None
    interview = live_interview_of(request)
    start, end = two_weeks()
    slots = request_slots(
        request=request,
        start=start,
        end=end,
        now=NOW,
        exclude_interview_id=interview.pk if interview else None,
    )
    return request, interview, slots, request_interviewers(request)


def first_offered(request: SchedulingRequest) -> datetime:
    start, end = two_weeks()
    return request_slots(request=request, start=start, end=end, now=NOW)[0].start_at


def local_starts(slots: list[Slot]) -> list[datetime]:
    return [slot.start_at.astimezone(NEW_YORK) for slot in slots]


def test_the_slots_answer_reads_at_most_five_queries(
    token: str, client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(
            f"/s/{token}/slots",
            {"from": "2026-03-02", "to": "2026-03-15", "tz": "America/New_York"},
        )

    assert response.status_code == 200
    starts = [datetime.fromisoformat(s["start"]) for s in response.json()["slots"]]
    assert starts, "the panel still has common free time"
    assert not any(s.astimezone(NEW_YORK).date() == WEDNESDAY for s in starts)
    assert not any(THURSDAY_10 <= s < THURSDAY_12 for s in starts)


def test_the_page_data_reads_at_most_five_queries(
    token: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(MAX_QUERIES):
        _, interview, slots, interviewers = page_data(token)

    assert interview is None
    assert sorted(u.email for u in interviewers) == [
        "kofi@acme.example",
        "mei@acme.example",
        "nora@acme.example",
    ]
    assert slots and not any(s.date() == WEDNESDAY for s in local_starts(slots))


def test_the_page_data_of_a_booked_request_reads_at_most_five_queries(
    panel: Company, token: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    request = request_for_token(token)
    assert request is not None
    booked = interview_book(
        request=request,
        start=first_offered(request),
        candidate_time_zone="Europe/Berlin",
    )

    with django_assert_max_num_queries(MAX_QUERIES):
        _, interview, slots, _ = page_data(token)

    assert interview is not None and interview.pk == booked.pk
    # The booked time is offered again (to reschedule to), as before.
    assert booked.start in [slot.start_at for slot in slots]


def test_the_page_passing_its_interviewers_to_request_slots_reads_four(
    token: str, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    """What the rewritten page should do: read the interviewers once and hand them over."""
    start, end = two_weeks()
    with django_assert_max_num_queries(4):
        request = request_for_token(token)
        assert request is not None
        interview = live_interview_of(request)
        interviewers = request_interviewers(request)
        slots = request_slots(
            request=request,
            start=start,
            end=end,
            now=NOW,
            exclude_interview_id=interview.pk if interview else None,
            interviewers=interviewers,
        )

    assert slots == page_data(token)[2]


def test_the_live_interview_read_with_the_link_is_the_one_in_the_database(
    panel: Company, token: str
) -> None:
    request = request_for_token(token)
    assert request is not None
    assert live_interview_of(request) is None

    booked = interview_book(
        request=request,
        start=first_offered(request),
        candidate_time_zone="Europe/Berlin",
    )
    again = request_for_token(token)
    assert again is not None
    live = live_interview_of(again)
    assert live is not None and (live.pk, live.start) == (booked.pk, booked.start)
    assert live_interview_of(SchedulingRequest.objects.get(pk=again.pk)) == live

    interview_cancel(interview=live, actor=None, by_candidate=True, reason="")
    after = request_for_token(token)
    assert after is not None
    assert live_interview_of(after) is None
    assert live_interview_of(SchedulingRequest.objects.get(pk=after.pk)) is None


def test_the_page_itself_reads_at_most_five_queries(
    token: str, client: Client, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(f"/s/{token}", {"tz": "America/New_York"})

    assert response.status_code == 200
