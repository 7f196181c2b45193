"""Settings → Interviewer pools (recruiters and admins): list and create pools, edit one
pool's name and caps, add members, change weights, pause and remove them. Thin: the rules
live in ``scheduling.services.pools``."""

from __future__ import annotations

import csv
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hireslot.accounts.access import member_required
from hireslot.accounts.models import Membership, Role, User
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.scheduling.load_report import load_report, load_report_csv_rows
from hireslot.scheduling.models import InterviewerPool, PoolMember
from hireslot.scheduling.services import (
    pool_create,
    pool_delete,
    pool_member_add,
    pool_member_remove,
    pool_member_update,
    pool_update,
)
from hireslot.web.actions import service_action

MANAGERS = (Role.ADMIN, Role.RECRUITER)


def _cap_field(label: str, most: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=1,
        max_value=most,
        help_text="Lower than members' own caps; leave empty to use theirs.",
        error_messages={
            "min_value": "Use at least 1, or leave it empty.",
            "max_value": f"Use at most {most}.",
            "invalid": "Enter a whole number.",
        },
    )


class PoolForm(forms.Form):
    name = forms.CharField(label="Pool name", max_length=200)
    max_per_day = _cap_field("Maximum interviews per day from this pool", 50)
    max_per_week = _cap_field("Maximum interviews per week from this pool", 200)


class MemberAddForm(forms.Form):
    user = forms.ModelChoiceField(label="Person", queryset=User.objects.none())
    weight = forms.IntegerField(
        label="Weight",
        min_value=1,
        max_value=10,
        initial=1,
        help_text="2 takes about twice as many of this pool's interviews as 1.",
    )

    def __init__(self, *args: Any, pool: InterviewerPool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Membership.objects.filter(organization_id=pool.organization_id).values("user_id")
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            User.objects.filter(pk__in=people)
            .exclude(pk__in=pool.members.values("user_id"))
            .order_by("full_name", "email")
        )


def _pool(request: MemberRequest, pool_id: str) -> InterviewerPool:
    return get_scoped_or_404(InterviewerPool, request.organization, pk=pool_id)


def _member_of(pool: InterviewerPool, member_id: str) -> PoolMember:
    try:
        return PoolMember.objects.select_related("pool", "user").get(pool=pool, pk=member_id)
    except (PoolMember.DoesNotExist, ValidationError, ValueError) as error:
        raise Http404("Not found") from error


@member_required(*MANAGERS)
def pool_list(request: MemberRequest) -> HttpResponse:
    form = PoolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pool = pool_create(organization=request.organization, **form.cleaned_data)
        except HireSlotError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Created the pool “{pool.name}”; now add its members.")
            return redirect("web:pool-detail", pool.pk)
    pools = scoped(InterviewerPool, request.organization).annotate(
        active_count=Count("members", filter=Q(members__active=True)),
        paused_count=Count("members", filter=Q(members__active=False)),
    )
    return render(
        request,
        "web/pools.html",
        {"pools": pools, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@member_required(*MANAGERS)
def pool_detail(request: MemberRequest, pool_id: str) -> HttpResponse:
    pool = _pool(request, pool_id)
    form = PoolForm(
        request.POST or None,
        initial={
            "name": pool.name,
            "max_per_day": pool.max_per_day,
            "max_per_week": pool.max_per_week,
        },
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                pool_update(pool=pool, **form.cleaned_data)
            except HireSlotError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Saved the pool “{pool.name}”.")
                return redirect("web:pool-detail", pool.pk)
        status = 400
    return _render_detail(
        request, pool, form=form, member_form=MemberAddForm(pool=pool), status=status
    )


def _render_detail(
    request: MemberRequest,
    pool: InterviewerPool,
    *,
    form: PoolForm | None = None,
    member_form: MemberAddForm,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = PoolForm(
            initial={
                "name": pool.name,
                "max_per_day": pool.max_per_day,
                "max_per_week": pool.max_per_week,
            }
        )
    return render(
        request,
        "web/pool_detail.html",
        {
            "pool": pool,
            "form": form,
            "member_form": member_form,
            "members": pool.members.select_related("user"),
            "templates": sorted(
                {seat.template.name for seat in pool.seats.select_related("template")}
            ),
        },
        status=status,
    )


@require_POST
@member_required(*MANAGERS)
def pool_member_create(request: MemberRequest, pool_id: str) -> HttpResponse:
    pool = _pool(request, pool_id)
    form = MemberAddForm(request.POST, pool=pool)
    if not form.is_valid():
        return _render_detail(request, pool, member_form=form, status=400)
    try:
        member = pool_member_add(
            pool=pool, user=form.cleaned_data["user"], weight=form.cleaned_data["weight"]
        )
    except HireSlotError as error:
        form.add_error(None, error.message)
        return _render_detail(request, pool, member_form=form, status=error.status_code)
    messages.success(request, f"Added {member.user} to “{pool.name}”.")
    return redirect("web:pool-detail", pool.pk)


@require_POST
@member_required(*MANAGERS)
def pool_member_edit(request: MemberRequest, pool_id: str, member_id: str) -> HttpResponse:
    member = _member_of(_pool(request, pool_id), member_id)
    back = reverse("web:pool-detail", args=[member.pool_id])
    action = request.POST.get("action", "")
    if action == "remove":
        return service_action(
            request,
            lambda: pool_member_remove(member=member),
            redirect_to=back,
            success=f"Removed {member.user} from “{member.pool.name}”.",
        )
    active = {"pause": False, "resume": True}.get(action, member.active)
    try:
        weight = int(request.POST.get("weight", member.weight))
    except ValueError:
        weight = 0  # refused by the service with a clear message
    verb = {"pause": "Paused", "resume": "Resumed"}.get(action, "Saved")
    return service_action(
        request,
        lambda: pool_member_update(member=member, weight=weight, active=active),
        redirect_to=back,
        success=f"{verb} {member.user} in “{member.pool.name}”.",
    )


@require_POST
@member_required(*MANAGERS)
def pool_remove(request: MemberRequest, pool_id: str) -> HttpResponse:
    pool = _pool(request, pool_id)
    name = pool.name
    try:
        pool_delete(pool=pool)
    except HireSlotError as error:
        messages.error(request, error.message)
        return redirect("web:pool-detail", pool.pk)
    messages.success(request, f"Deleted the pool “{name}”.")
    return redirect("web:pools")


@member_required(*MANAGERS)
def pool_load(request: MemberRequest) -> HttpResponse:
    """Interviews per person per week, last and next eight weeks, against their weekly caps;
    ``?pool=<id>`` narrows it to a pool's active members (with its fairness figure),
    ``?format=csv`` downloads it."""
    pools = scoped(InterviewerPool, request.organization)
    pool_id = request.GET.get("pool", "")
    pool = get_scoped_or_404(InterviewerPool, request.organization, pk=pool_id) if pool_id else None
    report = load_report(organization=request.organization, now=clock.now(), pool=pool)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="interview-load.csv"'
        csv.writer(response).writerows(load_report_csv_rows(report))
        return response
    return render(request, "web/pool_load.html", {"report": report, "pools": pools, "pool": pool})
