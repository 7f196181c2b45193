"""Recruiter pages. Thin: resolve the organization, call a selector, render."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.db import DatabaseError, connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from hireslot.accounts.access import member_required
from hireslot.accounts.forms import AvailabilityRulesForm, DateOverrideForm, MySettingsForm
from hireslot.accounts.models import DateOverride, Organization, Role, User
from hireslot.accounts.plans import organization_has_self_scheduling
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.services import (
    availability_settings_of,
    availability_settings_update,
    date_override_delete,
    date_override_set,
    organization_availability_defaults,
    organization_availability_defaults_update,
)
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.calendars.selectors import busy_syncs_of
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.redaction import candidate_links_redact
from hireslot.core.views import RETRY_AFTER_SECONDS
from hireslot.messaging.models import OutgoingEmail
from hireslot.recruiting import selectors as recruiting
from hireslot.recruiting.models import InterviewTemplate
from hireslot.scheduling.models import SchedulingRequest, SelfScheduleTemplate
from hireslot.scheduling.selectors import candidate_scheduling, home_requests, upcoming_interviews
from hireslot.scheduling.slots import bookable_times_preview
from hireslot.web.views.bulk import pipeline_extras


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`: the process answers and the database is reachable
    (503 while it is not; the next request after it is back answers ok again)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        response = JsonResponse({"status": "degraded", "database": "unreachable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok"})


@member_required()
def home(request: MemberRequest) -> HttpResponse:
    who = "everyone" if request.GET.get("who") == "everyone" else "mine"
    user_id = None if who == "everyone" else request.user.pk
    now = clock.now()
    zone = ZoneInfo(availability_settings_of(user=request.user).time_zone)
    today = now.astimezone(zone).date()
    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    week_end = datetime.combine(
        today + timedelta(days=7 - today.weekday()), datetime.min.time(), tzinfo=zone
    )
    upcoming = list(
        upcoming_interviews(
            organization_id=request.organization.pk, user_id=user_id, start=now, end=week_end
        )
    )
    with timezone.override(zone):
        return render(
            request,
            "web/home.html",
            {
                "who": who,
                "zone": str(zone),
                "scheduling_requests": home_requests(
                    organization_id=request.organization.pk,
                    user_id=user_id,
                    now=now,
                    with_links=request.membership.can_recruit,
                ),
                "interviews_today": [i for i in upcoming if i.start < tomorrow],
                "interviews_week": [i for i in upcoming if i.start >= tomorrow],
                "tasks": recruiting.tasks_open_for(
                    organization=request.organization, assignee=request.user
                )[:20],
                "jobs": recruiting.job_list(organization=request.organization),
            },
        )


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
    requests, interviews = candidate_scheduling(
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
            "scheduling_requests": requests,
            "interviews": interviews,
            "emails": emails,
            "self_schedule_templates": scoped(SelfScheduleTemplate, request.organization),
            "can_recruit": can_recruit,
            "can_self_schedule": organization_has_self_scheduling(request.organization)
            and can_recruit,
            "pending_requests": [
                row for row in requests if row.status in SchedulingRequest.WAITING
            ],
        },
    )


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
    return render(
        request,
        "web/job_detail.html",
        {"job": job, "stages": stages, **pipeline_extras(request)},
    )


@member_required()
def interview_template_detail(request: MemberRequest, template_id: str) -> HttpResponse:
    """The page an interviewer's calendar event links to."""
    template = get_scoped_or_404(InterviewTemplate, request.organization, pk=template_id)
    return render(request, "web/interview_template_detail.html", {"template": template})


def organization_logo(request: HttpRequest, slug: str) -> FileResponse:
    """Logos are public: they brand the candidate's scheduling page."""
    organization = get_object_or_404(Organization, slug=slug)
    if not organization.logo:
        raise Http404("No logo")
    # Always a PNG HireSlot encoded itself (accounts.logos), never the uploaded bytes.
    response = FileResponse(organization.logo.open("rb"), content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _preview_days(user: User, now: datetime) -> tuple[str, list[tuple[date, list[datetime]]]]:
    """The next bookable times, grouped by day in the user's own zone."""
    settings = availability_settings_of(user=user)
    zone = ZoneInfo(settings.time_zone)
    days: dict[date, list[datetime]] = {}
    for slot in bookable_times_preview(user=user, now=now):
        local = slot.start_at.astimezone(zone)
        days.setdefault(local.date(), []).append(local)
    return settings.time_zone, list(days.items())


def _render_my_settings(
    request: MemberRequest,
    form: MySettingsForm,
    override_form: DateOverrideForm,
    status: int = 200,
) -> HttpResponse:
    time_zone, preview = _preview_days(request.user, clock.now())
    return render(
        request,
        "web/my_settings.html",
        {
            "form": form,
            "override_form": override_form,
            "overrides": DateOverride.objects.filter(
                user=request.user, date__gte=clock.now().date() - timedelta(days=1)
            ),
            "preview": preview,
            "preview_time_zone": time_zone,
            "syncs": busy_syncs_of(user=request.user),
        },
        status=status,
    )


@member_required()
def my_settings(request: MemberRequest) -> HttpResponse:
    """My Settings: when candidates may book me, and a preview of what that gives."""
    settings = availability_settings_of(user=request.user)
    if request.method == "POST":
        form = MySettingsForm(request.POST)
        if form.is_valid():
            availability_settings_update(
                user=request.user,
                time_zone=form.cleaned_data["time_zone"],
                rules=form.rules(),
                phone_number=form.cleaned_data["phone_number"],
            )
            messages.success(request, "Your availability is saved.")
            return redirect("web:my-settings")
        return _render_my_settings(request, form, DateOverrideForm(), status=400)
    initial = {
        "time_zone": settings.time_zone,
        "phone_number": settings.phone_number,
        **MySettingsForm.initial_from(settings),
    }
    return _render_my_settings(request, MySettingsForm(initial=initial), DateOverrideForm())


@require_POST
@member_required()
def date_override_add(request: MemberRequest) -> HttpResponse:
    form = DateOverrideForm(request.POST)
    if form.is_valid():
        date_override_set(
            user=request.user, day=form.cleaned_data["date"], hours=form.cleaned_data["hours"]
        )
        messages.success(request, f"Hours for {form.cleaned_data['date']:%A %d %B %Y} saved.")
        return redirect("web:my-settings")
    settings = availability_settings_of(user=request.user)
    initial = {
        "time_zone": settings.time_zone,
        "phone_number": settings.phone_number,
        **MySettingsForm.initial_from(settings),
    }
    return _render_my_settings(request, MySettingsForm(initial=initial), form, status=400)


@require_POST
@member_required()
def date_override_remove(request: MemberRequest, override_id: str) -> HttpResponse:
    try:
        date_override_delete(user=request.user, override_id=override_id)
    except HireSlotError as error:
        return HttpResponse(error.message, status=404)
    messages.success(request, "Date override removed.")
    return redirect("web:my-settings")


@member_required(Role.ADMIN)
def organization_availability_defaults_edit(request: MemberRequest) -> HttpResponse:
    """Admins: what new members' My Settings start from."""
    organization = request.organization
    defaults = organization_availability_defaults(organization=organization)
    if request.method == "POST":
        form = AvailabilityRulesForm(request.POST)
        if form.is_valid():
            organization_availability_defaults_update(organization=organization, rules=form.rules())
            messages.success(request, "Defaults for new members are saved.")
            return redirect("web:availability-defaults")
        status = 400
    else:
        form = AvailabilityRulesForm(initial=AvailabilityRulesForm.initial_from(defaults))
        status = 200
    return render(request, "web/availability_defaults.html", {"form": form}, status=status)
