"""API keys: made with a recognizable prefix, stored only as a hash, revocable, noting when
they were last used (at most one write a minute), and made from the command line."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from hireslot.api.keys import api_key_create, api_key_for_secret
from hireslot.api.models import ApiKey
from tests.api.conftest import Api
from tests.scheduling.conftest import Company


def test_a_key_is_stored_only_as_its_hash(company: Company) -> None:
    new = api_key_create(organization=company.organization, name="ATS", created_by=None)

    assert new.secret.startswith("hs_live_")
    assert len(new.secret) == len("hs_live_") + 43
    stored = ApiKey.objects.get()
    assert stored.secret_digest == hashlib.sha256(new.secret.encode()).hexdigest()
    assert new.secret not in {str(value) for value in vars(stored).values()}
    assert stored.prefix == new.secret[:14]


def test_last_used_is_written_at_most_once_a_minute(
    api: Api, company: Company, travel: Any
) -> None:
    api.get("/api/v1/jobs")
    first = ApiKey.objects.get().last_used_at
    travel.shift(30)
    api.get("/api/v1/jobs")
    assert ApiKey.objects.get().last_used_at == first

    travel.shift(31)
    api.get("/api/v1/jobs")

    assert ApiKey.objects.get().last_used_at == first + timedelta(seconds=61)  # type: ignore[operator]


def test_an_empty_name_is_refused(company: Company) -> None:
    with pytest.raises(Exception, match="Give the key a name"):
        api_key_create(organization=company.organization, name="  ", created_by=None)


def test_the_command_prints_the_key_alone_on_its_last_line(company: Company) -> None:
    out = StringIO()

    call_command(
        "api_key_create", organization="acme", name="Nightly sync", read_only=True, stdout=out
    )

    key = out.getvalue().strip().splitlines()[-1]
    found = api_key_for_secret(key)
    assert found is not None
    assert (found.organization, found.name, found.read_only) == (
        company.organization,
        "Nightly sync",
        True,
    )


def test_the_command_refuses_an_unknown_organization(company: Company) -> None:
    with pytest.raises(CommandError, match="No organization has the slug 'nope'"):
        call_command("api_key_create", organization="nope", name="x", stdout=StringIO())
