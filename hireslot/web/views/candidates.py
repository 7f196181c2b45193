"""The Candidates page, a candidate's page (their requests, interviews and emails) and the
form that edits a candidate's contact details, time zone and language."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from hireslot.accounts.access import RECRUITING_ROLES, member_required
from hireslot.accounts.plans import organization_has_self_scheduling
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.core import clock
from hireslot.core.languages import is_right_to_left
from hireslot.core.redaction import candidate_links_redact
from hireslot.messaging.models import OutgoingEmail
from hireslot.recruiting import selectors as recruiting
from hireslot.recruiting.forms import CandidateForm
from hireslot.recruiting.models import Candidate
from hireslot.recruiting.services import candidate_update
from hireslot.scheduling.availability_review import availability_review
from hireslot.scheduling.models import SchedulingRequest, SelfScheduleTemplate
from hireslot.scheduling.selectors import candidate_scheduling, stage_templates_prefetch
from hireslot.web.views.availability import FIRST_SUGGESTIONS, review_context
from hireslot.web.zones import member_zone


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
    availability_reviews = []
    if can_recruit:
        # Requests whose candidate shared their availability: what fits, or why nothing does.
        zone, now = member_zone(request), clock.now()
        for row in scheduling_requests:
            if row.status == SchedulingRequest.Status.AVAILABILITY_RECEIVED:
                review = availability_review(request=row.request, now=now)
                if review is not None:
                    availability_reviews.append(review_context(review, zone))
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
            "language_is_rtl": is_right_to_left(candidate.language),
            "scheduling_requests": scheduling_requests,
            "interviews": interviews,
            "emails": emails,
            "self_schedule_templates": scoped(SelfScheduleTemplate, request.organization),
            "can_recruit": can_recruit,
            "can_self_schedule": organization_has_self_scheduling(request.organization)
            and can_recruit,
            "availability_reviews": availability_reviews,
            "first_suggestions": FIRST_SUGGESTIONS,
            "pending_requests": [
                row for row in scheduling_requests if row.status in SchedulingRequest.WAITING
            ],
        },
    )


@member_required(*RECRUITING_ROLES)
def candidate_edit(request: MemberRequest, candidate_id: str) -> HttpResponse:
    candidate = get_scoped_or_404(Candidate, request.organization, pk=candidate_id)
    page = reverse("web:candidate-detail", args=[candidate.pk])
    if request.method == "POST":
        form = CandidateForm(request.POST, instance=Candidate.objects.get(pk=candidate.pk))
        if form.is_valid():
            try:
                candidate_update(
                    candidate=candidate,
                    **{field: form.cleaned_data[field] for field in form.changed_data},
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, f"Saved {candidate.name}.")
                return redirect(page)
        status = 400
    else:
        form, status = CandidateForm(instance=candidate), 200
    return render(
        request,
        "web/candidate_form.html",
        {"candidate": candidate, "form": form, "candidate_url": page},
        status=status,
    )
