"""What every organization starts with: a sample "Manager Interview" self-schedule template and
the email, task and interview templates it needs, so sending works with one click on day one.

``organization_start`` is how the product makes an organization: ``accounts`` creates the row
(it sits below scheduling and cannot know about templates), this module adds the starters.
"""

from __future__ import annotations

from django.db import transaction

from hireslot.accounts.models import Organization, Plan
from hireslot.accounts.services import organization_create
from hireslot.conferencing.providers import ConferencingKind
from hireslot.messaging.models import EmailTemplate
from hireslot.recruiting.models import InterviewTemplate, TaskTemplate
from hireslot.scheduling.models import SelfScheduleTemplate, WorkflowAction

MANAGER_INTERVIEW = "Manager Interview"
MANAGER_INTERVIEW_INSTRUCTIONS = (
    "Focus on how the candidate has handled ownership, ambiguity and collaboration. "
    "Leave ten minutes for the candidate's questions. Submit your scorecard the same day."
)
MANAGER_INTERVIEW_QUESTIONS = "\n".join(
    (
        "Tell me about a project you owned end to end. What would you do differently?",
        "Describe a disagreement with a teammate and how it was resolved.",
        "What kind of support do you want from your manager?",
        "What questions do you have for us?",
    )
)
INVITATION_NAME = "Self-schedule invitation"
INVITATION_SUBJECT = "Pick a time for your {{ interview.name }} with {{ organization.name }}"
INVITATION_BODY = """Hi {{ candidate.first_name }},

Thanks for your interest in the {{ job.title }} role at {{ organization.name }}.
We'd like to invite you to a {{ interview.duration }}-minute {{ interview.name }}.
Please choose a time that suits you here:

{{ scheduling_link }}

The times are shown in your own time zone.

Best,
{{ sender.name }}
"""
# issue 16: what an availability request says ("share when you are free").
AVAILABILITY_NAME = "Availability request"
AVAILABILITY_SUBJECT = "When could you do your {{ interview.name }} with {{ organization.name }}?"
AVAILABILITY_BODY = """Hi {{ candidate.first_name }},

Thanks for your interest in the {{ job.title }} role at {{ organization.name }}.
We'd like to invite you to a {{ interview.duration }}-minute {{ interview.name }}.
Please share when you are free over the coming days here, and we will confirm a time
that suits everyone:

{{ scheduling_link }}

You can give the times in your own time zone.

Best,
{{ sender.name }}
"""
# The nudge of an availability request whose template names no nudge email (issue 16).
AVAILABILITY_NUDGE_SUBJECT = (
    "Still time to share when you are free for your {{ interview.name }} with "
    "{{ organization.name }}"
)
AVAILABILITY_NUDGE_BODY = """Hi {{ candidate.first_name }},

A quick reminder: you can still tell us when you could do your {{ interview.duration }}-minute
{{ interview.name }} for the {{ job.title }} role here, and we will confirm a time:

{{ scheduling_link }}

Best,
{{ sender.name }}
"""
NUDGE_NAME = "Nudge"
NUDGE_SUBJECT = "Still time to pick your {{ interview.name }} with {{ organization.name }}"
NUDGE_BODY = """Hi {{ candidate.first_name }},

A quick reminder: you can still choose a time for your {{ interview.duration }}-minute
{{ interview.name }} for the {{ job.title }} role here:

{{ scheduling_link }}

If none of the times suit you, just reply to this email.

Best,
{{ sender.name }}
"""
TASK_NAME = "Prepare for the interview"


@transaction.atomic
def organization_start(
    *,
    name: str,
    slug: str | None = None,
    plan: Plan = Plan.STARTER,
    default_time_zone: str = "UTC",
    scheduling_sender_name: str = "",
    scheduling_sender_email: str = "",
) -> Organization:
    """A new organization with its starter templates, in one transaction: what every caller
    that makes an organization for people to use calls (``organization_create`` alone makes
    one without templates)."""
    organization = organization_create(
        name=name,
        slug=slug,
        plan=plan,
        default_time_zone=default_time_zone,
        scheduling_sender_name=scheduling_sender_name,
        scheduling_sender_email=scheduling_sender_email,
    )
    starter_templates_ensure(organization=organization)
    return organization


@transaction.atomic
def starter_templates_ensure(*, organization: Organization) -> SelfScheduleTemplate:
    """Create whatever part of the starter templates is missing; safe to run again."""
    interview, _ = InterviewTemplate.objects.get_or_create(
        organization=organization,
        name=MANAGER_INTERVIEW,
        defaults={
            "duration_minutes": 45,
            "instructions": MANAGER_INTERVIEW_INSTRUCTIONS,
            "questions": MANAGER_INTERVIEW_QUESTIONS,
        },
    )
    email, _ = EmailTemplate.objects.get_or_create(
        organization=organization,
        name=INVITATION_NAME,
        defaults={"subject": INVITATION_SUBJECT, "body": INVITATION_BODY},
    )
    # Sent for availability requests (scheduling.services.requests.request_email_template).
    EmailTemplate.objects.get_or_create(
        organization=organization,
        name=AVAILABILITY_NAME,
        defaults={"subject": AVAILABILITY_SUBJECT, "body": AVAILABILITY_BODY},
    )
    # Sent to candidates who have not booked yet (scheduling.services.nudges).
    EmailTemplate.objects.get_or_create(
        organization=organization,
        name=NUDGE_NAME,
        defaults={"subject": NUDGE_SUBJECT, "body": NUDGE_BODY},
    )
    task, _ = TaskTemplate.objects.get_or_create(
        organization=organization,
        name=TASK_NAME,
        defaults={
            "title": "Prepare for {{ candidate.name }}'s {{ interview.name }}",
            "description": "Read the résumé and the interview template before the interview.",
            "assignee_rule": TaskTemplate.AssigneeRule.SENDER,
            "due_offset_days": 1,
        },
    )
    template, _ = SelfScheduleTemplate.objects.get_or_create(
        organization=organization,
        name=MANAGER_INTERVIEW,
        defaults={
            "email_template": email,
            "task_template": task,
            "interview_template": interview,
            # The job's hiring manager interviews (the sender when the job has none), so the
            # template works before anyone picks interviewers.
            "include_hiring_manager": True,
            "conferencing": ConferencingKind.JITSI,
            "workflow_action": WorkflowAction.NEXT_STAGE,
            "notify_sender": True,
            "notify_hiring_manager": True,
            "notify_interviewers": True,
        },
    )
    return template
