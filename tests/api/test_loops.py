"""The API shows loops: a loop template's sessions, a loop request's loop, each session's
loop id and position; rescheduling or cancelling any session acts on the whole loop."""

from __future__ import annotations

from hireslot.scheduling.models import InterviewLoop
from tests.scheduling.conftest import Company
from tests.scheduling.loop_company import loop_company_build

from .conftest import Api

TEN = "2026-03-03T15:00:00Z"


def test_a_loop_through_the_api(company: Company, api: Api) -> None:
    loop = loop_company_build(company)

    templates = api.get("/api/v1/self-schedule-templates").json()["items"]
    [onsite] = [t for t in templates if t["name"] == "Onsite"]
    assert onsite["duration_minutes"] == 195
    assert [(s["name"], s["duration_minutes"]) for s in onsite["sessions"]] == [
        ("Intro", 30),
        ("Technical", 60),
        ("Systems", 45),
        ("Wrap-up", 15),
    ]
    assert onsite["sessions"][1]["gap_after_minutes"] == 45
    [single] = [t for t in templates if t["name"] == "Manager Interview"]
    assert single["sessions"] == []

    sent = api.post(
        "/api/v1/scheduling-requests",
        {"application_id": str(company.application.pk), "template_id": str(loop.template.pk)},
    )
    assert sent.status_code == 201
    request = sent.json()
    assert request["loop"] == {
        "sessions": 4,
        "id": None,
        "status": None,
        "start": None,
        "end": None,
        "interview_ids": [],
    }
    slots = api.get(
        f"/api/v1/scheduling-requests/{request['id']}/slots",
        **{"from": "2026-03-03T00:00:00Z", "to": "2026-03-04T00:00:00Z"},
    ).json()["slots"]
    assert {"start": TEN, "end": "2026-03-03T18:15:00Z"} in slots

    answer = api.post(f"/api/v1/scheduling-requests/{request['id']}/book", {"start": TEN})
    assert answer.status_code == 201
    booked = api.get(f"/api/v1/scheduling-requests/{request['id']}").json()
    loop_row = InterviewLoop.objects.get()
    sessions = [
        str(pk) for pk in loop_row.interviews.order_by("loop_position").values_list("pk", flat=True)
    ]
    assert booked["loop"]["id"] == str(loop_row.pk)
    assert booked["loop"]["interview_ids"] == sessions
    assert (booked["loop"]["start"], booked["loop"]["end"]) == (TEN, "2026-03-03T18:15:00Z")
    assert booked["interview_id"] == sessions[0]
    systems = api.get(f"/api/v1/interviews/{sessions[2]}").json()
    assert (systems["loop_id"], systems["loop_position"]) == (str(loop_row.pk), 2)
    assert [p["name"] for p in systems["interviewers"]] == ["Sam Wu"]

    # Moving any session moves the loop; cancelling any cancels it whole
    moved = api.post(
        f"/api/v1/interviews/{sessions[2]}/reschedule", {"start": "2026-03-04T15:00:00Z"}
    )
    assert moved.status_code == 200
    assert moved.json()["start"] == "2026-03-04T17:15:00Z"
    cancelled = api.post(f"/api/v1/interviews/{sessions[1]}/cancel", {"reason": "Role filled"})
    assert cancelled.status_code == 200
    after = api.get(f"/api/v1/scheduling-requests/{request['id']}").json()
    assert after["status"] == "cancelled" and after["loop"]["status"] == "cancelled"
