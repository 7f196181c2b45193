"""Sending one template to many candidates in the background, and a stage's template.

``bulk_send_start`` is what the recruiter's click does: one ``BulkSend``, one waiting
``BulkSendItem`` per application (a bulk insert, so 1,000 candidates take a few queries) and
one worker task, all in one transaction. ``bulk_send_run`` is that task (on PostgreSQL it
hands parts of a large send to further tasks): each candidate in its own transaction, in
which the item is claimed and the request created (``RequestBatch.send``, which a single
``scheduling_request_send`` is a batch of one of), so a crash never leaves a request without
its item marked, and a second run (or a second worker) only picks up items still waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count

from hireslot.accounts.models import Organization, User
from hireslot.accounts.plans import self_scheduling_require
from hireslot.core import clock
from hireslot.core.errors import HireSlotError
from hireslot.core.work import work_enqueue
from hireslot.recruiting.models import Application, WorkflowStage
from hireslot.scheduling.errors import RequestSkippedError
from hireslot.scheduling.locks import bulk_item_claimable
from hireslot.scheduling.models import (
    BulkSend,
    BulkSendItem,
    SelfScheduleTemplate,
    StageTemplate,
)
from hireslot.scheduling.services.requests import RequestBatch, template_send_check

logger = logging.getLogger(__name__)


def stage_template_assign(
    *, stage: WorkflowStage, template: SelfScheduleTemplate | None, actor: User
) -> WorkflowStage:
    """Make ``template`` the one the pipeline sends with one click for ``stage`` (``None``
    clears it). The template must belong to the stage's organization."""
    if template is not None:
        if template.organization_id != stage.organization_id:
            raise HireSlotError("That template belongs to another organization.")
        self_scheduling_require(organization=stage.organization)
    if template is None:
        StageTemplate.objects.filter(stage=stage).delete()
    else:
        StageTemplate.objects.update_or_create(
            stage=stage, defaults={"organization_id": stage.organization_id, "template": template}
        )
    logger.info(
        "stage %s template set to %s by %s",
        stage.pk,
        template.pk if template else None,
        actor.pk,
    )
    return stage


def bulk_send_start(
    *,
    organization: Organization,
    template: SelfScheduleTemplate,
    applications: Iterable[Application],
    sender: User | None,
) -> BulkSend:
    """Record a bulk send with one waiting item per application and enqueue the one task
    that sends them; everything or nothing. Duplicate applications count once."""

    template_send_check(organization=organization, template=template)
    chosen: dict[object, Application] = {}
    for application in applications:
        if application.organization_id != organization.pk:
            raise HireSlotError("A chosen candidate belongs to another organization.")
        chosen.setdefault(application.pk, application)
    if not chosen:
        raise HireSlotError("Choose at least one candidate to send to.")
    with transaction.atomic():
        bulk_send = BulkSend.objects.create(
            organization=organization, template=template, sender=sender, total=len(chosen)
        )
        BulkSendItem.objects.bulk_create(
            [
                BulkSendItem(bulk_send=bulk_send, application=application)
                for application in chosen.values()
            ],
            batch_size=500,
        )
        work_enqueue("bulk_send_execute", bulk_send_id=str(bulk_send.pk))
    return bulk_send


# On PostgreSQL a large send is carried out by one task per this many candidates, so that
# every free worker creates requests side by side (``_side_by_side``).
PART_SIZE = 100
# Pending requests are looked up for this many candidates at a time, just before sending to
# them: one query instead of one per candidate, and a recent answer.
LOOKUP = 100


def _item_send(*, item: BulkSendItem, bulk_send: BulkSend, batch: RequestBatch) -> None:
    """One candidate, in one transaction: claim the item if it still waits (recording it
    sent), send. A refusal or an error rolls that transaction back whole, and a second one
    records the outcome and its reason."""
    now = clock.now()
    try:
        with transaction.atomic():
            claimed = bulk_item_claimable(item).update(
                outcome=BulkSendItem.Outcome.SENT, reason="", updated_at=now
            )
            if not claimed:
                return  # done by an earlier run, or being done by another worker right now
            batch.send(application=item.application, now=now, bulk_send=bulk_send)
        return
    except RequestSkippedError as error:
        outcome, reason = BulkSendItem.Outcome.SKIPPED, error.message
    except HireSlotError as error:
        outcome, reason = BulkSendItem.Outcome.FAILED, error.message
    except Exception as error:  # one bad candidate must not stop the rest
        logger.exception("bulk send %s: application %s", bulk_send.pk, item.application_id)
        outcome = BulkSendItem.Outcome.FAILED
        reason = f"Unexpected error ({type(error).__name__}); the worker's log has details."
    BulkSendItem.objects.filter(pk=item.pk, outcome=BulkSendItem.Outcome.WAITING).update(
        outcome=outcome, reason=reason, updated_at=clock.now()
    )


def bulk_send_run(*, bulk_send_id: str, item_ids: Sequence[str] | None = None) -> BulkSend:
    """Send the waiting items of a bulk send (only ``item_ids`` when given), marking each as
    it goes so the progress page sees it move. Idempotent: items already sent, skipped or
    failed are left alone; the run that finds none waiting marks the send done.

    On PostgreSQL the first run of a large send (the click's task) keeps the first
    ``PART_SIZE`` items and enqueues one task per further part, so every free worker
    creates requests at the same time.
    What every candidate shares (the organization, sender, template with its interviewers,
    the interviewers' checks) is read once per run, pending requests once per ``LOOKUP``
    candidates; each candidate then costs a fixed handful of statements."""
    bulk_send = BulkSend.objects.select_related(
        "organization", "sender", "template__email_template", "template__interview_template"
    ).get(pk=bulk_send_id)
    if bulk_send.status != BulkSend.Status.DONE:
        started = BulkSend.objects.filter(pk=bulk_send.pk, status=BulkSend.Status.QUEUED).update(
            status=BulkSend.Status.RUNNING, updated_at=clock.now()
        )
        if started and item_ids is None and _side_by_side():
            item_ids = _parts_enqueue(bulk_send)
        template = (
            SelfScheduleTemplate.objects.select_related(
                "organization", "email_template", "interview_template"
            )
            .prefetch_related("interviewers")
            .get(pk=bulk_send.template_id)
        )
        bulk_send.template = template
        batch = RequestBatch(
            organization=bulk_send.organization, template=template, sender=bulk_send.sender
        )
        waiting = BulkSendItem.objects.filter(
            bulk_send=bulk_send, outcome=BulkSendItem.Outcome.WAITING
        )
        if item_ids is not None:
            waiting = waiting.filter(pk__in=item_ids)
        items = list(
            waiting.select_related(
                "application__candidate", "application__job__hiring_manager"
            ).order_by("created_at", "pk")
        )
        for first in range(0, len(items), LOOKUP):
            chunk = items[first : first + LOOKUP]
            batch.waiting_load(applications=[item.application for item in chunk], now=clock.now())
            for item in chunk:
                _item_send(item=item, bulk_send=bulk_send, batch=batch)
        still_waiting = BulkSendItem.objects.filter(
            bulk_send=bulk_send, outcome=BulkSendItem.Outcome.WAITING
        ).exists()
        if not still_waiting:
            now = clock.now()
            BulkSend.objects.filter(pk=bulk_send.pk).exclude(status=BulkSend.Status.DONE).update(
                status=BulkSend.Status.DONE, finished_at=now, updated_at=now
            )
    bulk_send.refresh_from_db()
    return bulk_send


def _side_by_side() -> bool:
    """Whether parts of a send can really run at once. SQLite takes one write transaction
    at a time, so there the parts would only queue for its lock (measured: slower than one
    task); PostgreSQL runs them side by side."""
    return connection.vendor != "sqlite"


def _parts_enqueue(bulk_send: BulkSend) -> list[str]:
    """Split the send into parts of ``PART_SIZE`` items, in order: enqueue a task for each
    part but the first (all or none), and return the first part's items for this run."""

    ids = [
        str(pk)
        for pk in BulkSendItem.objects.filter(bulk_send=bulk_send)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    ]
    parts = [ids[first : first + PART_SIZE] for first in range(0, len(ids), PART_SIZE)]
    with transaction.atomic():
        for part in parts[1:]:
            work_enqueue("bulk_send_execute", bulk_send_id=str(bulk_send.pk), item_ids=part)
    return parts[0] if parts else []


@dataclass(frozen=True)
class BulkProgress:
    """What the progress page shows: counts by outcome and the items, in order."""

    bulk_send: BulkSend
    sent: int
    skipped: int
    failed: int
    items: list[BulkSendItem]

    @property
    def finished(self) -> int:
        return self.sent + self.skipped + self.failed

    @property
    def done(self) -> bool:
        return self.bulk_send.status == BulkSend.Status.DONE

    @property
    def percent(self) -> int:
        total = self.bulk_send.total
        return 100 if not total else round(100 * self.finished / total)


def bulk_send_progress(*, bulk_send: BulkSend) -> BulkProgress:
    """Counts in one query and the items (with their candidates) in one more."""
    counts = dict(
        BulkSendItem.objects.filter(bulk_send=bulk_send)
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .values_list("outcome", "n")
    )
    items = list(
        BulkSendItem.objects.filter(bulk_send=bulk_send)
        .select_related("application__candidate")
        .order_by("created_at", "pk")
    )
    return BulkProgress(
        bulk_send=bulk_send,
        sent=counts.get(BulkSendItem.Outcome.SENT, 0),
        skipped=counts.get(BulkSendItem.Outcome.SKIPPED, 0),
        failed=counts.get(BulkSendItem.Outcome.FAILED, 0),
        items=items,
    )
