"""The reliability suite's hands inside the database, run as a process of its own
(``python -m tests.reliability.scenario <command>``) against the database in DATABASE_URL,
so it works the same on a server the test process also uses and on a throwaway cluster.

Commands print one JSON document: ``seed`` (an organization, an interviewer, a recruiter and
candidates with pending scheduling requests: their link tokens), ``bulk`` (a bulk send to new
candidates), ``report`` (what the workers did, counted), ``webhook`` (an endpoint for every
event) and ``webhook_report`` (each webhook message's state and successful attempts).
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


def seed(slug: str, candidates: int) -> dict[str, Any]:
    from hireslot.accounts.models import Plan, Role
    from hireslot.accounts.services import membership_add, user_create
    from hireslot.core.tokens import link_token_derive
    from hireslot.recruiting.services import application_create, candidate_create, job_create
    from hireslot.scheduling.models import SelfScheduleTemplate
    from hireslot.scheduling.services import organization_start, scheduling_request_send

    organization = organization_start(
        name=f"Reliable {slug}",
        slug=slug,
        plan=Plan.SCALE,
        default_time_zone="UTC",
        scheduling_sender_email=f"recruiting@{slug}.example",
    )
    people = []
    for email, name, role in (
        (f"riley@{slug}.example", "Riley Chen", Role.RECRUITER),
        (f"nora@{slug}.example", "Nora Alvarez", Role.INTERVIEWER),
    ):
        user = user_create(email=email, full_name=name, password=None, time_zone="UTC")
        settings = user.availability
        settings.weekly_hours = HOURS
        settings.minimum_notice_minutes = 0
        settings.buffer_before_minutes = settings.buffer_after_minutes = 0
        settings.save()
        membership_add(user=user, organization=organization, role=role)
        people.append(user)
    recruiter, interviewer = people
    job = job_create(
        organization=organization, title="Robotics Engineer", hiring_manager=interviewer
    )
    template = SelfScheduleTemplate.objects.get(organization=organization, name="Manager Interview")
    tokens = []
    for number in range(candidates):
        candidate = candidate_create(
            organization=organization,
            first_name=f"Cand{number:03d}",
            last_name="Reliable",
            email=f"cand{number}@{slug}.example",
        )
        application = application_create(candidate=candidate, job=job, actor=recruiter)
        sent = scheduling_request_send(application=application, template=template, sender=recruiter)
        tokens.append(link_token_derive(sent.request.token_nonce))
    return {"tokens": tokens}


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
    parser.add_argument("command", choices=["seed", "bulk", "report", "webhook", "webhook_report"])
    parser.add_argument("--slug", required=True)
    parser.add_argument("--candidates", type=int, default=0)
    parser.add_argument("--url", default="")
    args = parser.parse_args(argv)
    _setup()
    if args.command == "seed":
        result = seed(args.slug, args.candidates)
    elif args.command == "bulk":
        result = bulk(args.slug, args.candidates)
    elif args.command == "webhook":
        result = webhook(args.slug, args.url)
    elif args.command == "webhook_report":
        result = webhook_report(args.slug)
    else:
        result = report(args.slug)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
