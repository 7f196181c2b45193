"""One send path: every refusal reads the same from the candidate page (one candidate) and
from a bulk send (many), because a single send is a batch of one (``RequestBatch``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from hireslot.accounts.models import Plan, User
from hireslot.core.errors import HireSlotError
from hireslot.messaging.models import EmailTemplate, OutgoingEmail
from hireslot.recruiting.models import Application
from hireslot.scheduling.errors import RequestSkippedError
from hireslot.scheduling.models import BulkSend, BulkSendItem, SchedulingRequest
from hireslot.scheduling.models import SelfScheduleTemplate as Template
from hireslot.scheduling.services import scheduling_request_problem, scheduling_request_send
from hireslot.scheduling.services.bulk import bulk_send_run, bulk_send_start

from .conftest import Company, company_build


@dataclass(frozen=True)
class Send:
    application: Application
    template: Template
    sender: User | None


def _no_email(company: Company) -> Send:
    company.candidate.email = ""
    company.candidate.save()
    return Send(company.application, company.template, company.recruiter)


def _pending_already(company: Company) -> Send:
    company.send()
    return Send(company.application, company.template, company.recruiter)


def _plan_without_self_scheduling(company: Company) -> Send:
    company.organization.plan = Plan.STARTER
    company.organization.save()
    return Send(company.application, company.template, company.recruiter)


def _template_of_another_organization(company: Company) -> Send:
    return Send(company.application, company_build("other").template, company.recruiter)


def _interviewer_without_hours(company: Company) -> Send:
    company.interviewer.availability.weekly_hours = {}
    company.interviewer.availability.save()
    return Send(company.application, company.template, company.recruiter)


def _nobody_interviews(company: Company) -> Send:
    Template.objects.filter(pk=company.template.pk).update(include_hiring_manager=False)
    company.template.refresh_from_db()
    return Send(company.application, company.template, None)  # no sender to fall back on


def _phone_without_a_number(company: Company) -> Send:
    Template.objects.filter(pk=company.template.pk).update(conferencing="phone", phone_number="")
    company.template.refresh_from_db()
    return Send(company.application, company.template, company.recruiter)


def _video_not_installed(company: Company) -> Send:
    # Saved before the administrator removed Zoom (the form refuses it today).
    Template.objects.filter(pk=company.template.pk).update(conferencing="zoom")
    company.template.refresh_from_db()
    return Send(company.application, company.template, company.recruiter)


def _email_over_a_rendering_limit(company: Company) -> Send:
    EmailTemplate.objects.filter(pk=company.template.email_template_id).update(
        body="Hi {{ candidate.first_name }} {{ 'x' * 10**7 }}"
    )
    company.template.refresh_from_db()
    return Send(company.application, company.template, company.recruiter)


@dataclass(frozen=True)
class Refusal:
    arrange: Callable[[Company], Send]
    reason: str
    skipped: bool = False  # nothing needed sending (RequestSkippedError), else a failure
    asked_before: bool = True  # the compose page says it before anything is sent


REFUSALS = {
    "no email": Refusal(_no_email, "Ada Okafor has no email address.", skipped=True),
    "pending request": Refusal(
        _pending_already,
        "Ada Okafor already has a pending request for the Manager Interview.",
        skipped=True,
    ),
    "plan": Refusal(
        _plan_without_self_scheduling,
        "Self-scheduling is part of the Scale or Enterprise plan; Acme acme is on the Starter "
        "plan. An administrator can upgrade the plan to use it.",
    ),
    "template of another organization": Refusal(
        _template_of_another_organization, "That template belongs to another organization."
    ),
    "interviewers without hours": Refusal(
        _interviewer_without_hours,
        "Nora Alvarez has no working hours in My Settings, so the candidate could not book "
        "any time.",
    ),
    "no interviewers": Refusal(
        _nobody_interviews, "The template has no interviewers; choose at least one person."
    ),
    "phone without a number": Refusal(
        _phone_without_a_number,
        "Phone interviews need a number: set one on the template or in an interviewer's "
        "My Settings.",
    ),
    "video provider not installed": Refusal(
        _video_not_installed,
        "Zoom is not set up for Acme acme yet; an administrator can install it under "
        "Settings → Integrations.",
    ),
    "email over a rendering limit": Refusal(
        _email_over_a_rendering_limit,
        "The template cannot be used: a value in it grows past 100,000 characters.",
        asked_before=False,  # found when rendering for this candidate
    ),
}


@pytest.mark.parametrize("name", list(REFUSALS))
def test_every_refusal_reads_the_same_for_one_candidate_and_for_many(
    company: Company, name: str
) -> None:
    refusal = REFUSALS[name]
    send = refusal.arrange(company)
    requests_before = SchedulingRequest.objects.count()
    emails_before = OutgoingEmail.objects.count()

    # One candidate, from the candidate page: asked before sending, then sent.
    problem = scheduling_request_problem(
        application=send.application, template=send.template, sender=send.sender
    )
    with pytest.raises(HireSlotError) as single:
        scheduling_request_send(
            application=send.application, template=send.template, sender=send.sender
        )
    # Many candidates: refused at the click, or recorded on the candidate's item by the run.
    try:
        bulk_send = bulk_send_start(
            organization=company.organization,
            template=send.template,
            applications=[send.application],
            sender=send.sender,
        )
    except HireSlotError as error:
        bulk_reason, bulk_outcome = error.message, None
        assert not BulkSend.objects.exists()
    else:
        bulk_send_run(bulk_send_id=str(bulk_send.pk))
        [item] = BulkSendItem.objects.filter(bulk_send=bulk_send)
        bulk_reason, bulk_outcome = item.reason, item.outcome

    assert single.value.message == refusal.reason
    assert bulk_reason == refusal.reason
    assert isinstance(single.value, RequestSkippedError) == refusal.skipped
    if bulk_outcome is not None:
        assert bulk_outcome == ("skipped" if refusal.skipped else "failed")
    assert problem == (refusal.reason if refusal.asked_before else None)
    assert SchedulingRequest.objects.count() == requests_before
    assert OutgoingEmail.objects.count() == emails_before


def test_the_click_refuses_only_what_no_candidate_could_pass_and_the_run_asks_again(
    company: Company,
) -> None:
    """The plan and the template's organization are asked at the click (nothing recorded
    when they fail) and again for each candidate by the run, with the same words: a plan
    downgraded between the click and the run fails every item with the plan's reason."""
    bulk_send = bulk_send_start(
        organization=company.organization,
        template=company.template,
        applications=[company.application],
        sender=company.recruiter,
    )
    company.organization.plan = Plan.STARTER
    company.organization.save()

    bulk_send_run(bulk_send_id=str(bulk_send.pk))

    [item] = BulkSendItem.objects.filter(bulk_send=bulk_send)
    assert (item.outcome, item.reason) == ("failed", REFUSALS["plan"].reason)
    with pytest.raises(HireSlotError) as single:
        company.send()
    assert single.value.message == item.reason
    assert not SchedulingRequest.objects.exists()
