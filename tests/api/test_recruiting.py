"""Jobs with stages, candidates with applications (created into the job's first stage),
moving an application between stages, and the templates."""

from __future__ import annotations

from typing import Any

import pytest

from hireslot.recruiting.models import Candidate, StageChange
from tests.api.conftest import Api
from tests.scheduling.conftest import Company


def test_jobs_carry_their_stages_in_order(api: Api, company: Company) -> None:
    response = api.get("/api/v1/jobs")

    assert response.status_code == 200
    (job,) = response.json()["items"]
    assert (job["id"], job["title"], job["status"]) == (
        str(company.application.job_id),
        "Robotics Engineer",
        "open",
    )
    assert [(s["name"], s["position"]) for s in job["stages"]] == [
        ("Applied", 0),
        ("Phone Screen", 1),
        ("Manager Interview", 2),
        ("Onsite", 3),
        ("Offer", 4),
    ]
    assert api.get(f"/api/v1/jobs/{job['id']}").json() == job


def test_creating_a_candidate_applies_them_to_the_jobs_first_stage(
    api: Api, company: Company
) -> None:
    job = company.application.job

    response = api.post(
        "/api/v1/candidates",
        {
            "first_name": "Lin",
            "last_name": "Wu",
            "email": " Lin.Wu@Example.com ",
            "phone": "+1 555 0100",
            "time_zone": "Asia/Tokyo",
            "language": "ja",
            "job_id": str(job.pk),
        },
    )

    assert response.status_code == 201
    candidate = response.json()
    assert (candidate["email"], candidate["time_zone"], candidate["language"]) == (
        "lin.wu@example.com",
        "Asia/Tokyo",
        "ja",
    )
    (application,) = candidate["applications"]
    assert application["job_id"] == str(job.pk)
    assert application["stage_id"] == str(job.stages.get(position=0).pk)
    assert api.get(f"/api/v1/candidates/{candidate['id']}").json() == candidate
    assert api.get(f"/api/v1/applications/{application['id']}").json() == application


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"first_name": "", "email": "a@example.com"}, "first_name"),
        ({"first_name": "A", "email": "not an address"}, "email"),
        ({"first_name": "A", "email": "a@example.com", "time_zone": "Nowhere/Land"}, "time_zone"),
        ({"first_name": "A", "email": "a@example.com", "language": "xx"}, "language"),
        ({"first_name": ["A"], "email": "a@example.com"}, "first_name"),
        ({"email": "a@example.com"}, "first_name"),
        ({"first_name": "A", "email": "a@example.com", "job_id": "nope"}, "job_id"),
    ],
)
def test_a_bad_candidate_is_a_400_naming_the_field_and_writes_nothing(
    api: Api, company: Company, body: dict[str, Any], field: str
) -> None:
    response = api.post("/api/v1/candidates", {"job_id": str(company.application.job_id), **body})

    assert response.status_code == 400
    assert field in [error["field"] for error in response.json()["errors"]]
    assert Candidate.objects.count() == 1


def test_candidates_are_found_by_exact_email(api: Api, company: Company) -> None:
    def found(email: str) -> list[str]:
        return [c["id"] for c in api.get("/api/v1/candidates", email=email).json()["items"]]

    assert found("ada@acme.example") == [str(company.candidate.pk)]
    assert found("ADA@acme.example") == [str(company.candidate.pk)]
    assert found("ada@acme") == []


def test_moving_an_application_records_who_moved_it(api: Api, company: Company) -> None:
    onsite = company.application.job.stages.get(name="Onsite")

    response = api.post(
        f"/api/v1/applications/{company.application.pk}/move", {"stage_id": str(onsite.pk)}
    )

    assert response.status_code == 200
    assert response.json()["stage_id"] == str(onsite.pk)
    change = StageChange.objects.get(application=company.application, to_stage=onsite)
    assert (change.from_stage.name, change.actor) == ("Applied", company.recruiter)  # type: ignore[union-attr]


def test_a_stage_of_another_job_is_refused(api: Api, company: Company, other: Company) -> None:
    theirs = other.application.job.stages.first()
    assert theirs is not None

    response = api.post(
        f"/api/v1/applications/{company.application.pk}/move", {"stage_id": str(theirs.pk)}
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "stage_id"


def test_templates_are_readable(api: Api, company: Company) -> None:
    templates = api.get("/api/v1/self-schedule-templates").json()["items"]
    ours = next(t for t in templates if t["id"] == str(company.template.pk))

    assert ours["name"] == "Manager Interview"
    assert ours["duration_minutes"] == 45
    assert api.get(f"/api/v1/self-schedule-templates/{ours['id']}").json() == ours
    interview_templates = api.get("/api/v1/interview-templates").json()["items"]
    assert ours["interview_template"] in interview_templates


def test_interviewers_show_their_calendar_health(api: Api, company: Company) -> None:
    response = api.get(f"/api/v1/interviewers/{company.interviewer.pk}")

    assert response.status_code == 200
    assert response.json()["has_working_hours"] is True
    assert response.json()["time_zone"] == "America/New_York"
    assert response.json()["calendars"] == []
    listed = {row["email"] for row in api.get("/api/v1/interviewers").json()["items"]}
    assert listed == {"nora@acme.example", "riley@acme.example"}
