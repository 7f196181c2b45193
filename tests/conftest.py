from __future__ import annotations

import pytest
from django.test import Client

from hireslot.accounts.models import Membership, Organization, Role
from tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture
def organization(db: None) -> Organization:
    return OrganizationFactory(name="Acme", slug="acme")


@pytest.fixture
def recruiter(organization: Organization) -> Membership:
    return MembershipFactory(organization=organization, role=Role.RECRUITER)


@pytest.fixture
def recruiter_client(client: Client, recruiter: Membership) -> Client:
    client.force_login(recruiter.user)
    return client


# The self-scheduling world (a company with a recruiter, an interviewer, a candidate and the
# starter template) is used well beyond tests/scheduling.
from tests.scheduling.conftest import company, travel  # noqa: E402, F401
