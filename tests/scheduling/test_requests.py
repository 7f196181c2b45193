"""Sending requests: one click, the right email, a secret link, and clear refusals."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from hireslot.accounts.models import Plan
from hireslot.core.errors import HireSlotError, PlanRequiredError
from hireslot.core.tokens import token_digest
from hireslot.messaging.models import OutgoingEmail
from hireslot.recruiting.services import application_create, candidate_create
from hireslot.scheduling.errors import RequestSkippedError
from hireslot.scheduling.models import RequestEvent, SchedulingRequest
from hireslot.scheduling.services import (
    scheduling_link,
    scheduling_request_cancel,
    scheduling_request_open,
    scheduling_request_send,
)
from hireslot.scheduling.services.bulk import bulk_send_run, bulk_send_start

from .conftest import Company


def test_sending_stores_only_a_digest_and_emails_the_link(company: Company) -> None:
    sent = company.send()
    request = sent.request
    token = sent.link.rsplit("/", 1)[1]

    assert request.status == SchedulingRequest.Status.PENDING
    assert request.token_digest == token_digest(token)
    assert token not in {request.token_digest, request.token_nonce}
    assert len(token) == 43  # 256 bits, URL-safe base64
    # The same link can be rebuilt for later emails without storing it.
    assert scheduling_link(request) == sent.link
    email = OutgoingEmail.objects.get(candidate=company.candidate)
    assert email.to == "ada@acme.example"
    assert email.subject == "Pick a time for your Manager Interview with Acme acme"
    assert "Hi Ada," in email.body_text
    assert sent.link in email.body_text
    assert "45-minute Manager Interview" in email.body_text
    assert request.email == email
    # The starter template: the job's hiring manager interviews.
    assert list(request.interviewers.all()) == [company.interviewer]
    assert [e.kind for e in request.events.all()] == [RequestEvent.Kind.SENT]


def test_two_sends_make_two_different_links(company: Company) -> None:
    first = company.send()
    scheduling_request_cancel(request=first.request, actor=company.recruiter)

    second = company.send()

    assert first.link != second.link


def test_a_candidate_without_email_is_skipped_with_the_reason(company: Company) -> None:
    company.candidate.email = ""
    company.candidate.save()

    with pytest.raises(RequestSkippedError, match="Ada Okafor has no email address"):
        company.send()
    assert not SchedulingRequest.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_second_pending_request_for_the_same_interview_is_refused(company: Company) -> None:
    company.send()

    with pytest.raises(RequestSkippedError, match="already has a pending request"):
        company.send()
    assert SchedulingRequest.objects.count() == 1


def test_plans_without_self_scheduling_are_refused(company: Company) -> None:
    company.organization.plan = Plan.STARTER
    company.organization.save()

    with pytest.raises(PlanRequiredError, match="Scale or Enterprise"):
        company.send()


def test_interviewers_without_working_hours_are_explained_before_sending(
    company: Company,
) -> None:
    settings = company.interviewer.availability
    settings.weekly_hours = {}
    settings.save()

    with pytest.raises(HireSlotError, match="Nora Alvarez has no working hours"):
        company.send()
    assert not SchedulingRequest.objects.exists()


def test_edited_text_for_one_send_is_checked_like_a_template(company: Company) -> None:
    with pytest.raises(HireSlotError, match=r"Unknown merge field: candidate\.salary"):
        scheduling_request_send(
            application=company.application,
            template=company.template,
            sender=company.recruiter,
            body="{{ candidate.salary }}",
        )

    with pytest.raises(HireSlotError, match=r"Unknown merge field: scheduling_link\.__class__"):
        scheduling_request_send(
            application=company.application,
            template=company.template,
            sender=company.recruiter,
            body="{{ scheduling_link.__class__.__mro__ }}",
        )
    assert not SchedulingRequest.objects.exists()

    sent = scheduling_request_send(
        application=company.application,
        template=company.template,
        sender=company.recruiter,
        subject="Hello {{ candidate.first_name }}",
        body="Book here: {{ scheduling_link }}",
    )

    email = OutgoingEmail.objects.get()
    assert email.subject == "Hello Ada"
    assert email.body_text == f"Book here: {sent.link}"


def test_bulk_sending_goes_on_past_candidates_it_cannot_send_to(company: Company) -> None:
    no_email = candidate_create(organization=company.organization, first_name="Bo")
    already = candidate_create(
        organization=company.organization, first_name="Cy", email="cy@example.com"
    )
    job = company.application.job
    applications = [
        company.application,
        application_create(candidate=no_email, job=job, actor=company.recruiter),
        application_create(candidate=already, job=job, actor=company.recruiter),
    ]
    scheduling_request_send(
        application=applications[2], template=company.template, sender=company.recruiter
    )

    bulk_send = bulk_send_start(
        organization=company.organization,
        template=company.template,
        applications=applications,
        sender=company.recruiter,
    )

    bulk_send_run(bulk_send_id=str(bulk_send.pk))

    items = bulk_send.items.select_related("application").order_by("created_at", "pk")
    assert {item.application: (item.outcome, item.reason) for item in items} == {
        applications[0]: ("sent", ""),
        applications[1]: ("skipped", "Bo has no email address."),
        applications[2]: (
            "skipped",
            "Cy already has a pending request for the Manager Interview.",
        ),
    }
    assert SchedulingRequest.objects.count() == 2


def test_opening_is_recorded_once(company: Company) -> None:
    request = company.send().request

    assert scheduling_request_open(request=request) is True
    assert scheduling_request_open(request=request) is False

    request.refresh_from_db()
    assert request.status == SchedulingRequest.Status.OPENED
    assert [e.kind for e in request.events.all()] == ["sent", "opened"]


def test_a_failed_delivery_shows_as_failed(company: Company) -> None:
    request = company.send().request
    OutgoingEmail.objects.update(status=OutgoingEmail.Status.FAILED)

    request = SchedulingRequest.objects.select_related("email").get(pk=request.pk)
    assert request.status_at(request.created_at) == SchedulingRequest.Status.FAILED


def test_a_template_refuses_choices_that_could_only_fail_later(company: Company) -> None:
    template = company.template
    template.conferencing = "zoom"
    template.workflow_action = "named_stage"

    with pytest.raises(ValidationError) as caught:
        template.full_clean()

    assert caught.value.message_dict == {
        "conferencing": [
            "Zoom is not set up for Acme acme yet; an administrator can install it under "
            "Settings → Integrations."
        ],
        "move_to_stage_name": ["Name the stage to move the candidate to."],
    }
    template.workflow_action = "none"
    template.conferencing, template.phone_number = "phone", ""
    template.full_clean()  # the number may come from an interviewer instead


def test_a_phone_interview_takes_the_template_number_or_an_interviewers(
    company: Company,
) -> None:
    from datetime import UTC, datetime

    from hireslot.scheduling.services import interview_book

    company.template.conferencing, company.template.phone_number = "phone", ""
    company.template.save()
    with pytest.raises(HireSlotError, match="Phone interviews need a number"):
        company.send()

    settings = company.interviewer.availability
    settings.phone_number = "+1 555 0100"
    settings.save()
    interview = interview_book(
        request=company.send().request,
        start=datetime(2026, 3, 3, 15, tzinfo=UTC),
        candidate_time_zone="UTC",
    )

    assert interview.conference_url == "tel:+15550100"
    assert interview.conference_details == "Phone: +1 555 0100"
