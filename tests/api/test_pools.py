"""Interviewer pools and the load report through the API: the same data as the pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from hireslot.scheduling.services import interview_book, pool_member_update
from tests.api.conftest import Api
from tests.api.worlds import FREE_START
from tests.scheduling.conftest import Company
from tests.scheduling.pool_company import pool_company_build

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # Monday of FREE_START's week


def test_pools_read_with_their_members_weights_and_pauses(api: Api, company: Company) -> None:
    pool = pool_company_build(company, ["Ann Lee", "Bo Chen"])
    ann, bo = pool.engineers
    pool_member_update(member=pool.pool.members.get(user=bo), weight=2, active=False)

    response = api.get("/api/v1/pools")

    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["name"] == "Engineering interviewers"
    assert item["members"] == [
        {"user_id": str(ann.pk), "name": "Ann Lee", "weight": 1, "active": True},
        {"user_id": str(bo.pk), "name": "Bo Chen", "weight": 2, "active": False},
    ]
    assert api.get(f"/api/v1/pools/{pool.pool.pk}").json() == item


def test_the_load_report_counts_each_persons_interviews_in_their_week(
    api: Api, company: Company
) -> None:
    pool = pool_company_build(company, ["Ann Lee", "Bo Chen"])
    with time_machine.travel(NOW, tick=False):
        booked = interview_book(
            request=company.send().request, start=FREE_START, candidate_time_zone="UTC"
        )
        report = api.get("/api/v1/load-report", pool_id=str(pool.pool.pk)).json()

    drawn = booked.assignment[0]["user_id"]
    assert report["pool_id"] == str(pool.pool.pk)
    assert "2026-03-02" in report["weeks"]
    this_week = report["weeks"].index("2026-03-02")
    counts = {row["user_id"]: row["counts"][this_week] for row in report["rows"]}
    assert counts == {str(person.pk): int(str(person.pk) == drawn) for person in pool.engineers}
    assert report["fairness"] == 1.0


@pytest.mark.parametrize("pool_id", ["00000000-0000-4000-8000-000000000000", "not-a-uuid"])
def test_the_load_report_of_an_unknown_pool_is_a_404(api: Api, pool_id: str) -> None:
    response = api.get("/api/v1/load-report", pool_id=pool_id)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_another_organizations_pool_is_a_404_in_the_load_report(api: Api, other: Company) -> None:
    theirs = pool_company_build(other, ["Cy Park"])

    response = api.get("/api/v1/load-report", pool_id=str(theirs.pool.pk))

    assert response.status_code == 404
