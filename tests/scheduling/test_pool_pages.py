"""The candidate sees "with Nora Alvarez and one of our interviewers" before booking, the
people drawn after; the interview page shows who was drawn and why; pausing a pool member
drops cached answers at once."""

from __future__ import annotations

from django.test import Client

from hireslot.scheduling.models import PoolMember
from hireslot.scheduling.services import pool_member_update

from .conftest import Company
from .pool_company import pool_company_build

TUESDAY = {"from": "2026-03-03", "to": "2026-03-03", "tz": "UTC"}
TUESDAY_10 = "2026-03-03T15:00:00Z"


def offered(client: Client, token: str) -> list[str]:
    response = client.get(f"/s/{token}/slots", TUESDAY)
    assert response.status_code == 200
    return [slot["start"] for slot in response.json()["slots"]]


def test_pool_members_are_named_only_once_drawn(company: Company, client: Client) -> None:
    pool_company_build(company, ["Sam Okoro"])
    token = company.send().link.rsplit("/", 1)[1]

    before = client.get(f"/s/{token}").content.decode()
    assert "with Nora Alvarez and one of our interviewers" in before
    assert "Sam Okoro" not in before

    booked = client.post(f"/s/{token}/book", {"start": TUESDAY_10, "tz": "UTC"})
    assert booked.status_code == 303
    after = client.get(f"/s/{token}").content.decode()
    assert "Sam Okoro" in after and "Nora Alvarez" in after


def test_the_interview_page_says_who_was_drawn_and_why(company: Company, client: Client) -> None:
    pool_company_build(company, ["Sam Okoro", "Lee Park"])
    token = company.send().link.rsplit("/", 1)[1]
    client.post(f"/s/{token}/book", {"start": TUESDAY_10, "tz": "UTC"})
    from hireslot.scheduling.models import Interview

    interview = Interview.objects.get()
    recruiter = Client()
    recruiter.force_login(company.recruiter)

    page = recruiter.get(f"/interviews/{interview.pk}/").content.decode()

    assert "From Engineering interviewers" in page
    assert "eligible: Lee Park, Sam Okoro" in page
    assert interview.assignment[0]["name"] in page


def test_pausing_every_member_empties_the_cached_slots_at_once(
    company: Company, client: Client, django_capture_on_commit_callbacks: object
) -> None:
    pool = pool_company_build(company, ["Sam Okoro"])
    token = company.send().link.rsplit("/", 1)[1]
    assert TUESDAY_10 in offered(client, token)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        pool_member_update(
            member=PoolMember.objects.get(user=pool.engineers[0]), weight=1, active=False
        )

    assert offered(client, token) == []
