"""Issue 14 (decision 0033): a loop template's sessions cannot change while sent links use
them (waiting or booked): the refusal says how many; unchanged sessions still save, and once
the links are done the sessions change."""

from __future__ import annotations

import pytest

from hireslot.core.errors import HireSlotError
from hireslot.recruiting.models import InterviewTemplate
from hireslot.scheduling.models import LoopSession
from hireslot.scheduling.services import scheduling_request_cancel, scheduling_request_send
from hireslot.scheduling.services.loops import SessionSpec, loop_template_save

from .conftest import Company
from .loop_company import LoopCompany, loop_company_build


def sessions_now(loop: LoopCompany) -> list[SessionSpec]:
    kinds = {
        t.name: t for t in InterviewTemplate.objects.filter(organization=loop.template.organization)
    }
    return [
        SessionSpec(interview_template=kinds["Intro"], include_hiring_manager=True),
        SessionSpec(interview_template=kinds["Technical"], pools=[loop.pool], gap_after_minutes=45),
        SessionSpec(interview_template=kinds["Systems"], interviewers=[loop.sam]),
        SessionSpec(interview_template=kinds["Wrap-up"], include_hiring_manager=True),
    ]


def test_sessions_used_by_sent_links_are_kept_and_the_refusal_counts_them(
    company: Company,
) -> None:
    loop = loop_company_build(company)
    request = scheduling_request_send(
        application=company.application, template=loop.template, sender=company.recruiter
    ).request
    shorter = sessions_now(loop)[:3]

    with pytest.raises(HireSlotError, match="1 sent link uses these sessions"):
        loop_template_save(template=loop.template, sessions=shorter)
    assert LoopSession.objects.filter(template=loop.template).count() == 4

    # The loop's own settings still save when the sessions are the same
    loop.template.loop_show_names = not loop.template.loop_show_names
    loop_template_save(template=loop.template, sessions=sessions_now(loop))

    scheduling_request_cancel(request=request, actor=company.recruiter)
    loop_template_save(template=loop.template, sessions=shorter)
    assert LoopSession.objects.filter(template=loop.template).count() == 3
