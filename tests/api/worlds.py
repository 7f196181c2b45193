"""Rows of every kind the API names by id, made through the services (as the pages do)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from hireslot.messaging.models import WebhookMessage
from hireslot.messaging.webhooks import webhook_endpoint_create
from hireslot.scheduling.models import Interview
from hireslot.scheduling.services import interview_book, pool_create, pool_member_add
from tests.scheduling.conftest import Company

# Tuesday 3 March 2026, 15:00 UTC: 10:00 in New York, inside the interviewer's hours.
FREE_START = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)
OTHER_FREE_START = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)


@dataclass
class Ids:
    job: str
    stage: str
    candidate: str
    application: str
    interview_template: str
    template: str
    request: str
    interview: str
    user: str
    endpoint: str
    message: str
    pool: str

    def fill(self, text: str) -> str:
        return text.format(**vars(self))


def world_build(company: Company) -> Ids:
    """A webhook endpoint, then a request sent and booked (so a message exists), and an
    interviewer pool."""
    endpoint, _secret = webhook_endpoint_create(
        organization=company.organization, url="http://127.0.0.1:9/hooks", event_types=["*"]
    )
    sent = company.send()
    interview: Interview = interview_book(
        request=sent.request, start=FREE_START, candidate_time_zone="America/New_York"
    )
    message = WebhookMessage.objects.filter(endpoint=endpoint).first()
    assert message is not None
    application = company.application
    pool = pool_create(organization=company.organization, name="Engineering interviewers")
    pool_member_add(pool=pool, user=company.interviewer)
    return Ids(
        job=str(application.job_id),
        stage=str(application.job.stages.order_by("position").last().pk),  # type: ignore[union-attr]
        candidate=str(company.candidate.pk),
        application=str(application.pk),
        interview_template=str(company.template.interview_template_id),
        template=str(company.template.pk),
        request=str(sent.request.pk),
        interview=str(interview.pk),
        user=str(company.interviewer.pk),
        endpoint=str(endpoint.pk),
        message=message.message_id,
        pool=str(pool.pk),
    )
