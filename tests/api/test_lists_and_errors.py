"""Lists page newest first with an opaque cursor; every error is JSON with a message a
person understands, and bad input is never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from hireslot.recruiting.services import candidate_create
from tests.api.conftest import Api
from tests.scheduling.conftest import Company


def test_pages_walk_every_row_newest_first(api: Api, company: Company, travel: Any) -> None:
    for number in range(5):
        travel.shift(60)
        candidate_create(organization=company.organization, first_name=f"C{number}")
    seen: list[str] = []
    cursor = None

    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/candidates", **query).json()
        seen += [row["first_name"] for row in page["items"]]
        cursor = page["next"]
        if cursor is None:
            break

    assert seen == ["C4", "C3", "C2", "C1", "C0", "Ada"]


def test_a_row_added_meanwhile_does_not_shift_the_next_page(
    api: Api, company: Company, travel: Any
) -> None:
    for number in range(3):
        travel.shift(60)
        candidate_create(organization=company.organization, first_name=f"C{number}")
    first = api.get("/api/v1/candidates", limit=2).json()
    travel.shift(60)
    candidate_create(organization=company.organization, first_name="Newcomer")

    second = api.get("/api/v1/candidates", limit=2, cursor=first["next"]).json()

    assert [row["first_name"] for row in second["items"]] == ["C0", "Ada"]


def test_the_default_page_is_50(api: Api, company: Company) -> None:
    for number in range(55):
        candidate_create(organization=company.organization, first_name=f"C{number}")

    page = api.get("/api/v1/candidates").json()

    assert len(page["items"]) == 50
    assert page["next"] is not None


@pytest.mark.parametrize("cursor", ["nonsense", "eyJ0IjoxfQ", "W10:1abc:xyz", "x" * 400])
def test_an_unknown_cursor_is_a_400(api: Api, cursor: str) -> None:
    response = api.get("/api/v1/candidates", cursor=cursor)

    assert response.status_code == 400
    assert response.json() == {"detail": "Unknown cursor: pass the `next` of the previous page."}


@pytest.mark.parametrize("limit", ["0", "101", "-1", "ten", str(10**40), "1.5"])
def test_a_bad_limit_is_a_400_naming_it(api: Api, limit: str) -> None:
    response = api.get("/api/v1/jobs", limit=limit)

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "limit"


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[1, 2]",
        '"text"',
        "[" * 100 + "]" * 100,
        b"\xff\xfe",
        '{"first_name": "A", "email": "a@example.com", "job_id": 12345678901234567890123}',
        '{"first_name": null, "email": "a@example.com", "job_id": "x"}',
        '{"first_name": "A", "email": {"a": 1}, "job_id": "x"}',
    ],
)
def test_malformed_bodies_are_400s_in_json(api: Api, body: str | bytes) -> None:
    response = api.post("/api/v1/candidates", body)

    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


def test_a_body_too_large_is_a_400(api: Api) -> None:
    response = api.post("/api/v1/candidates", '{"first_name": "' + "a" * 70_000 + '"}')

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is larger than 64 KB."}


@pytest.mark.parametrize(
    "start",
    [
        "2026-03-03T15:00:00",  # no zone
        "tomorrow",
        "9999-12-31T23:59:59+14:00",
        "0001-01-01T00:00:00Z",
        10**30,
        None,
    ],
)
def test_bad_instants_are_400s(api: Api, company: Company, start: Any) -> None:
    request = company.send().request

    response = api.post(f"/api/v1/scheduling-requests/{request.pk}/book", {"start": start})

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "start"


def test_an_unknown_path_is_a_json_404(api: Api) -> None:
    response = api.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json() == {"detail": "Page not found"}


def test_a_method_a_path_lacks_is_a_json_405(api: Api) -> None:
    response = api.client.put("/api/v1/jobs", headers={"Authorization": f"Bearer {api.key}"})

    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {"detail": "PUT is not allowed here; use GET."}
