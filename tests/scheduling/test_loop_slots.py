"""What a candidate is offered and shown for a loop, and what booking refuses (decision 0025)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from icalendar import Calendar
from pytest_django import DjangoAssertNumQueries, DjangoCaptureOnCommitCallbacks

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from hireslot.core.errors import HireSlotError
from hireslot.core.tokens import link_token_derive
from hireslot.recruiting.models import InterviewTemplate
from hireslot.scheduling.errors import SlotNotOfferedError, SlotTakenError
from hireslot.scheduling.models import InterviewerBooking, InterviewLoop, SchedulingRequest
from hireslot.scheduling.selectors import offered_slots
from hireslot.scheduling.services import (
    interview_book,
    interview_reschedule,
    scheduling_request_send,
)
from hireslot.scheduling.services.loops import SessionSpec, loop_template_save

from .conftest import NOW, Company, company_build
from .loop_company import TUESDAY_10, LoopCompany, agenda_at, loop_company_build

TUESDAY = {"from": "2026-03-03", "to": "2026-03-03", "tz": "America/New_York"}
WEDNESDAY_10 = TUESDAY_10 + timedelta(days=1)


@pytest.fixture
def loop(company: Company) -> LoopCompany:
    return loop_company_build(company)


def send(loop: LoopCompany) -> SchedulingRequest:
    return scheduling_request_send(
        application=loop.company.application, template=loop.template, sender=loop.company.recruiter
    ).request


def path_of(request: SchedulingRequest) -> str:
    return f"/s/{link_token_derive(request.token_nonce)}"


def starts(client: Client, request: SchedulingRequest, days: dict[str, str] = TUESDAY) -> list[str]:
    response = client.get(f"{path_of(request)}/slots", days)
    assert response.status_code == 200
    return [slot["start"] for slot in response.json()["slots"]]


def test_the_page_shows_the_day_before_a_time_is_picked_and_the_agenda_for_each_time(
    loop: LoopCompany, client: Client
) -> None:
    request = send(loop)

    page = client.get(path_of(request), {"tz": "America/New_York"}).content.decode()

    assert "Pick a time for your Onsite" in page
    plan = re.search(r'<ol class="agenda".*?</ol>', page, re.S)
    assert plan is not None
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", plan.group(0)))
    assert "Intro (30 min), with Nora Alvarez" in text
    assert "Technical (60 min), with a member of Engineering interviewers" in text
    assert "then a 45-minute break" in text
    data = json.loads(re.search(r'id="booker-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert data["duration"] == 195
    sessions = data["agenda"]["2026-03-03T15:00:00Z"]
    assert [s["name"] for s in sessions] == ["Intro", "Technical", "Systems", "Wrap-up"]
    assert sessions[2]["with"] == ["Sam Wu"]


def test_the_booked_page_shows_the_agenda_with_each_join_link_and_the_loop_ics(
    loop: LoopCompany, client: Client
) -> None:
    request = send(loop)
    interview_book(request=request, start=TUESDAY_10, candidate_time_zone="America/New_York")
    loop_row = InterviewLoop.objects.get()

    page = client.get(path_of(request)).content.decode()

    assert "Your agenda" in page
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert "10:00 – 10:30 AM Intro (30 min), with Nora Alvarez" in text
    assert "12:15 – 1:00 PM Systems (45 min), with Sam Wu" in text
    drawn = loop_row.interviews.get(loop_position=1).assignment[0]["name"]
    assert f"Technical (60 min), with {drawn}" in text
    assert page.count("Join Intro") == 1 and page.count("https://meet.jit.si/") >= 4
    ics = client.get(f"{path_of(request)}/invite.ics")
    [event] = Calendar.from_ical(ics.content).walk("VEVENT")
    assert str(event["UID"]) == loop_row.uid
    assert event.decoded("DTEND") == TUESDAY_10 + timedelta(minutes=195)


def test_names_are_hidden_when_the_template_says_so(loop: LoopCompany, client: Client) -> None:
    loop.template.loop_show_names = False
    loop.template.save()
    request = send(loop)

    listed = client.get(f"{path_of(request)}/slots", TUESDAY).json()
    page = client.get(path_of(request)).content.decode()

    people = {who for slot in listed["slots"] for s in slot["sessions"] for who in s["with"]}
    assert people == {"a member of our team", "a member of Engineering interviewers"}
    assert "Nora" not in page and "Sam Wu" not in page


def test_two_pool_seats_of_one_loop_are_two_different_people(company: Company) -> None:
    loop = loop_company_build(company)
    intro = InterviewTemplate.objects.get(organization=company.organization, name="Intro")
    loop_template_save(
        template=loop.template,
        sessions=[
            SessionSpec(interview_template=intro, pools=[loop.pool]),
            SessionSpec(interview_template=intro, pools=[loop.pool]),
        ],
    )
    request = send(loop)

    interview = interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")

    first, second = interview.loop.interviews.order_by("loop_position")
    assert first.assignment[0]["user_id"] != second.assignment[0]["user_id"]
    # With one engineer left in the pool, no time can seat both sessions.
    loop.engineers[1].pool_memberships.update(active=False)
    later = send_again(loop)
    assert offered_slots(request=later, start=NOW, end=NOW + timedelta(days=7), now=NOW) == []


def send_again(loop: LoopCompany) -> SchedulingRequest:
    """The same loop sent to a second candidate of the same job."""
    from hireslot.recruiting.services import application_create, candidate_create

    candidate = candidate_create(
        organization=loop.company.organization,
        first_name="Bea",
        last_name="Two",
        email="bea@x.example",
    )
    application = application_create(
        candidate=candidate, job=loop.company.application.job, actor=loop.company.recruiter
    )
    return scheduling_request_send(
        application=application, template=loop.template, sender=loop.company.recruiter
    ).request


def test_a_person_in_two_sessions_never_goes_past_their_daily_cap(
    loop: LoopCompany, client: Client
) -> None:
    # Nora sits in the intro and the wrap-up; she takes at most 2 interviews a day and
    # already has one on Tuesday
    settings = loop.nora.availability
    settings.max_interviews_per_day = 2
    settings.save()
    other = company_build("busy")
    other.template.interviewers.set([loop.nora])
    other.template.include_hiring_manager = False
    other.template.save()
    interview_book(
        request=other.send().request,
        start=datetime(2026, 3, 3, 21, 0, tzinfo=UTC),
        candidate_time_zone="UTC",
    )
    request = send(loop)

    # Then no loop is offered on Tuesday (it would be her third and fourth), but on Wednesday
    assert starts(client, request) == []
    assert "2026-03-04T15:00:00Z" in starts(
        client, request, {"from": "2026-03-04", "to": "2026-03-04", "tz": "America/New_York"}
    )


def test_booking_refuses_a_time_never_offered_and_one_taken_meanwhile(loop: LoopCompany) -> None:
    request = send(loop)
    with pytest.raises(SlotNotOfferedError):
        interview_book(
            request=request, start=TUESDAY_10 + timedelta(minutes=7), candidate_time_zone="UTC"
        )
    # Sam is booked 12:00–12:45 meanwhile: the 10:00 loop's Systems session (12:15) is taken
    other = company_build("sam")
    membership_add(user=loop.sam, organization=other.organization, role=Role.INTERVIEWER)
    other.template.interviewers.set([loop.sam])
    other.template.include_hiring_manager = False
    other.template.save()
    interview_book(
        request=other.send().request,
        start=TUESDAY_10 + timedelta(minutes=120),
        candidate_time_zone="UTC",
    )
    with pytest.raises(SlotTakenError):
        interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")
    assert not InterviewLoop.objects.exists()


def test_a_recruiter_moving_any_session_moves_the_whole_loop(loop: LoopCompany) -> None:
    request = send(loop)
    interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")
    systems = InterviewLoop.objects.get().interviews.get(loop_position=2)

    interview_reschedule(
        interview=systems, start=WEDNESDAY_10, actor=loop.company.recruiter, by_candidate=False
    )

    loop_row = InterviewLoop.objects.get()
    assert loop_row.start == WEDNESDAY_10
    sessions = list(loop_row.interviews.order_by("loop_position"))
    assert [(s.interview_template.name, s.start, s.end) for s in sessions] == agenda_at(
        WEDNESDAY_10
    )
    # The engineer drawn before is kept (free at the new time), nobody holds the old times
    holds = InterviewerBooking.objects.filter(active=True)
    assert holds.count() == 4 and all(h.start >= WEDNESDAY_10 for h in holds)


def test_a_loop_template_refuses_a_session_with_nobody(loop: LoopCompany) -> None:
    intro = InterviewTemplate.objects.get(organization=loop.company.organization, name="Intro")
    with pytest.raises(HireSlotError, match=r"Session 2 .* has nobody"):
        loop_template_save(
            template=loop.template,
            sessions=[
                SessionSpec(interview_template=intro, include_hiring_manager=True),
                SessionSpec(interview_template=intro),
            ],
        )
    assert loop.template.loop_sessions.count() == 4


def test_loop_times_come_from_the_answer_cache_until_a_booking(
    loop: LoopCompany,
    client: Client,
    django_assert_num_queries: DjangoAssertNumQueries,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    request = send(loop)
    client.get(path_of(request))  # opened once
    first = starts(client, request)
    assert "2026-03-03T15:00:00Z" in first

    with django_assert_num_queries(1):
        assert starts(client, request) == first

    # Another candidate books the 10:00 loop: the next answer no longer offers it
    second = send_again(loop)
    with django_capture_on_commit_callbacks(execute=True):
        interview_book(request=second, start=TUESDAY_10, candidate_time_zone="UTC")
    assert "2026-03-03T15:00:00Z" not in starts(client, request)


def test_a_recruiter_swaps_a_pool_seat_within_its_pool(company: Company) -> None:
    from hireslot.calendars.services import calendar_event_create
    from hireslot.scheduling.services.booking import loop_session_swap

    loop = loop_company_build(company, engineers=("Ann Lee", "Bo Chen", "Cy Park"))
    request = send(loop)
    interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")
    technical = InterviewLoop.objects.get().interviews.get(loop_position=1)
    drawn = technical.assignment[0]["user_id"]
    busy, free = [user for user in loop.engineers if str(user.pk) != drawn]

    # Someone outside the pool cannot take the seat
    with pytest.raises(HireSlotError, match="not in a pool"):
        loop_session_swap(interview=technical, user=loop.sam, actor=loop.company.recruiter)
    # Nor can a member who is busy then
    calendar_event_create(
        owner=busy, title="Dentist", start=TUESDAY_10, end=TUESDAY_10 + timedelta(hours=3)
    )
    with pytest.raises(SlotTakenError):
        loop_session_swap(interview=technical, user=busy, actor=loop.company.recruiter)

    swapped = loop_session_swap(interview=technical, user=free, actor=loop.company.recruiter)

    assert swapped.assignment[0]["user_id"] == str(free.pk)
    assert swapped.assignment[0]["reason"] == "swapped in by Riley Chen"
    holds = InterviewerBooking.objects.filter(interview=technical, active=True)
    assert [h.interviewer_id for h in holds] == [free.pk]
    assert (swapped.start, swapped.end) == (technical.start, technical.end)


def test_a_duplicated_loop_template_is_the_same_loop(loop: LoopCompany) -> None:
    from hireslot.scheduling.services.templates import template_duplicate

    copy = template_duplicate(template=loop.template)

    assert copy.name == "Onsite (copy)" and copy.loop_sessions_count == 4
    sessions = list(copy.loop_sessions.all())
    assert [s.interview_template.name for s in sessions] == [
        "Intro",
        "Technical",
        "Systems",
        "Wrap-up",
    ]
    assert [p.pool for p in sessions[1].pool_seats.all()] == [loop.pool]
    assert list(sessions[2].interviewers.all()) == [loop.sam]
    assert loop.template.loop_sessions.count() == 4
