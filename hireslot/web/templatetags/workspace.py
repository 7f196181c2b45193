"""Times as a person says them on the recruiter pages: "just now", "5 min ago", "in 2 days"."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.utils import timezone

from hireslot.core import clock

register = template.Library()


def relative_text(moment: datetime, now: datetime) -> str:
    seconds = (moment - now).total_seconds()
    future, seconds = seconds > 0, abs(seconds)
    if seconds < 60:
        return "just now" if not future else "in under a minute"
    minutes, hours = int(seconds // 60), int(seconds // 3600)
    local, today = timezone.localtime(moment).date(), timezone.localtime(now).date()
    days = (local - today).days
    if hours < 1:
        amount = f"{minutes} min"
    elif hours < 12 or days == 0:
        amount = f"{hours} h"
    elif days == -1:
        return "yesterday"
    elif days == 1:
        return "tomorrow"
    elif abs(days) < 7:
        amount = f"{abs(days)} days"
    else:
        return f"on {timezone.localtime(moment):%a %-d %b}"
    return f"in {amount}" if future else f"{amount} ago"


@register.filter
def relative(moment: datetime | None) -> str:
    """``moment`` from now, in the page's time zone for days ("yesterday")."""
    if moment is None:
        return ""
    return relative_text(moment, clock.now())


@register.filter
def due_state(moment: datetime | None) -> str:
    """ "overdue", "today" or "" for a task's due time."""
    if moment is None:
        return ""
    now = clock.now()
    if moment < now:
        return "overdue"
    return "today" if timezone.localtime(moment).date() == timezone.localtime(now).date() else ""


def _when(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%a} {local.day} {local:%b} at {local:%-I:%M} {local:%p}".replace(
        "AM", "am"
    ).replace("PM", "pm")


@register.simple_tag
def interview_cancel_question(interview: Any) -> str:
    """What cancelling does, named, e.g. "Cancel Elena Petrova's Manager Interview on Fri 4
    Dec at 2:00 pm? Elena will be emailed the cancellation." (in the page's time zone)."""
    candidate = interview.application.candidate
    return (
        f"Cancel {candidate.name}'s {interview.interview_template.name} on "
        f"{_when(interview.start)}? {candidate.first_name or candidate.name} will be emailed "
        "the cancellation, and the interviewers' calendar events are removed."
    )


@register.simple_tag
def request_cancel_question(scheduling_request: Any, live_interview: Any = None) -> str:
    candidate = scheduling_request.application.candidate
    name = scheduling_request.template.name
    if live_interview is not None:
        return (
            f"Cancel {candidate.name}'s {name} request? Their interview on "
            f"{_when(live_interview.start)} is cancelled too, and "
            f"{candidate.first_name or candidate.name} will be emailed the cancellation."
        )
    return (
        f"Cancel the {name} request sent to {candidate.name}? Its link stops working; "
        f"{candidate.first_name or candidate.name} is not emailed."
    )
