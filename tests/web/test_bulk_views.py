"""The job pipeline's sending controls and the bulk send's live progress page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from hireslot.recruiting.models import Application, WorkflowStage
from hireslot.recruiting.services import application_create, candidate_create
from hireslot.scheduling.models import (
    BulkSend,
    BulkSendItem,
    SchedulingRequest,
    SelfScheduleTemplate,
)
from hireslot.scheduling.selectors import stage_template_of
from hireslot.scheduling.services import interview_book
from hireslot.scheduling.services.bulk import stage_template_assign
from tests.scheduling.conftest import Company, company_build, run_worker

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def logged_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def applicants(company: Company, count: int, *, start: int = 0) -> list[Application]:
    return [
        application_create(
            candidate=candidate_create(
                organization=company.organization,
                first_name=f"Cand{number:04d}",
                email=f"cand{number}@example.com",
            ),
            job=company.application.job,
            actor=company.recruiter,
        )
        for number in range(start, start + count)
    ]


def pipeline_url(company: Company) -> str:
    return f"/jobs/{company.application.job_id}/"


def first_stage(company: Company) -> WorkflowStage:
    return company.application.current_stage


def assigned(stage: WorkflowStage) -> SelfScheduleTemplate | None:
    """The stage's template as stored now."""
    return stage_template_of(WorkflowStage.objects.get(pk=stage.pk))


def assign(company: Company) -> WorkflowStage:
    stage = first_stage(company)
    stage_template_assign(stage=stage, template=company.template, actor=company.recruiter)
    return stage


def test_the_pipeline_shows_the_template_control_one_click_and_checkboxes(
    company: Company,
) -> None:
    stage = assign(company)
    html = logged_in(company.recruiter).get(pipeline_url(company)).content.decode()

    assert f'<label for="stage-template-{stage.pk}">Self-schedule template for Applied' in html
    assert f'<option value="{company.template.pk}" selected>Manager Interview</option>' in html
    assert "Send Manager Interview" in html and "to Ada Okafor" in html
    assert f'name="application" value="{company.application.pk}" form="bulk"' in html
    assert "Select all in Applied" in html
    assert "Send to selected" in html
    assert 'aria-label="Settings for Applied"' in html  # the template is behind a stage menu


def test_each_card_shows_where_scheduling_stands(company: Company) -> None:
    """Given a request sent to Ada, then opened, then booked, her card says so each time,
    and no one-click send is offered while it stands."""
    assign(company)
    request = company.send().request
    client = logged_in(company.recruiter)

    assert (
        'class="chip pending">Request pending' in client.get(pipeline_url(company)).content.decode()
    )
    request.opened_at = request.created_at
    request.status = SchedulingRequest.Status.OPENED
    request.save()
    html = client.get(pipeline_url(company)).content.decode()
    assert 'class="chip opened">Opened' in html
    assert "Send Manager Interview<span" not in html
    interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")
    html = client.get(pipeline_url(company)).content.decode()
    assert 'class="chip scheduled">Scheduled Tue 3 Mar, 10:00' in html  # Riley's New York time


def test_assigning_a_template_to_a_stage(company: Company) -> None:
    client = logged_in(company.recruiter)
    stage = first_stage(company)
    url = f"/jobs/{stage.job_id}/stages/{stage.pk}/template/"

    response = client.post(url, {"template": str(company.template.pk)}, follow=True)

    assert response.redirect_chain == [(pipeline_url(company), 302)]
    assert "Applied now sends Manager Interview." in response.content.decode()
    assert assigned(stage) == company.template

    client.post(url, {"template": ""})
    assert assigned(stage) is None


def test_assigning_refuses_another_organizations_template_or_stage(company: Company) -> None:
    other = company_build("other")
    client = logged_in(company.recruiter)
    stage = first_stage(company)
    other_stage = other.application.current_stage

    assert (
        client.post(
            f"/jobs/{stage.job_id}/stages/{stage.pk}/template/",
            {"template": str(other.template.pk)},
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/jobs/{other_stage.job_id}/stages/{other_stage.pk}/template/",
            {"template": str(company.template.pk)},
        ).status_code
        == 404
    )
    assert assigned(stage) is None and assigned(other_stage) is None


def test_one_click_sends_the_stage_template_and_explains_refusals(company: Company) -> None:
    assign(company)
    client = logged_in(company.recruiter)
    url = f"/jobs/{company.application.job_id}/applications/{company.application.pk}/send/"

    response = client.post(url, follow=True)

    assert response.redirect_chain == [(pipeline_url(company), 302)]
    assert "Sent Manager Interview to Ada Okafor (ada@acme.example)." in response.content.decode()
    assert SchedulingRequest.objects.get().application == company.application

    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert "already has a pending request" in again.content.decode()
    assert SchedulingRequest.objects.count() == 1


def test_one_click_without_a_stage_template_or_email_is_a_message(company: Company) -> None:
    client = logged_in(company.recruiter)
    url = f"/jobs/{company.application.job_id}/applications/{company.application.pk}/send/"
    response = client.post(url, follow=True)
    assert "Applied has no self-schedule template" in response.content.decode()

    assign(company)
    company.candidate.email = ""
    company.candidate.save()
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "Ada Okafor has no email address." in response.content.decode()
    assert SchedulingRequest.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_bulk_send_from_the_pipeline_to_the_progress_page(company: Company) -> None:
    stage = assign(company)
    others = applicants(company, 3)
    no_email = application_create(
        candidate=candidate_create(organization=company.organization, first_name="Noemail"),
        job=company.application.job,
        actor=company.recruiter,
    )
    client = logged_in(company.recruiter)
    chosen = [company.application, *others[:2], no_email]

    response = client.post(
        f"/jobs/{stage.job_id}/bulk/",
        {"template": str(company.template.pk), "application": [str(a.pk) for a in chosen]},
    )

    bulk_send = BulkSend.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/bulk/{bulk_send.pk}/"
    assert bulk_send.total == 4
    page = client.get(response["Location"]).content.decode()
    assert '<progress id="bulk-progress-bar" max="4" value="0">0%</progress>' in page
    assert 'role="status"' in page and 'aria-live="polite"' in page
    assert f'hx-get="/bulk/{bulk_send.pk}/progress/"' in page and 'hx-trigger="every 1s"' in page
    assert "django_htmx/htmx-2.min.js" in page  # base.html loads the packaged htmx

    run_worker()

    partial = client.get(f"/bulk/{bulk_send.pk}/progress/", headers={"HX-Request": "true"})
    assert partial.status_code == 286  # htmx stops polling
    html = partial.content.decode()
    assert '<progress id="bulk-progress-bar" max="4" value="4">100%</progress>' in html
    assert "3 sent · 1 skipped · 0 failed" in html
    assert "Noemail has no email address." in html
    assert 'id="bulk-results" hx-swap-oob="true"' in html
    done_page = client.get(f"/bulk/{bulk_send.pk}/").content.decode()
    assert "hx-trigger" not in done_page  # coming back after it finished: no polling
    assert "Done: 4 of 4" in done_page
    assert not SchedulingRequest.objects.filter(application=others[2]).exists()


def test_select_all_in_a_stage_sends_to_everyone_there(company: Company) -> None:
    stage = first_stage(company)
    applicants(company, 4)
    client = logged_in(company.recruiter)

    client.post(
        f"/jobs/{stage.job_id}/bulk/",
        {"template": str(company.template.pk), "all_in_stage": str(stage.pk)},
    )

    assert BulkSendItem.objects.count() == 5


def test_bulk_send_with_nobody_chosen_or_foreign_rows(company: Company) -> None:
    other = company_build("other")
    stage = first_stage(company)
    client = logged_in(company.recruiter)
    url = f"/jobs/{stage.job_id}/bulk/"

    response = client.post(url, {"template": str(company.template.pk)}, follow=True)
    assert "Choose at least one candidate" in response.content.decode()
    # Another organization's candidate is simply not among this job's applications.
    response = client.post(
        url,
        {"template": str(company.template.pk), "application": [str(other.application.pk), "x"]},
        follow=True,
    )
    assert "Choose at least one candidate" in response.content.decode()
    assert client.post(url, {"template": str(other.template.pk)}).status_code == 404
    assert BulkSend.objects.count() == 0

    mine = BulkSend.objects.create(
        organization=other.organization, template=other.template, total=0
    )
    assert client.get(f"/bulk/{mine.pk}/").status_code == 404
    assert client.get(f"/bulk/{mine.pk}/progress/").status_code == 404


def test_the_pipeline_makes_the_same_number_of_queries_for_5_and_50_candidates(
    company: Company,
) -> None:
    assign(company)
    client = logged_in(company.recruiter)
    applicants(company, 4)

    with CaptureQueriesContext(connection) as five:
        assert client.get(pipeline_url(company)).status_code == 200
    applicants(company, 45, start=100)
    with CaptureQueriesContext(connection) as fifty:
        response = client.get(pipeline_url(company))

    assert response.content.decode().count("Send Manager Interview") == 50
    assert len(fifty.captured_queries) == len(five.captured_queries)


def test_interviewers_see_the_pipeline_but_cannot_send(company: Company) -> None:
    stage = assign(company)
    client = logged_in(company.interviewer)

    html = client.get(pipeline_url(company)).content.decode()
    assert "Ada Okafor" in html
    assert "Send Manager Interview" not in html and "Send to selected" not in html

    job_id = company.application.job_id
    assert (
        client.post(f"/jobs/{job_id}/applications/{company.application.pk}/send/").status_code
        == 403
    )
    assert (
        client.post(
            f"/jobs/{job_id}/bulk/",
            {"template": str(company.template.pk), "all_in_stage": str(stage.pk)},
        ).status_code
        == 403
    )
    assert (
        client.post(f"/jobs/{job_id}/stages/{stage.pk}/template/", {"template": ""}).status_code
        == 403
    )
    assert SchedulingRequest.objects.count() == 0 and BulkSend.objects.count() == 0
    assert assigned(stage) == company.template
