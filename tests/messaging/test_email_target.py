"""An outgoing email is tied to whom it is about by a generic target (messaging imports no
app above it); the candidate's page still lists exactly the emails about that candidate, and
the migration that replaced the candidate foreign key kept every tie (issue 10)."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from hireslot.accounts.models import Membership, Organization
from hireslot.messaging.models import OutgoingEmail
from hireslot.messaging.services import outgoing_email_queue
from hireslot.recruiting.models import Candidate
from tests.factories import CandidateFactory, OrganizationFactory
from tests.migrations import migrate_to, migrate_to_latest


def email_about(candidate: Candidate | None, subject: str) -> OutgoingEmail:
    return outgoing_email_queue(
        organization=candidate.organization if candidate else OrganizationFactory(),
        target=candidate,
        to="someone@example.com",
        subject=subject,
        body_text="Hello",
        kind="request",
    )


@pytest.mark.django_db
def test_the_email_points_at_the_candidate_it_is_about() -> None:
    ada = CandidateFactory()

    email = email_about(ada, "For Ada")

    email.refresh_from_db()
    assert email.target == ada
    assert email.target_type == ContentType.objects.get_for_model(Candidate)
    assert list(ada.emails.all()) == [email]
    assert list(OutgoingEmail.objects.filter(candidate=ada)) == [email]


@pytest.mark.django_db
def test_the_candidates_page_lists_only_the_emails_about_them(
    organization: Organization, recruiter_client: Client, recruiter: Membership
) -> None:
    ada = CandidateFactory(organization=organization, first_name="Ada")
    grace = CandidateFactory(organization=organization, first_name="Grace")
    email_about(ada, "Pick a time, Ada")
    email_about(grace, "Pick a time, Grace")
    outgoing_email_queue(
        organization=organization,
        target=recruiter,
        to=recruiter.user.email,
        subject="About a membership",
        body_text="Not about a candidate",
        kind="member_invite",
    )

    page = recruiter_client.get(f"/candidates/{ada.pk}/").content.decode()

    assert "Pick a time, Ada" in page
    assert "Pick a time, Grace" not in page
    assert "About a membership" not in page


@pytest.mark.django_db
def test_an_email_about_another_kind_of_row_with_the_same_id_is_not_the_candidates() -> None:
    ada = CandidateFactory()
    other = OrganizationFactory()
    email = email_about(ada, "For Ada")
    OutgoingEmail.objects.create(
        organization=other,
        target_type=ContentType.objects.get_for_model(Organization),
        target_id=ada.pk,
        kind="request",
        from_name="x",
        from_address="x@example.com",
        to="x@example.com",
        subject="Same id, other table",
        body_text="",
    )

    assert list(ada.emails.all()) == [email]
    assert list(OutgoingEmail.objects.filter(candidate=ada)) == [email]


@pytest.mark.django_db
def test_deleting_a_candidate_deletes_the_emails_about_them() -> None:
    ada = CandidateFactory()
    grace = CandidateFactory(organization=ada.organization)
    email_about(ada, "For Ada")
    kept = email_about(grace, "For Grace")

    ada.delete()

    assert list(OutgoingEmail.objects.all()) == [kept]


BEFORE = ("messaging", "0006_single_line_names")
AFTER = ("messaging", "0007_outgoing_email_generic_target")


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_every_emails_candidate() -> None:
    old = migrate_to(BEFORE)
    organization = old.get_model("accounts", "Organization").objects.create(
        name="Acme", slug="acme-old"
    )
    candidates = [
        old.get_model("recruiting", "Candidate").objects.create(
            organization=organization, first_name=name
        )
        for name in ("Ada", "Grace", "Hedy")
    ]
    ties: dict[uuid.UUID, uuid.UUID | None] = {}
    for number, candidate in enumerate([*candidates, candidates[0], None]):
        email = old.get_model("messaging", "OutgoingEmail").objects.create(
            organization=organization,
            candidate=candidate,
            kind="request",
            from_name="Acme",
            from_address="jobs@acme.example",
            to=f"person{number}@example.com",
            subject=f"Email {number}",
            body_text="Hello",
        )
        ties[email.pk] = candidate.pk if candidate else None

    new = migrate_to(AFTER)

    candidate_type = new.get_model("contenttypes", "ContentType").objects.get(
        app_label="recruiting", model="candidate"
    )
    rows = new.get_model("messaging", "OutgoingEmail").objects.values_list(
        "pk", "target_type_id", "target_id"
    )
    assert {pk: target_id for pk, _, target_id in rows} == ties
    assert {pk: type_id for pk, type_id, _ in rows} == {
        pk: candidate_type.pk if tie else None for pk, tie in ties.items()
    }

    back = migrate_to(BEFORE)
    assert (
        dict(back.get_model("messaging", "OutgoingEmail").objects.values_list("pk", "candidate_id"))
        == ties
    )
    migrate_to_latest()
