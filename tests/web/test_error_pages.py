"""Error pages: branded, in the candidate's language under /s/, English for the team, JSON
for JSON clients, and never Django's debug page or its bare "Server Error (500)"."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext

from hireslot.accounts.services import organization_brand_update
from hireslot.core.views import server_error
from tests.scheduling.conftest import Company

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.error_urls")]

TOKEN = "A" * 43  # well formed, matches no request


@override_settings(DEBUG=False)
def test_a_mistyped_link_is_the_branded_404_never_the_debug_page(client: Client) -> None:
    response = client.get("/no-such-page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in body
    assert '<html lang="en" dir="ltr">' in body
    assert 'href="/"' in body  # the team can go back to work
    assert "Using the URLconf" not in body and "Traceback" not in body


@override_settings(DEBUG=False)
def test_a_broken_candidate_link_is_a_404_in_the_browsers_language(client: Client) -> None:
    response = client.get(f"/s/{TOKEN}", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")

    body = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="es" dir="ltr">' in body
    assert response["Content-Language"] == "es"
    assert "<h1>Este enlace no funciona</h1>" in body
    assert 'href="/"' not in body  # a candidate's only way in is their link


@override_settings(DEBUG=False)
def test_right_to_left_languages_get_a_right_to_left_page(client: Client) -> None:
    body = client.get(f"/s/{TOKEN}", HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert '<html lang="ar" dir="rtl">' in body


@override_settings(DEBUG=False)
def test_under_a_real_link_the_page_has_the_organizations_brand_and_the_candidates_language(
    client: Client, company: Company, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    organization_brand_update(
        organization=company.organization, accent_color="#FFD400", sender_name=""
    )
    company.candidate.language = "fr"
    company.candidate.save()
    path = company.send().link.split("://", 1)[1].split("/", 1)[1]

    response = client.get(f"/{path}/no-such-thing", HTTP_ACCEPT_LANGUAGE="de")

    body = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fr"' in body
    assert '<span class="name">Acme acme</span>' in body
    assert "border-bottom: 4px solid #ffd400" in body
    assert "color: #111827" in body  # dark text on the yellow accent


@override_settings(DEBUG=False)
def test_json_clients_get_json_errors(client: Client) -> None:
    slots = client.get(f"/s/{TOKEN}/slots?from=2026-03-03&to=2026-03-04")
    api = client.get("/api/v1/nothing")
    asked = client.get("/nothing", HTTP_ACCEPT="application/json")

    for response in (slots, api, asked):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
    assert slots.json() == {"error": "This link does not work"}
    assert asked.json() == {"error": "Page not found"}
    assert api.json() == {"detail": "Page not found"}  # the REST API's error shape


@override_settings(DEBUG=False)
def test_403_and_400_pages(client: Client) -> None:
    forbidden = client.get("/forbidden")
    odd = client.get(f"/s/{TOKEN}/suspicious", HTTP_ACCEPT_LANGUAGE="ja")

    assert forbidden.status_code == 403
    assert "<h1>You cannot open this page</h1>" in forbidden.content.decode()
    assert odd.status_code == 400
    assert '<html lang="ja"' in odd.content.decode()


@override_settings(DEBUG=False)
def test_a_bug_is_a_self_contained_500_page_in_the_candidates_language() -> None:
    client = Client(raise_request_exception=False)

    team = client.get("/boom")
    candidate = client.get(f"/s/{TOKEN}/boom", HTTP_ACCEPT_LANGUAGE="pt-BR")

    for response, title in ((team, "Something went wrong"), (candidate, "Algo deu errado")):
        body = response.content.decode()
        assert response.status_code == 500
        assert f"<h1>{title}</h1>" in body
        assert "Server Error (500)" not in body and "a bug" not in body
        # Nothing it needs can fail to load: styles inline, no stylesheet or script.
        assert "<style" in body and 'rel="stylesheet"' not in body and "<script" not in body
        assert response["Content-Security-Policy"]
    assert '<html lang="pt-br"' in candidate.content.decode()
    assert '<html lang="en"' in team.content.decode()


def test_the_500_page_reads_nothing_from_the_database() -> None:
    request = RequestFactory().get(f"/s/{TOKEN}", HTTP_ACCEPT_LANGUAGE="fr")

    with CaptureQueriesContext(connection) as queries:
        response = server_error(request)

    assert response.status_code == 500
    assert len(queries) == 0
    assert '<html lang="fr"' in response.content.decode()


def test_production_never_runs_with_debug_even_when_asked() -> None:
    env = {
        **os.environ,
        "HIRESLOT_ENV": "production",
        "DEBUG": "true",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "hireslot.example",
        "HIRESLOT_BASE_URL": "https://hireslot.example",
        "DATABASE_URL": "sqlite:////tmp/hireslot-error-pages-test.sqlite3",
        "EMAIL_URL": "smtp://127.0.0.1:2525",
        "DJANGO_SETTINGS_MODULE": "hireslot.settings",
    }
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"

    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )

    assert result.stdout.strip() == "False", result.stderr


@override_settings(DEBUG=False)
def test_a_form_posted_without_its_csrf_token_gets_the_branded_page_in_the_candidates_language(
    company: Company,
) -> None:
    path = company.send().link.split("://", 1)[1].split("/", 1)[1]
    client = Client(enforce_csrf_checks=True)

    response = client.post(
        f"/{path}/book", {"start": "2026-03-03T15:00:00Z"}, HTTP_ACCEPT_LANGUAGE="de"
    )

    body = response.content.decode()
    assert response.status_code == 403
    assert '<html lang="de"' in body
    assert "<h1>Bitte versuchen Sie es erneut</h1>" in body
    assert "CSRF verification failed" not in body
