"""The Candidates page and a candidate's page: their requests, interviews and emails."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from hireslot.accounts.access import member_required
from hireslot.accounts.plans import organization_has_self_scheduling
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import scoped
from hireslot.core import clock
from hireslot.core.redaction import candidate_links_redact
from hireslot.messaging.models import OutgoingEmail
from hireslot.recruiting import selectors as recruiting
from hireslot.scheduling.models import SchedulingRequest, SelfScheduleTemplate
from hireslot.scheduling.selectors import candidate_scheduling, stage_templates_prefetch


@member_required()
def candidate_list(request: MemberRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "web/candidate_list.html",
        {
            "candidates": recruiting.candidate_list(
                organization=request.organization, search=search
            ),
            "search": search,
        },
    )


@member_required()
def candidate_detail(request: MemberRequest, candidate_id: str) -> HttpResponse:
    candidate = recruiting.candidate_detail(
        organization=request.organization, candidate_id=candidate_id
    )
    can_recruit = request.membership.can_recruit
    # Each application's stage template preselects the self-schedule form.
    stage_templates_prefetch([row.current_stage for row in candidate.applications.all()])
    scheduling_requests, interviews = candidate_scheduling(
        candidate_id=candidate.pk,
        organization_id=request.organization.pk,
        now=clock.now(),
        with_links=can_recruit,
    )
    emails = list(scoped(OutgoingEmail, request.organization).filter(candidate=candidate))
    if not can_recruit:
        # Interviewers read what the candidate was sent, not the link that acts as them
        # (shown only, never saved).
        for email in emails:
            email.body_text = candidate_links_redact(email.body_text)
    return render(
        request,
        "web/candidate_detail.html",
        {
            "candidate": candidate,
            "scheduling_requests": scheduling_requests,
            "interviews": interviews,
            "emails": emails,
            "self_schedule_templates": scoped(SelfScheduleTemplate, request.organization),
            "can_recruit": can_recruit,
            "can_self_schedule": organization_has_self_scheduling(request.organization)
            and can_recruit,
            "pending_requests": [
                row for row in scheduling_requests if row.status in SchedulingRequest.WAITING
            ],
        },
    )
