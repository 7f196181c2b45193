"""An organization ready to self-schedule (``tests.scheduling.conftest.company``) with API
keys, and a client that sends one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from hireslot.api.keys import api_key_create
from tests.scheduling.conftest import Company, company_build


@dataclass
class Api:
    """A test client speaking JSON with one key (or none)."""

    client: Client
    key: str | None

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        return {**headers, **(extra or {})}

    def get(self, path: str, headers: dict[str, str] | None = None, **query: Any) -> Any:
        return self.client.get(path, query, headers=self._headers(headers))

    def post(self, path: str, body: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(
            path,
            body if isinstance(body, (str, bytes)) else ({} if body is None else body),
            content_type="application/json",
            headers=self._headers(headers),
        )

    def delete(self, path: str, headers: dict[str, str] | None = None) -> Any:
        return self.client.delete(path, headers=self._headers(headers))


def key_for(company: Company, *, read_only: bool = False, name: str = "ATS") -> str:
    return api_key_create(
        organization=company.organization,
        name=name,
        read_only=read_only,
        created_by=company.recruiter,
    ).secret


@pytest.fixture
def api(company: Company) -> Api:
    return Api(Client(), key_for(company))


@pytest.fixture
def read_only_api(company: Company) -> Api:
    return Api(Client(), key_for(company, read_only=True))


@pytest.fixture
def other(company: Company) -> Company:
    """A second organization, with the same kinds of rows."""
    return company_build("globex")


@pytest.fixture
def other_api(other: Company) -> Api:
    return Api(Client(), key_for(other))


@pytest.fixture
def anonymous() -> Api:
    return Api(Client(), None)
