"""Who may call what: a key, and only its own organization's rows (another organization's ids
answer 404 exactly like ids that do not exist); read-only keys change nothing (403); missing,
malformed, unknown or revoked keys get 401; too many requests get 429 with Retry-After."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from hireslot.api.keys import api_key_create, api_key_revoke
from hireslot.api.models import ApiKey
from hireslot.api.v1 import api as ninja_api
from hireslot.messaging.models import WebhookEndpoint
from hireslot.recruiting.models import Application
from hireslot.scheduling.models import Interview, SchedulingRequest
from tests.api.conftest import Api, key_for
from tests.api.worlds import OTHER_FREE_START, Ids, world_build
from tests.scheduling.conftest import Company

LATER = OTHER_FREE_START.strftime("%Y-%m-%dT%H:%M:%SZ")

# Every operation that names a row by id: (method, path, body).
ID_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("get", "/api/v1/jobs/{job}", None),
    ("get", "/api/v1/candidates/{candidate}", None),
    ("get", "/api/v1/applications/{application}", None),
    ("post", "/api/v1/applications/{application}/move", {"stage_id": "{stage}"}),
    ("get", "/api/v1/interview-templates/{interview_template}", None),
    ("get", "/api/v1/self-schedule-templates/{template}", None),
    ("get", "/api/v1/scheduling-requests/{request}", None),
    ("post", "/api/v1/scheduling-requests/{request}/cancel", None),
    ("get", "/api/v1/scheduling-requests/{request}/slots", None),
    ("post", "/api/v1/scheduling-requests/{request}/book", {"start": LATER}),
    ("get", "/api/v1/interviews/{interview}", None),
    ("get", "/api/v1/interviews/{interview}/steps", None),
    ("post", "/api/v1/interviews/{interview}/reschedule", {"start": LATER}),
    ("post", "/api/v1/interviews/{interview}/cancel", None),
    ("post", "/api/v1/interviews/{interview}/no-show", {"who": "candidate"}),
    ("get", "/api/v1/interviewers/{user}", None),
    ("get", "/api/v1/pools/{pool}", None),
    ("delete", "/api/v1/webhook-endpoints/{endpoint}", None),
    ("post", "/api/v1/webhook-endpoints/{endpoint}/rotate-secret", None),
    ("get", "/api/v1/webhook-endpoints/{endpoint}/deliveries", None),
    ("post", "/api/v1/webhook-messages/{message}/replay", None),
]

# Every operation that changes something: (method, path, body).
WRITE_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    (
        "post",
        "/api/v1/candidates",
        {"first_name": "Lin", "email": "lin@example.com", "job_id": "{job}"},
    ),
    (
        "post",
        "/api/v1/scheduling-requests",
        {"application_id": "{application}", "template_id": "{template}"},
    ),
    (
        "post",
        "/api/v1/webhook-endpoints",
        {"url": "http://127.0.0.1:9/x", "event_types": ["*"]},
    ),
    *[(method, path, body) for method, path, body in ID_ROUTES if method != "get"],
]


def _operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method, path.removeprefix("/api/v1"))
        for path, item in document["paths"].items()
        for method in item
    }


def _normalized(path: str) -> str:
    """/api/v1/jobs/{job} -> /jobs/{}: path templates compared without parameter names."""
    parts = path.removeprefix("/api/v1").split("/")
    return "/".join("{}" if part.startswith("{") else part for part in parts)


def test_the_lists_below_cover_every_operation_with_an_id_and_every_write() -> None:
    operations = _operations(ninja_api.get_openapi_schema(path_prefix="/api/v1"))
    with_id = {(m, _normalized(p)) for m, p in operations if "{" in p}
    writes = {(m, _normalized(p)) for m, p in operations if m != "get"}
    assert with_id == {(m, _normalized(p)) for m, p, _ in ID_ROUTES}
    assert writes == {(m, _normalized(p)) for m, p, _ in WRITE_ROUTES}


def _call(api: Api, ids: Ids, method: str, path: str, body: dict[str, Any] | None) -> Any:
    url = ids.fill(path)
    if method == "get":
        return api.get(url)
    if method == "delete":
        return api.delete(url)
    filled = {k: ids.fill(v) if isinstance(v, str) else v for k, v in (body or {}).items()}
    return api.post(url, filled)


@pytest.fixture
def their_ids(other: Company) -> Ids:
    return world_build(other)


@pytest.mark.parametrize(
    ("method", "path", "body"), ID_ROUTES, ids=[f"{m} {p}" for m, p, _ in ID_ROUTES]
)
def test_another_organizations_ids_answer_404_like_missing_ones(
    api: Api, their_ids: Ids, other: Company, method: str, path: str, body: dict[str, Any] | None
) -> None:
    given_their_rows_before = (
        Interview.objects.get(pk=their_ids.interview).start,
        Application.objects.get(pk=their_ids.application).current_stage_id,
        WebhookEndpoint.objects.filter(organization=other.organization).count(),
    )

    theirs = _call(api, their_ids, method, path, body)
    missing = _call(
        api,
        Ids(**dict.fromkeys(vars(their_ids), "00000000-0000-4000-8000-000000000000")),
        method,
        path,
        body,
    )

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json() == {"detail": "Not found."}
    assert given_their_rows_before == (
        Interview.objects.get(pk=their_ids.interview).start,
        Application.objects.get(pk=their_ids.application).current_stage_id,
        WebhookEndpoint.objects.filter(organization=other.organization).count(),
    )
    assert Interview.objects.get(pk=their_ids.interview).status == "scheduled"


@pytest.fixture
def my_ids(company: Company) -> Ids:
    return world_build(company)


@pytest.mark.parametrize(
    ("method", "path", "body"), WRITE_ROUTES, ids=[f"{m} {p}" for m, p, _ in WRITE_ROUTES]
)
def test_a_read_only_key_changes_nothing(
    read_only_api: Api, my_ids: Ids, method: str, path: str, body: dict[str, Any] | None
) -> None:
    before = (
        SchedulingRequest.objects.count(),
        Interview.objects.get(pk=my_ids.interview).start,
        WebhookEndpoint.objects.count(),
    )

    response = _call(read_only_api, my_ids, method, path, body)

    assert response.status_code == 403
    assert response.json() == {"detail": "This API key is read-only; it cannot make changes."}
    assert before == (
        SchedulingRequest.objects.count(),
        Interview.objects.get(pk=my_ids.interview).start,
        WebhookEndpoint.objects.count(),
    )
    assert Interview.objects.get(pk=my_ids.interview).status == "scheduled"


def test_a_read_only_key_reads(read_only_api: Api, my_ids: Ids) -> None:
    assert read_only_api.get(f"/api/v1/interviews/{my_ids.interview}").status_code == 200


def _revoked_key(company: Company) -> str:
    new = api_key_create(organization=company.organization, name="old", created_by=None)
    api_key_revoke(key=new.key)
    return new.secret


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Basic dXNlcjpwYXNz",
        "Bearer",
        "Bearer hs_live_short",
        "Bearer hs_live_" + "A" * 43,  # well-formed, unknown
        "Token {key}",
        "revoked",
    ],
)
def test_without_a_valid_key_every_call_is_401(company: Company, authorization: str | None) -> None:
    client = Client()
    headers: dict[str, str] = {}
    if authorization == "revoked":
        headers["Authorization"] = f"Bearer {_revoked_key(company)}"
    elif authorization is not None:
        headers["Authorization"] = authorization.format(key=key_for(company))

    response = client.get("/api/v1/jobs", headers=headers)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["detail"].startswith("A valid API key is required")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_key_stops_working_at_once(api: Api, company: Company) -> None:
    assert api.get("/api/v1/jobs").status_code == 200
    api_key_revoke(key=ApiKey.objects.get(organization=company.organization))

    assert api.get("/api/v1/jobs").status_code == 401


def test_over_the_rate_limit_a_key_gets_429_with_retry_after(
    api: Api, company: Company, settings: Any
) -> None:
    settings.HIRESLOT_API_RATE_LIMIT = "3/m"
    answers = [api.get("/api/v1/jobs") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert answers[-1].json()["detail"].startswith("Too many requests with this key")
    assert 1 <= int(answers[-1]["Retry-After"]) <= 60
    another_key = Api(Client(), key_for(company, name="Other system"))
    assert another_key.get("/api/v1/jobs").status_code == 200


def test_the_description_and_the_docs_page_need_no_key(anonymous: Api) -> None:
    description = anonymous.get("/api/v1/openapi.json")
    page = anonymous.get("/api/v1/docs")

    assert description.status_code == 200
    assert description.json()["openapi"].startswith("3.")
    assert page.status_code == 200
    assert "POST /api/v1/scheduling-requests" in " ".join(page.content.decode().split()).replace(
        "</span> <code>", " "
    )


def test_a_key_needs_no_csrf_token(company: Company) -> None:
    """Bearer keys are not ambient credentials (no cookie a browser would send by itself)."""
    client = Api(Client(enforce_csrf_checks=True), key_for(company))

    response = client.post(
        "/api/v1/candidates",
        {
            "first_name": "Lin",
            "email": "lin@example.com",
            "job_id": str(company.application.job_id),
        },
    )

    assert response.status_code == 201


def test_a_signed_in_session_is_not_a_key(company: Company) -> None:
    client = Client()
    client.force_login(company.recruiter)

    assert client.get("/api/v1/jobs").status_code == 401
