"""Issue 16's acceptance, end to end through HTTP and the real worker: a candidate in Tokyo
shares two windows for a panel in New York and London across the United States' switch to
summer time (Sunday 14 March 2027; London switches on the 28th). With auto-schedule the
earliest time inside a window and both interviewers' hours is booked at once and everyone is
emailed; without it the team books from the suggestions through the API. Both are checked
against the engine's own answer, computed here from the same documents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from hireslot.availability import AvailabilityRequest, find_slots, parse_document
from hireslot.messaging.models import EmailTemplate
from hireslot.scheduling.models import Effect, Interview, SchedulingRequest
from hireslot.scheduling.services.starter import AVAILABILITY_NAME
from tests.api.conftest import Api, key_for
from tests.smtp import RecordingHandler, smtp_server

from .conftest import WEEKDAYS, Company, company_build, person, run_worker
from .test_end_to_end import invites_to, link_path, mail_to, subject_of

pytestmark = pytest.mark.django_db(transaction=True)

# Thursday 11 March 2027, 12:00 UTC: New York is on EST (UTC-5), London on GMT.
NOW = datetime(2027, 3, 11, 12, 0, tzinfo=UTC)
# The candidate's two windows, on their wall clock in Tokyo (UTC+9, no summer time):
# Friday 12 March 22:00-23:30 (13:00-14:30 UTC: 08:00 in New York, before Nora starts, as
# EST still applies), and Tuesday 16 March 22:00-24:00 (13:00-15:00 UTC: 09:00 in New York,
# which is on EDT by then, and 13:00 in London).
FORM_ROWS = {
    "time_zone": "Asia/Tokyo",
    "day": ["2027-03-12", "2027-03-16", ""],
    "from": ["22:00", "22:00", ""],
    "to": ["23:30", "00:00", ""],
    "note": "Evenings in Tokyo, please",
}
WINDOWS = [
    (datetime(2027, 3, 12, 13, 0, tzinfo=UTC), datetime(2027, 3, 12, 14, 30, tzinfo=UTC)),
    (datetime(2027, 3, 16, 13, 0, tzinfo=UTC), datetime(2027, 3, 16, 15, 0, tzinfo=UTC)),
]


@pytest.fixture
def smtp(settings: Any) -> Iterator[RecordingHandler]:
    yield from smtp_server(settings)


@pytest.fixture
def panel(transactional_db: None) -> Iterator[Company]:
    """Nora in New York and Leo in London, both 09:00-17:00 on weekdays, as a panel; the
    template asks for availability with the "Availability request" email."""
    with time_machine.travel(NOW, tick=False):
        company = company_build()
        leo = person("leo@acme.example", "Leo Grant", "Europe/London")
        membership_add(user=leo, organization=company.organization, role=Role.INTERVIEWER)
        template = company.template
        template.include_hiring_manager = False
        template.ask_availability = True
        template.email_template = EmailTemplate.objects.get(
            organization=company.organization, name=AVAILABILITY_NAME
        )
        template.save()
        template.interviewers.set([company.interviewer, leo])
        yield company


def engine_fits() -> list[datetime]:
    """The engine's answer for the same people and rules, asked directly through its JSON
    contract, intersected here with the candidate's windows: the starts that fit."""
    document = {
        "now": "2027-03-11T12:00:00Z",
        "start": "2027-03-12T13:00:00Z",
        "end": "2027-03-16T15:00:00Z",
        "duration": 45,
        "interval": 30,
        "min_notice": 0,
        "grid_tz": "America/New_York",
        "mode": "all",
        "interviewers": [
            {"id": "nora", "tz": "America/New_York", "weekly": WEEKDAYS},
            {"id": "leo", "tz": "Europe/London", "weekly": WEEKDAYS},
        ],
    }
    request = parse_document(document)
    assert isinstance(request, AvailabilityRequest)
    return [
        slot.start_at
        for slot in find_slots(request)
        if any(start <= slot.start_at and slot.end_at <= end for start, end in WINDOWS)
    ]


def test_the_engine_fits_only_the_second_window_after_the_switch() -> None:
    fits = engine_fits()

    # Friday 13:00 UTC is 08:00 in New York (EST); Tuesday 13:00 UTC is 09:00 (EDT).
    assert fits[0] == datetime(2027, 3, 16, 13, 0, tzinfo=UTC)
    assert all(start.day == 16 for start in fits)


def test_auto_schedule_books_the_earliest_fit_and_emails_everyone(
    panel: Company, smtp: RecordingHandler
) -> None:
    panel.template.auto_schedule = True
    panel.template.save()
    client = Client()
    with time_machine.travel(NOW, tick=False):
        panel.send()
        run_worker()
        [asked] = mail_to(smtp, panel.candidate.email)
        assert subject_of(asked) == "When could you do your Manager Interview with Acme acme?"
        path = link_path(asked)
        page = client.get(path).content.decode()
        assert 'id="availability-form"' in page

        shared = client.post(f"{path}/availability", FORM_ROWS)

        assert shared.status_code == 303
        assert "You are booked" in client.get(shared["Location"]).content.decode()
        interview = Interview.objects.get()
        assert interview.start == engine_fits()[0] == datetime(2027, 3, 16, 13, 0, tzinfo=UTC)
        assert interview.candidate_time_zone == "Asia/Tokyo"
        request = SchedulingRequest.objects.get()
        assert request.status == "scheduled"
        assert list(request.events.values_list("kind", flat=True)) == [
            "sent",
            "opened",
            "availability_received",
            "scheduled",
        ]
        run_worker()

    assert set(Effect.objects.filter(interview=interview).values_list("state", flat=True)) == {
        "done"
    }
    assert len(invites_to(smtp, panel.candidate.email)) == 1
    panel_emails = {"nora@acme.example", "leo@acme.example"}
    assert set(interview.bookings.values_list("interviewer__email", flat=True)) == panel_emails
    assert (
        set(
            Effect.objects.filter(interview=interview, kind="calendar_event").values_list(
                "user__email", flat=True
            )
        )
        == panel_emails
    )


def test_without_auto_schedule_the_team_books_from_the_suggestions(
    panel: Company, smtp: RecordingHandler
) -> None:
    client = Client()
    with time_machine.travel(NOW, tick=False):
        api = Api(Client(), key_for(panel))
        request_id = panel.send().request.pk
        run_worker()
        path = link_path(mail_to(smtp, panel.candidate.email)[0])

        shared = client.post(
            f"{path}/availability",
            {
                "time_zone": "Asia/Tokyo",
                "windows": [
                    {"start": "2027-03-12T22:00:00+09:00", "end": "2027-03-12T23:30:00+09:00"},
                    {"start": "2027-03-16T22:00:00+09:00", "end": "2027-03-17T00:00:00+09:00"},
                ],
            },
            content_type="application/json",
        )
        assert shared.json() == {"status": "availability_received"}
        assert not Interview.objects.exists()
        detail = api.get(f"/api/v1/scheduling-requests/{request_id}").json()
        assert detail["status"] == "availability_received"
        starts = [row["start"] for row in detail["suggestions"]]
        assert starts == [f"{start:%Y-%m-%dT%H:%M:%SZ}" for start in engine_fits()]

        booked = api.post(f"/api/v1/scheduling-requests/{request_id}/book", {"start": starts[0]})

        assert booked.status_code == 201
        assert booked.json()["start"] == "2027-03-16T13:00:00Z"
        assert booked.json()["candidate_time_zone"] == "Asia/Tokyo"
        assert api.get(f"/api/v1/scheduling-requests/{request_id}").json()["status"] == (
            "scheduled"
        )
        run_worker()

    assert len(invites_to(smtp, panel.candidate.email)) == 1
