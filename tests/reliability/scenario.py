"""The reliability suite's hands inside the database, run as a process of its own
(``python -m tests.reliability.scenario <command>``) against the database in DATABASE_URL,
so it works the same on a server the test process also uses and on a throwaway cluster.

Commands print one JSON document: ``seed`` (an organization, an interviewer, a recruiter and
candidates with pending scheduling requests: their link tokens), ``seed_reminders`` (one
interviewer and job per candidate, reminders due as soon as they are booked), ``seed_loop`` (a
loop of three sessions, each with its own interviewer), ``bulk`` (a bulk send to new
candidates), ``report`` (what the workers did, counted), ``reminder_report`` (each reminder's
state and the email it wrote), ``webhook`` (an endpoint for every event) and
``webhook_report`` (each webhook message's state and successful attempts).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from typing import Any

HOURS = {day: [["00:00", "23:59"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hireslot.settings")
    import django

    django.setup()


def _organization(slug: str) -> Any:
    from hireslot.accounts.models import Plan
    from hireslot.scheduling.services import organization_start

    return organization_start(
        name=f"Reliable {slug}",
        slug=slug,
        plan=Plan.SCALE,
        default_time_zone="UTC",
        scheduling_sender_email=f"recruiting@{slug}.example",
    )


def _person(organization: Any, email: str, name: str, role: str) -> Any:
    """A member free at any hour, with no notice and no buffers."""
    from hireslot.accounts.services import membership_add, user_create

    user = user_create(email=email, full_name=name, password=None, time_zone="UTC")
    settings = user.availability
    settings.weekly_hours = HOURS
    settings.minimum_notice_minutes = 0
    settings.buffer_before_minutes = settings.buffer_after_minutes = 0
    settings.save()
    membership_add(user=user, organization=organization, role=role)
    return user


def _requests_send(
    organization: Any, slug: str, template: Any, recruiter: Any, jobs: list[Any], count: int
) -> list[str]:
    """``count`` candidates, candidate n applying to ``jobs[n % len(jobs)]``, each sent a
    scheduling request: their link tokens."""
    from hireslot.core.tokens import link_token_derive
    from hireslot.recruiting.services import application_create, candidate_create
    from hireslot.scheduling.services import scheduling_request_send

    tokens = []
    for number in range(count):
        candidate = candidate_create(
            organization=organization,
            first_name=f"Cand{number:03d}",
            last_name="Reliable",
            email=f"cand{number}@{slug}.example",
        )
        application = application_create(
            candidate=candidate, job=jobs[number % len(jobs)], actor=recruiter
        )
        sent = scheduling_request_send(application=application, template=template, sender=recruiter)
        tokens.append(link_token_derive(sent.request.token_nonce))
    return tokens


def seed(slug: str, candidates: int) -> dict[str, Any]:
    from hireslot.accounts.models import Role
    from hireslot.recruiting.services import job_create
    from hireslot.scheduling.models import SelfScheduleTemplate

    organization = _organization(slug)
    recruiter = _person(organization, f"riley@{slug}.example", "Riley Chen", Role.RECRUITER)
    interviewer = _person(organization, f"nora@{slug}.example", "Nora Alvarez", Role.INTERVIEWER)
    job = job_create(
        organization=organization, title="Robotics Engineer", hiring_manager=interviewer
    )
    template = SelfScheduleTemplate.objects.get(organization=organization, name="Manager Interview")
    tokens = _requests_send(organization, slug, template, recruiter, [job], candidates)
    return {"tokens": tokens}


def seed_reminders(slug: str, candidates: int) -> dict[str, Any]:
    """Candidate n applies to job n, whose hiring manager is interviewer n alone, so every
    candidate can book the same first time. The template offers a time every 5 minutes and
    reminds candidate and interviewer 10 minutes before: booked 1 to 6 minutes ahead, the
    reminder's moment has just passed (within the 15 minutes a reminder may be late), so it
    is due the moment the booking commits, with the workers running."""
    from hireslot.accounts.models import Role
    from hireslot.recruiting.services import job_create
    from hireslot.scheduling.models import SelfScheduleTemplate

    organization = _organization(slug)
    recruiter = _person(organization, f"riley@{slug}.example", "Riley Chen", Role.RECRUITER)
    jobs = [
        job_create(
            organization=organization,
            title=f"Robotics Engineer {number}",
            hiring_manager=_person(
                organization,
                f"int{number}@{slug}.example",
                f"Inter{number:03d} Viewer",
                Role.INTERVIEWER,
            ),
        )
        for number in range(candidates)
    ]
    template = SelfScheduleTemplate.objects.get(organization=organization, name="Manager Interview")
    template.slot_interval_minutes = 5
    template.duration_minutes = 30
    template.reminder_offsets_minutes = [10]
    template.remind_interviewers = True
    template.full_clean()
    template.save()
    tokens = _requests_send(organization, slug, template, recruiter, jobs, candidates)
    return {"tokens": tokens}


def seed_loop(slug: str, candidates: int) -> dict[str, Any]:
    """The starter template made a loop of three 30-minute sessions, each with one named
    interviewer, the candidate's calendar showing the loop as one event."""
    from hireslot.accounts.models import Role
    from hireslot.recruiting.services import job_create
    from hireslot.scheduling.models import LoopCalendar, SelfScheduleTemplate
    from hireslot.scheduling.services.loops import SessionSpec, loop_template_save

    organization = _organization(slug)
    recruiter = _person(organization, f"riley@{slug}.example", "Riley Chen", Role.RECRUITER)
    interviewers = [
        _person(organization, f"int{n}@{slug}.example", f"Inter{n:03d} Viewer", Role.INTERVIEWER)
        for n in range(3)
    ]
    job = job_create(organization=organization, title="Robotics Engineer", hiring_manager=recruiter)
    template = SelfScheduleTemplate.objects.get(organization=organization, name="Manager Interview")
    template.include_hiring_manager = False
    template.loop_calendar = LoopCalendar.ONE_EVENT
    assert template.interview_template is not None
    loop_template_save(
        template=template,
        sessions=[
            SessionSpec(
                interview_template=template.interview_template,
                interviewers=[interviewer],
                duration_minutes=30,
                gap_after_minutes=15 if number == 0 else 0,
            )
            for number, interviewer in enumerate(interviewers)
        ],
    )
    tokens = _requests_send(organization, slug, template, recruiter, [job], candidates)
    return {"tokens": tokens, "interviewers": [str(user.pk) for user in interviewers]}


def bulk(slug: str, candidates: int) -> dict[str, Any]:
    from hireslot.accounts.models import Organization, User
    from hireslot.recruiting.models import Application, Candidate, Job
    from hireslot.scheduling.models import SelfScheduleTemplate
    from hireslot.scheduling.services.bulk import bulk_send_start

    organization = Organization.objects.get(slug=slug)
    job = Job.objects.get(organization=organization)
    stage = job.stages.order_by("position").first()
    made = Candidate.objects.bulk_create(
        Candidate(
            organization=organization,
            first_name=f"Bulk{number:04d}",
            last_name="Reliable",
            email=f"bulk{number}@{slug}.example",
        )
        for number in range(candidates)
    )
    applications = Application.objects.bulk_create(
        Application(organization=organization, candidate=candidate, job=job, current_stage=stage)
        for candidate in made
    )
    bulk_send = bulk_send_start(
        organization=organization,
        template=SelfScheduleTemplate.objects.get(
            organization=organization, name="Manager Interview"
        ),
        applications=applications,
        sender=User.objects.get(email=f"riley@{slug}.example"),
    )
    return {"bulk_send": str(bulk_send.pk)}


def report(slug: str) -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    from hireslot.accounts.models import Organization
    from hireslot.calendars.models import CalendarEvent
    from hireslot.messaging.models import OutgoingEmail
    from hireslot.scheduling.models import BulkSend, BulkSendItem, Effect, Interview

    organization = Organization.objects.get(slug=slug)
    interviews = list(Interview.objects.filter(organization=organization))
    effects = Effect.objects.filter(organization=organization)
    emails = OutgoingEmail.objects.filter(organization=organization)
    return {
        "interviews": [
            {"uid": interview.uid, "sequence": interview.sequence} for interview in interviews
        ],
        "effects": dict(Counter(effects.values_list("state", flat=True))),
        "effect_kinds": dict(Counter(effects.values_list("kind", flat=True))),
        "effects_per_interview": sorted(
            Counter(effects.values_list("interview_id", flat=True)).values()
        ),
        "emails": dict(Counter(emails.values_list("status", flat=True))),
        "email_rows": [
            {"to": to, "subject": subject, "method": method, "error": error}
            for to, subject, method, error in emails.values_list(
                "to", "subject", "calendar_method", "last_error"
            )
        ],
        "calendar_events": [
            {"owner": str(owner), "uid": uid}
            for owner, uid in CalendarEvent.objects.values_list("owner_id", "uid")
        ],
        "bulk": dict(
            Counter(
                BulkSendItem.objects.filter(bulk_send__organization=organization).values_list(
                    "outcome", flat=True
                )
            )
        ),
        "bulk_sends": dict(
            Counter(
                BulkSend.objects.filter(organization=organization).values_list("status", flat=True)
            )
        ),
        "tasks": dict(Counter(DBTaskResult.objects.values_list("status", flat=True))),
        # Task rows claimed more than once: given back by the sweep or after an outage.
        "taken_over": sum(
            1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) if len(ids) > 1
        ),
    }


def reminder_report(slug: str) -> dict[str, Any]:
    """Each reminder of the organization: to whom, its state and the email it wrote."""
    from hireslot.messaging.models import OutgoingEmail
    from hireslot.scheduling.models import Reminder

    reminders = Reminder.objects.filter(organization__slug=slug).select_related("user")
    emails = {
        str(email.pk): email
        for email in OutgoingEmail.objects.filter(
            organization__slug=slug, kind="interview_reminder"
        )
    }
    rows = []
    for reminder in reminders:
        email = emails.get(reminder.result_ref)
        rows.append(
            {
                "id": str(reminder.pk),
                "audience": reminder.audience,
                "state": reminder.state,
                "reason": reminder.reason,
                "email_to": email.to if email else "",
                "email_subject": email.subject if email else "",
                "email_status": email.status if email else "",
            }
        )
    return {"reminders": rows, "reminder_emails": len(emails)}


def loop_report(slug: str) -> dict[str, Any]:
    """The loops booked, each session's interviewers, and every calendar event."""
    from hireslot.calendars.models import CalendarEvent
    from hireslot.scheduling.models import Interview, InterviewLoop

    return {
        "loops": [
            {"id": str(loop.pk), "status": loop.status, "uid": loop.uid}
            for loop in InterviewLoop.objects.filter(request__organization__slug=slug)
        ],
        "sessions": [
            {
                "uid": interview.uid,
                "position": interview.loop_position,
                "interviewers": sorted(
                    str(pk)
                    for pk in interview.bookings.filter(active=True).values_list(
                        "interviewer_id", flat=True
                    )
                ),
            }
            for interview in Interview.objects.filter(organization__slug=slug).order_by(
                "loop_position"
            )
        ],
        "calendar_events": [
            {"owner": str(owner), "uid": uid}
            for owner, uid in CalendarEvent.objects.filter(
                owner__memberships__organization__slug=slug
            ).values_list("owner_id", "uid")
        ],
    }


def webhook(slug: str, url: str) -> dict[str, Any]:
    """An endpoint for every event at ``url``; its secret."""
    from hireslot.accounts.models import Organization
    from hireslot.messaging.webhooks import webhook_endpoint_create

    _, secret = webhook_endpoint_create(
        organization=Organization.objects.get(slug=slug), url=url, event_types=["*"]
    )
    return {"secret": secret}


def webhook_report(slug: str) -> dict[str, Any]:
    """Each webhook message's state and its successful attempts."""
    from hireslot.messaging.models import WebhookMessage

    return {
        "messages": {
            message.message_id: {
                "state": message.state,
                "event_type": message.event_type,
                "successes": message.deliveries.filter(succeeded=True).count(),
                "attempts": message.attempts,
            }
            for message in WebhookMessage.objects.filter(organization__slug=slug)
        }
    }


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser()
    commands = {
        "seed": lambda: seed(args.slug, args.candidates),
        "seed_reminders": lambda: seed_reminders(args.slug, args.candidates),
        "seed_loop": lambda: seed_loop(args.slug, args.candidates),
        "bulk": lambda: bulk(args.slug, args.candidates),
        "report": lambda: report(args.slug),
        "reminder_report": lambda: reminder_report(args.slug),
        "loop_report": lambda: loop_report(args.slug),
        "webhook": lambda: webhook(args.slug, args.url),
        "webhook_report": lambda: webhook_report(args.slug),
    }
    parser.add_argument("command", choices=list(commands))
    parser.add_argument("--slug", required=True)
    parser.add_argument("--candidates", type=int, default=0)
    parser.add_argument("--url", default="")
    args = parser.parse_args(argv)
    _setup()
    result = commands[args.command]()
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
