"""The Jobs page and a job's pipeline (its sending controls post to hireslot.web.views.bulk)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from hireslot.accounts.access import member_required
from hireslot.accounts.requests import MemberRequest
from hireslot.recruiting import selectors as recruiting
from hireslot.scheduling.follow_up_documents import job_interview_counts
from hireslot.scheduling.selectors import stage_templates_prefetch
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
