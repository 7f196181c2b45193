"""The recruiter's side of self-scheduling: send from the candidate page, follow the request,
open the interview, retry a failed step, reschedule and cancel."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test import Client

from hireslot.accounts.models import Plan
from hireslot.scheduling.errors import SlotNotOfferedError
from hireslot.scheduling.models import Effect, Interview, SchedulingRequest
from hireslot.scheduling.services import effect_run, interview_book, interview_reschedule
from tests.scheduling.conftest import Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def logged_in(company: Company) -> Client:
    client = Client()
    client.force_login(company.recruiter)
    return client


def test_a_recruiter_sends_from_the_candidate_page_and_sees_it_pending(company: Company) -> None:
    client = logged_in(company)
    page = f"/candidates/{company.candidate.pk}/"

    response = client.post(
        f"/applications/{company.application.pk}/self-schedule/",
        {"template": str(company.template.pk)},
        follow=True,
    )

    assert response.redirect_chain == [(page, 302)]
    html = response.content.decode()
    assert "Sent Manager Interview to ada@acme.example." in html
    assert "Pending" in html
    assert "Pick a time for your Manager Interview" in html  # the email, readable
    assert "Timeline" in html and "Sent" in html
    assert SchedulingRequest.objects.get().sender == company.recruiter


def test_sending_twice_explains_why_instead_of_failing(company: Company) -> None:
    client = logged_in(company)
    url = f"/applications/{company.application.pk}/self-schedule/"
    client.post(url, {"template": str(company.template.pk)})

    response = client.post(url, {"template": str(company.template.pk)}, follow=True)

    assert "already has a pending request" in response.content.decode()
    assert SchedulingRequest.objects.count() == 1


def test_another_organizations_template_or_candidate_is_a_404(company: Company) -> None:
    from tests.scheduling.conftest import company_build

    other = company_build("other")
    client = logged_in(company)

    assert (
        client.post(
            f"/applications/{other.application.pk}/self-schedule/",
            {"template": str(company.template.pk)},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/applications/{company.application.pk}/self-schedule/",
            {"template": str(other.template.pk)},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/applications/{company.application.pk}/self-schedule/", {"template": "nonsense"}
        ).status_code
        == 404
    )


def test_a_starter_plan_sees_the_plan_requirement(company: Company) -> None:
    company.organization.plan = Plan.STARTER
    company.organization.save()

    response = logged_in(company).post(
        f"/applications/{company.application.pk}/self-schedule/",
        {"template": str(company.template.pk)},
    )

    assert response.status_code == 403
    assert not SchedulingRequest.objects.exists()


def test_the_interview_page_shows_effects_and_retries_a_failed_one(company: Company) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    failed = Effect.objects.filter(interview=interview, kind="task").get()
    Effect.objects.filter(pk=failed.pk).update(state="failed", last_error="Boom: no assignee")
    client = logged_in(company)

    page = client.get(f"/interviews/{interview.pk}/").content.decode()
    assert "Boom: no assignee" in page
    assert "Retry" in page
    assert "Tuesday 3 March 2026, 10:00" in page  # in Riley's own zone, New York

    client.post(f"/interviews/{interview.pk}/effects/{failed.pk}/retry/")
    failed.refresh_from_db()
    assert failed.state == Effect.State.PENDING


def test_a_recruiter_reschedules_and_cancels_from_the_interview_page(company: Company) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    client = logged_in(company)

    client.post(f"/interviews/{interview.pk}/reschedule/", {"start": "2026-03-04T15:00:00Z"})
    interview.refresh_from_db()
    assert (interview.start, interview.sequence) == (datetime(2026, 3, 4, 15, tzinfo=UTC), 1)

    response = client.post(f"/interviews/{interview.pk}/reschedule/", {"start": "yesterday"})
    assert response.status_code == 400
    assert "must be an instant like" in response.content.decode()

    # Without the page's dialog (no JavaScript), a page asks first, naming what will happen.
    asked = client.post(f"/interviews/{interview.pk}/cancel/", {"reason": "Position filled"})
    interview.refresh_from_db()
    assert interview.status == Interview.Status.SCHEDULED
    assert "Cancel Ada Okafor&#x27;s Manager Interview on Wed 4 Mar at " in asked.content.decode()
    assert "Ada will be emailed the cancellation" in asked.content.decode()
    assert 'name="reason" value="Position filled"' in asked.content.decode()

    client.post(
        f"/interviews/{interview.pk}/cancel/", {"reason": "Position filled", "confirmed": "1"}
    )
    interview.refresh_from_db()
    assert (interview.status, interview.cancel_reason) == (
        Interview.Status.CANCELLED,
        "Position filled",
    )


@pytest.mark.parametrize(
    "start",
    ["0001-01-01T00:00:00+00:00", "9999-12-31T23:30:00+00:00", "9999-12-31T23:59:59-12:00"],
)
def test_a_reschedule_to_a_time_far_away_is_a_400_that_says_why(
    company: Company, start: str
) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )

    response = logged_in(company).post(f"/interviews/{interview.pk}/reschedule/", {"start": start})

    assert response.status_code == 400
    assert "That time is not one of the offered times." in response.content.decode()
    interview.refresh_from_db()
    assert (interview.start, interview.sequence) == (TUESDAY_10, 0)


def test_the_live_check_refuses_a_far_time_instead_of_overflowing(company: Company) -> None:
    """Services are reached without the form too (the API, a shell): the live free/busy look-up
    must not overflow on the far edge of the calendar either."""
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )

    for start in (datetime(9999, 12, 31, 23, 30, tzinfo=UTC), datetime(1, 1, 1, tzinfo=UTC)):
        with pytest.raises(SlotNotOfferedError):
            interview_reschedule(interview=interview, start=start, actor=None, by_candidate=False)


def test_the_steps_refresh_themselves_while_one_is_pending_then_stop(company: Company) -> None:
    """Given a booking whose steps have not run, the interview page polls its steps table;
    once the worker has done them, the steps answer 286 (htmx stops) without the poll."""
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    client = Client()
    client.force_login(company.recruiter)

    page = client.get(f"/interviews/{interview.pk}/").content.decode()
    assert f'hx-get="/interviews/{interview.pk}/steps/" hx-trigger="every 2s"' in page
    assert client.get(f"/interviews/{interview.pk}/steps/").status_code == 200

    for effect in Effect.objects.filter(interview=interview):
        effect_run(effect_id=str(effect.pk))

    done = client.get(f"/interviews/{interview.pk}/steps/")
    assert done.status_code == 286
    assert "hx-trigger" not in done.content.decode()


def test_the_reschedule_picker_reads_free_times_from_the_recruiters_endpoint(
    company: Company,
) -> None:
    interview = interview_book(
        request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC"
    )
    client = Client()
    client.force_login(company.recruiter)

    page = client.get(f"/interviews/{interview.pk}/").content.decode()
    slots = client.get(
        f"/interviews/{interview.pk}/slots/",
        {"tz": "UTC", "from": "2026-03-04", "to": "2026-03-04"},
    ).json()
    bad = client.get(f"/interviews/{interview.pk}/slots/", {"tz": "Mars/Base", "from": "x"})

    assert 'id="booker-data"' in page and '"current": "2026-03-03T15:00:00Z"' in page
    assert {"start": "2026-03-04T15:00:00Z", "end": "2026-03-04T15:45:00Z"} in slots["slots"]
    assert all(s["start"].startswith("2026-03-04") for s in slots["slots"])
    assert bad.status_code == 400
