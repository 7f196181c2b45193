"""Issue 17: the candidate says why they move or cancel from their link; a template may
require it. The reason is on the timeline, in the API's reschedules and on the recruiter's
pages; without one, a required reason refuses the change and nothing moves."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from hireslot.scheduling.follow_up_documents import reschedule_documents
from hireslot.scheduling.models import Interview, RequestEvent

from .conftest import Company
from .test_candidate_pages import TUESDAY_10, book, text_of, token_of, url

WEDNESDAY_10_TEXT = (TUESDAY_10 + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def token(company: Company) -> str:
    return token_of(company)


@pytest.fixture
def booked(token: str, client: Client) -> Interview:
    assert book(client, token, tz="UTC").status_code == 303
    return Interview.objects.get()


@pytest.fixture
def required(company: Company) -> None:
    company.template.candidate_reason_required = True
    company.template.save()


def test_the_reschedule_step_asks_why_optional_by_default(
    booked: Interview, token: str, client: Client
) -> None:
    page = client.get(url(token, "?change=reschedule"))

    assert "Reason (optional)" in text_of(page)
    html = page.content.decode()
    assert 'name="reason"' in html
    assert " required" not in html.split('id="reason"')[1].split(">")[0]


@pytest.mark.usefixtures("required")
def test_a_required_reason_is_marked_on_both_steps(
    booked: Interview, token: str, client: Client
) -> None:
    for change in ("reschedule", "cancel"):
        page = client.get(url(token, f"?change={change}"))
        assert "Reason (required)" in text_of(page)
        assert " required" in page.content.decode().split('id="reason"')[1].split(">")[0]


@pytest.mark.usefixtures("required")
def test_a_move_without_a_required_reason_is_refused_and_nothing_moves(
    booked: Interview, token: str, client: Client
) -> None:
    response = client.post(
        url(token, "/reschedule"), {"start": WEDNESDAY_10_TEXT, "tz": "UTC", "reason": "  "}
    )

    assert response.status_code == 400
    assert "Please tell us why you are making this change." in text_of(response)
    assert "Reason (required)" in text_of(response), "the change step is shown again"
    booked.refresh_from_db()
    assert booked.start == TUESDAY_10
    assert not RequestEvent.objects.filter(kind=RequestEvent.Kind.RESCHEDULED).exists()


@pytest.mark.usefixtures("required")
def test_a_cancel_without_a_required_reason_is_refused_in_json_too(
    booked: Interview, token: str, client: Client
) -> None:
    response = client.post(
        url(token, "/cancel"), data={"tz": "UTC"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json()["error"] == "Please tell us why you are making this change."
    booked.refresh_from_db()
    assert booked.status == Interview.Status.SCHEDULED


@pytest.mark.usefixtures("required")
def test_a_given_reason_moves_it_and_is_on_the_timeline_and_in_the_api(
    booked: Interview, token: str, client: Client
) -> None:
    response = client.post(
        url(token, "/reschedule"),
        {"start": WEDNESDAY_10_TEXT, "tz": "UTC", "reason": "My flight was moved"},
    )

    assert response.status_code == 303
    booked.refresh_from_db()
    assert booked.start == TUESDAY_10 + timedelta(days=1)
    [move] = reschedule_documents(booked)
    assert (move["by"], move["reason"]) == ("candidate", "My flight was moved")


@pytest.mark.usefixtures("required")
def test_a_cancel_with_its_reason_is_recorded_for_the_recruiter(
    booked: Interview, token: str, client: Client
) -> None:
    response = client.post(url(token, "/cancel"), {"tz": "UTC", "reason": "I took another offer"})

    assert response.status_code == 303
    booked.refresh_from_db()
    assert booked.status == Interview.Status.CANCELLED
    assert booked.cancel_reason == "I took another offer"
    event = RequestEvent.objects.get(kind=RequestEvent.Kind.CANCELLED)
    assert event.by_candidate and event.detail == "I took another offer"


def test_without_the_requirement_a_move_needs_no_reason(
    booked: Interview, token: str, client: Client
) -> None:
    response = client.post(url(token, "/reschedule"), {"start": WEDNESDAY_10_TEXT, "tz": "UTC"})

    assert response.status_code == 303
    booked.refresh_from_db()
    assert booked.start == TUESDAY_10 + timedelta(days=1)


@pytest.mark.usefixtures("required")
def test_the_team_is_never_asked_for_a_reason(booked: Interview, company: Company) -> None:
    from hireslot.scheduling.services import interview_reschedule

    interview_reschedule(
        interview=booked,
        start=TUESDAY_10 + timedelta(days=1),
        actor=company.recruiter,
        by_candidate=False,
    )
    booked.refresh_from_db()
    assert booked.start == TUESDAY_10 + timedelta(days=1)


@pytest.mark.usefixtures("required")
def test_the_refusal_and_the_label_are_in_the_candidates_language(
    booked: Interview, token: str, client: Client
) -> None:
    page = client.get(url(token, "?change=cancel&lang=es"))
    assert "Motivo (obligatorio)" in text_of(page)

    refused = client.post(url(token, "/cancel"), {"tz": "UTC"})

    assert refused.status_code == 400
    assert "Díganos por qué hace este cambio." in text_of(refused)


def test_without_a_script_the_reason_belongs_to_the_time_list(
    booked: Interview, token: str, client: Client
) -> None:
    html = client.get(url(token, "?change=reschedule")).content.decode()

    assert 'id="slot-form"' in html
    assert 'form="slot-form"' in html.split('id="reason"')[1].split(">")[0]
