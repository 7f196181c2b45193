"""Tasks: everyone's or mine, due today or overdue, and the checkbox that completes one (on
this page, Home and the candidate page)."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from hireslot.accounts import services as account_services
from hireslot.accounts.access import member_required
from hireslot.accounts.requests import MemberRequest
from hireslot.accounts.tenancy import get_scoped_or_404
from hireslot.core import clock
from hireslot.recruiting import selectors as recruiting
from hireslot.recruiting.models import Task
from hireslot.recruiting.services import task_complete, task_reopen

WHEN = {"all": "Any time", "today": "Due today", "overdue": "Overdue"}


def _zone(request: MemberRequest) -> ZoneInfo:
    return ZoneInfo(account_services.availability_settings_of(user=request.user).time_zone)


@member_required()
def task_list(request: MemberRequest) -> HttpResponse:
    who = "everyone" if request.GET.get("who") == "everyone" else "mine"
    when = request.GET.get("when", "all")
    when = when if when in WHEN else "all"
    zone, now = _zone(request), clock.now()
    today = now.astimezone(zone).date()
    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    tasks = recruiting.tasks_open(
        organization=request.organization,
        assignee=None if who == "everyone" else request.user,
        due_before={"today": tomorrow, "overdue": now}.get(when),
        due_from=now if when == "today" else None,
    )
    with timezone.override(zone):
        return render(
            request,
            "web/task_list.html",
            {
                "tasks": tasks[:200],
                "who": who,
                "when": when,
                "when_label": WHEN[when],
                "whens": WHEN,
                "zone": str(zone),
            },
        )


@require_POST
@member_required()
def task_done(request: MemberRequest, task_id: str) -> HttpResponse:
    """Tick (done=1) or untick (anything else: the Undo) one task. Its assignee and the
    recruiters may; htmx gets the row back, a plain form goes back to its page."""
    task = get_scoped_or_404(
        Task.objects.select_related("candidate"), request.organization, pk=task_id
    )
    if task.assignee_id != request.user.pk and not request.membership.can_recruit:
        raise PermissionDenied("Only the task's assignee or a recruiter can complete it.")
    task = task_complete(task=task) if request.POST.get("done") == "1" else task_reopen(task=task)
    if request.headers.get("HX-Request"):
        with timezone.override(_zone(request)):
            return render(request, "web/_task_row.html", {"task": task, "changed": True})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("web:task-list")
    return redirect(target)
