"""The organization's people who interview, with the health of their calendar connections:
a broken or stale calendar means they are not offered to candidates."""

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
from hireslot.api.schemas import InterviewerOut, InterviewerPage

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
