"""Template services: saving checks again what a form would refuse, deleting lists what uses a
template, duplicating finds a free name and copies the people."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError

from hireslot.core.errors import HireSlotError
from hireslot.messaging.models import EmailTemplate
from hireslot.recruiting.models import InterviewTemplate, TaskTemplate
from hireslot.scheduling.models import BulkSend, SelfScheduleTemplate
from hireslot.scheduling.services import interview_book
from hireslot.scheduling.services import templates as services
from hireslot.scheduling.services.templates import (
    TemplateInUseError,
    self_schedule_template_save,
    template_delete,
    template_duplicate,
    template_save,
    template_users,
)
from tests.scheduling.conftest import Company, company_build, person

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)


def test_an_interview_template_is_used_by_templates_and_booked_interviews(
    company: Company,
) -> None:
    interview_book(request=company.send().request, start=TUESDAY_10, candidate_time_zone="UTC")

    users = template_users(template=company.template.interview_template)

    assert users == ["Self-schedule template “Manager Interview”", "1 booked interview"]


def test_a_self_schedule_template_is_used_by_requests_and_bulk_sends(company: Company) -> None:
    company.send()
    BulkSend.objects.create(organization=company.organization, template=company.template)

    users = template_users(template=company.template)

    assert users == ["1 scheduling request", "1 bulk send"]
    with pytest.raises(TemplateInUseError) as refused:
        template_delete(template=company.template)
    assert refused.value.users == users
    assert refused.value.status_code == 409


def test_a_use_that_appears_after_the_check_is_still_refused(
    company: Company, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "template_users", lambda *, template: [])
    email = company.template.email_template

    with pytest.raises(TemplateInUseError) as refused:
        template_delete(template=email)

    assert refused.value.users == ["Self schedule template “Manager Interview”"]
    assert EmailTemplate.objects.filter(pk=email.pk).exists()


def test_deleting_an_unused_template(company: Company) -> None:
    task = TaskTemplate.objects.create(
        organization=company.organization, name="Unused", title="Do it"
    )

    template_delete(template=task)

    assert not TaskTemplate.objects.filter(pk=task.pk).exists()


def test_a_copy_of_a_long_name_still_fits(company: Company) -> None:
    interview = InterviewTemplate.objects.create(
        organization=company.organization, name="x" * 200, duration_minutes=30
    )

    first = template_duplicate(template=interview)
    second = template_duplicate(template=interview)

    assert first.name == "x" * 193 + " (copy)"
    assert second.name == "x" * 191 + " (copy 2)"
    assert first.duration_minutes == 30
    interview.refresh_from_db()
    assert interview.name == "x" * 200


def test_names_are_free_per_organization(company: Company) -> None:
    other = company_build("other")
    template_duplicate(template=other.template)

    copy = template_duplicate(template=company.template)

    assert copy.name == "Manager Interview (copy)"
    assert copy.organization == company.organization


def test_saving_refuses_another_organizations_email_template(company: Company) -> None:
    other = company_build("other")
    template = SelfScheduleTemplate.objects.get(pk=company.template.pk)
    template.email_template = other.template.email_template

    with pytest.raises(HireSlotError, match="email template belongs to another organization"):
        self_schedule_template_save(template=template, interviewers=[], notify_users=[])

    company.template.refresh_from_db()
    assert company.template.email_template.organization == company.organization


def test_saving_refuses_people_outside_the_organization(company: Company) -> None:
    stranger = person("sam@elsewhere.example", "Sam Stranger", "UTC")

    with pytest.raises(HireSlotError, match="Only members of"):
        self_schedule_template_save(
            template=company.template, interviewers=[stranger], notify_users=[]
        )
    with pytest.raises(HireSlotError, match="Only members of"):
        self_schedule_template_save(
            template=company.template, interviewers=[], notify_users=[stranger]
        )

    assert list(company.template.interviewers.all()) == []


def test_saving_validates_the_model_again(company: Company) -> None:
    template = company.template
    template.workflow_action = "named_stage"  # with no stage named

    with pytest.raises(ValidationError):
        self_schedule_template_save(template=template, interviewers=[], notify_users=[])

    email = EmailTemplate(
        organization=company.organization, name="Bad", subject="{{ nope }}", body="Hi"
    )
    with pytest.raises(ValidationError):
        template_save(template=email)
    assert not EmailTemplate.objects.filter(name="Bad").exists()
