from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from hireslot.accounts.models import Membership, Organization, Role
from tests.factories import MembershipFactory, OrganizationFactory


@pytest.fixture(autouse=True)
def cache_cleared() -> Iterator[None]:
    """Every test starts with an empty cache (candidate pages kept by an earlier test are
    keyed by rows that test's database no longer has, but an empty cache says so plainly)."""
    cache.clear()
    yield
    cache.clear()


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
