"""The Jobs page and a job's pipeline (its sending controls post to hireslot.web.views.bulk)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hireslot.accounts import services as account_services
from hireslot.accounts.access import member_required
from hireslot.accounts.requests import MemberRequest
from hireslot.core import clock
from hireslot.recruiting import selectors as recruiting
from hireslot.scheduling.follow_up_documents import job_interview_counts
from hireslot.scheduling.selectors import pipeline_chips, stage_templates_prefetch
from hireslot.web.views.bulk import pipeline_extras


@member_required()
def job_list(request: MemberRequest) -> HttpResponse:
    return render(
        request,
        "web/job_list.html",
        {"jobs": recruiting.job_list(organization=request.organization)},
    )


@member_required()
def job_detail(request: MemberRequest, job_id: str) -> HttpResponse:
    job, stages = recruiting.job_pipeline(organization=request.organization, job_id=job_id)
    stage_templates_prefetch(stages)
    chips = pipeline_chips(
        application_ids=[a.pk for stage in stages for a in stage.applications.all()],
        now=clock.now(),
    )
    for stage in stages:
        for application in stage.applications.all():
            application.chip = chips.get(application.pk)  # type: ignore[attr-defined]
    zone = ZoneInfo(account_services.availability_settings_of(user=request.user).time_zone)
    with timezone.override(zone):
        return render(
            request,
            "web/job_detail.html",
            {
                "job": job,
                "stages": stages,
                **pipeline_extras(request),
                "interview_counts": job_interview_counts(job_id=job.pk),  # issue 17
            },
        )
