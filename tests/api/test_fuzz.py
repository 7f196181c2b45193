"""Property-based fuzzing of every operation from the generated OpenAPI description
(schemathesis): with a valid key, no input may answer a 5xx, and every answer must match
what the description declares (status, content type, body schema).

Bounded: a few examples per operation, so the whole run stays well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as examples
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hireslot.api.v1 import api as ninja_api
from tests.api.conftest import key_for
from tests.scheduling.conftest import Company

schema = schemathesis.openapi.from_dict(ninja_api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = WSGIHandler()

EXAMPLES_PER_OPERATION = 8


@pytest.fixture
def fuzz_key(company: Company, settings: Any) -> Iterator[str]:
    settings.HIRESLOT_API_RATE_LIMIT = "100000/m"
    company.send()  # one request, so that reads have something to find
    # Like Django's test client: the request must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield key_for(company)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@examples(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_input_breaks_the_api(case: Any, fuzz_key: str) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {fuzz_key}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
