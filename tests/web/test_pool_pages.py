"""Settings → Interviewer pools: recruiters list, create and edit pools; other organizations'
pools are not found; interviewers may not manage pools."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from hireslot.accounts.models import Membership, Role
from hireslot.scheduling.models import InterviewerPool, PoolMember
from hireslot.scheduling.services import pool_create, pool_member_add
from tests.factories import MembershipFactory, OrganizationFactory


def test_a_recruiter_creates_a_pool_adds_a_member_and_pauses_them(
    recruiter_client: Client, recruiter: Membership
) -> None:
    colleague = MembershipFactory(organization=recruiter.organization, role=Role.INTERVIEWER)
    colleague.user.full_name = "Sam Okoro"
    colleague.user.save()

    response = recruiter_client.post(reverse("web:pools"), {"name": "Backend interviewers"})
    pool = InterviewerPool.objects.get(name="Backend interviewers")
    assert response.status_code == 302
    add = recruiter_client.post(
        reverse("web:pool-member-add", args=[pool.pk]), {"user": colleague.user.pk, "weight": 2}
    )
    assert add.status_code == 302
    member = PoolMember.objects.get(pool=pool)
    recruiter_client.post(
        reverse("web:pool-member-edit", args=[pool.pk, member.pk]),
        {"action": "pause", "weight": "2"},
    )

    page = recruiter_client.get(reverse("web:pool-detail", args=[pool.pk])).content.decode()
    assert "Sam Okoro" in page and "Paused" in page
    listing = recruiter_client.get(reverse("web:pools")).content.decode()
    assert "Backend interviewers" in listing and "0 active, 1 paused" in listing


def test_bad_input_is_a_400_with_the_reason_and_nothing_saved(recruiter_client: Client) -> None:
    response = recruiter_client.post(reverse("web:pools"), {"name": "P", "max_per_day": "0"})

    assert response.status_code == 400
    assert "Use at least 1" in response.content.decode()
    assert not InterviewerPool.objects.exists()


def test_another_organizations_pool_is_not_found(recruiter_client: Client) -> None:
    foreign = MembershipFactory(organization=OrganizationFactory(), role=Role.INTERVIEWER)
    pool = pool_create(organization=foreign.organization, name="Theirs")
    member = pool_member_add(pool=pool, user=foreign.user)

    assert recruiter_client.get(reverse("web:pool-detail", args=[pool.pk])).status_code == 404
    edit = recruiter_client.post(
        reverse("web:pool-member-edit", args=[pool.pk, member.pk]), {"action": "remove"}
    )
    assert edit.status_code == 404
    assert PoolMember.objects.filter(pk=member.pk).exists()
    assert "Theirs" not in recruiter_client.get(reverse("web:pools")).content.decode()


def test_interviewers_may_not_manage_pools(client: Client, recruiter: Membership) -> None:
    interviewer = MembershipFactory(organization=recruiter.organization, role=Role.INTERVIEWER)
    client.force_login(interviewer.user)

    assert client.post(reverse("web:pools"), {"name": "Mine"}).status_code == 403
    assert not InterviewerPool.objects.exists()


def test_the_load_report_counts_interviews_per_week_against_caps(
    recruiter_client: Client, recruiter: Membership
) -> None:
    import csv
    import io

    pool = pool_create(organization=recruiter.organization, name="Backend")
    pool_member_add(pool=pool, user=recruiter.user)

    page = recruiter_client.get(reverse("web:pool-load"), {"pool": str(pool.pk)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Interview load: Backend" in html and "Fairness" in html

    exported = recruiter_client.get(
        reverse("web:pool-load"), {"pool": str(pool.pk), "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    assert rows[0][:5] == ["interviewer", "email", "time_zone", "weekly_cap", "weight"]
    assert len(rows[0]) == 5 + 16 + 2 and len(rows) == 2
    assert rows[0][-2:] == ["candidate_no_shows", "interviewer_no_shows"]
    assert rows[1][5:] == ["0"] * 18


def test_the_load_report_of_another_organizations_pool_is_not_found(
    recruiter_client: Client,
) -> None:
    foreign = pool_create(organization=OrganizationFactory(), name="Theirs")

    response = recruiter_client.get(reverse("web:pool-load"), {"pool": str(foreign.pk)})

    assert response.status_code == 404
