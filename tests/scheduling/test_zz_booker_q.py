import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.scheduling.conftest import company_build

@pytest.mark.django_db
def test_count(client, travel):
    c = company_build()
    token = c.send().link.rsplit("/", 1)[1]
    client.get(f"/s/{token}")
    with CaptureQueriesContext(connection) as q:
        r = client.get(f"/s/{token}?tz=Europe/Berlin")
    print("\nPICKER QUERIES", len(q), "BYTES", len(r.content))
    for x in q.captured_queries: print("  ", x["sql"][:110])
    client.post(f"/s/{token}/book", {"start": "2026-03-03T15:00:00Z", "tz": "UTC"})
    with CaptureQueriesContext(connection) as q:
        r = client.get(f"/s/{token}")
    print("BOOKED QUERIES", len(q), "BYTES", len(r.content))
