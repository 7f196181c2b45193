"""Provider webhooks: Graph's address check is echoed, forged or unknown calls learn nothing,
and a genuine notification queues a sync."""

from __future__ import annotations

from django.test import Client
from django_tasks_db.models import DBTaskResult

from hireslot.calendars.models import CalendarConnection
from tests.scheduling.conftest import Company


def test_graph_validation_is_echoed_as_plain_text(client: Client) -> None:
    response = client.post("/hooks/microsoft/anything?validationToken=abc%20123")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"abc 123"


def test_unknown_or_forged_notifications_are_refused(company: Company, client: Client) -> None:
    row = CalendarConnection.objects.create(
        user=company.interviewer,
        provider="microsoft",
        account="n@x",
        sync_state={"subscription": {"id": "sub-1", "client_state": "secret"}},
    )
    forged = {"value": [{"subscriptionId": "sub-1", "clientState": "guess"}]}

    assert client.post("/hooks/microsoft/not-a-uuid", forged, "application/json").status_code == 404
    assert client.post(f"/hooks/microsoft/{row.pk}", forged, "application/json").status_code == 404
    assert client.post(f"/hooks/microsoft/{row.pk}", "{", "application/json").status_code == 400
    assert client.post(f"/hooks/google/{row.pk}").status_code == 404
    assert not DBTaskResult.objects.filter(task_path__endswith="push_sync").exists()


def test_a_genuine_notification_queues_a_sync(company: Company, client: Client) -> None:
    row = CalendarConnection.objects.create(
        user=company.interviewer,
        provider="microsoft",
        account="n@x",
        sync_state={"subscription": {"id": "sub-1", "client_state": "secret"}},
    )
    body = {"value": [{"subscriptionId": "sub-1", "clientState": "secret"}]}

    response = client.post(f"/hooks/microsoft/{row.pk}", body, "application/json")

    assert response.status_code == 202
    queued = DBTaskResult.objects.get(task_path__endswith="calendar_connection_push_sync")
    assert queued.args_kwargs["kwargs"] == {"connection_id": str(row.pk)}


def test_a_deeply_nested_notification_is_a_400(company: Company, client: Client) -> None:
    row = CalendarConnection.objects.create(
        user=company.interviewer,
        provider="microsoft",
        account="n@x",
        sync_state={"subscription": {"id": "sub-1", "client_state": "secret"}},
    )
    deep = '{"value": ' + "[" * 20_000 + "]" * 20_000 + "}"

    response = client.post(f"/hooks/microsoft/{row.pk}", deep, "application/json")

    assert response.status_code == 400
    assert b"nests deeper" in response.content
    assert not DBTaskResult.objects.filter(task_path__endswith="push_sync").exists()
