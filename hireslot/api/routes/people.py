"""The organization's people who interview, with the health of their calendar connections
(a broken or stale calendar means they are not offered to candidates), the pools they are
drawn from, and their load against their caps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from hireslot.accounts.models import Membership
from hireslot.accounts.tenancy import get_scoped_or_404, scoped
from hireslot.api import shapes
from hireslot.api.auth import organization_of
from hireslot.api.pagination import PageQuery, page_of
from hireslot.api.routes.common import READ_ERRORS
from hireslot.api.schemas import (
    InterviewerOut,
    InterviewerPage,
    LoadReportOut,
    PoolOut,
    PoolPage,
)
from hireslot.core import clock
from hireslot.scheduling.load_report import load_report
from hireslot.scheduling.models import InterviewerPool

router = Router()


@router.get("/interviewers", response={200: InterviewerPage, **READ_ERRORS}, tags=["Interviewers"])
def interviewer_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Every member (anyone can be asked to interview), with their calendars."""
    rows = scoped(Membership, organization_of(request)).select_related("user")
    return page_of(rows, page, shapes.interviewer_items)


@router.get(
    "/interviewers/{user_id}", response={200: InterviewerOut, **READ_ERRORS}, tags=["Interviewers"]
)
def interviewer_detail(request: HttpRequest, user_id: str) -> dict[str, Any]:
    membership = get_scoped_or_404(
        Membership.objects.select_related("user"), organization_of(request), user_id=user_id
    )
    return shapes.interviewer_items([membership])[0]


@router.get("/pools", response={200: PoolPage, **READ_ERRORS}, tags=["Interviewers"])
def pool_list(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    """Interviewer pools, with their members (weights, paused or active) and caps."""
    return page_of(scoped(InterviewerPool, organization_of(request)), page, shapes.pool_items)


@router.get("/pools/{pool_id}", response={200: PoolOut, **READ_ERRORS}, tags=["Interviewers"])
def pool_detail(request: HttpRequest, pool_id: str) -> dict[str, Any]:
    pool = get_scoped_or_404(InterviewerPool, organization_of(request), pk=pool_id)
    return shapes.pool_items([pool])[0]


@router.get("/load-report", response={200: LoadReportOut, **READ_ERRORS}, tags=["Interviewers"])
def load_report_read(request: HttpRequest, pool_id: str | None = None) -> dict[str, Any]:
    """Interviews per interviewer per week (the last 8 and the next 8, each counted in the
    person's own zone) against their weekly caps: the load report page's data. With
    `pool_id`, the pool's active members and its fairness figure."""
    organization = organization_of(request)
    pool = None
    if pool_id is not None:
        pool = get_scoped_or_404(InterviewerPool, organization, pk=pool_id)
    return shapes.load_report_item(
        load_report(organization=organization, now=clock.now(), pool=pool)
    )
