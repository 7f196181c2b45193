"""Every response carries the browser-side policy: a Content-Security-Policy without inline
script, a Permissions-Policy, and no-store wherever candidate data or a candidate link is."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client

from tests.scheduling.conftest import Company

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def policy_of(response: object) -> dict[str, str]:
    header = response["Content-Security-Policy"]  # type: ignore[index]
    return {
        part.split(" ", 1)[0]: part.split(" ", 1)[1] if " " in part else ""
        for part in (p.strip() for p in header.split(";"))
    }


def test_the_policy_allows_our_own_scripts_only(client: Client) -> None:
    response = client.get("/accounts/login/")

    policy = policy_of(response)
    assert policy["script-src"] == "'self'"
    assert "unsafe" not in response["Content-Security-Policy"]
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    # "Connect" buttons post to us and are redirected to the providers' sign-in pages.
    assert policy["form-action"].split() == [
        "'self'",
        "https://accounts.google.com",
        "https://login.microsoftonline.com",
        "https://zoom.us",
    ]
    assert "camera=()" in response["Permissions-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_the_candidate_page_is_never_stored_and_its_style_carries_the_nonce(
    company: Company, client: Client
) -> None:
    token = company.send().link.rsplit("/", 1)[1]

    response = client.get(f"/s/{token}")

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    nonce = re.search(r"'nonce-([^']+)'", policy_of(response)["style-src"])
    assert nonce is not None
    assert f'<style nonce="{nonce.group(1)}">' in response.content.decode()
    assert "<script>" not in response.content.decode()
    for suffix in ("/slots?from=2026-03-03&to=2026-03-03", "/nope"):
        assert "no-store" in client.get(f"/s/{token}{suffix}")["Cache-Control"]
    assert (
        client.get(f"/s/{token}")["Content-Security-Policy"] != response["Content-Security-Policy"]
    )  # a fresh nonce per response


def test_signed_in_pages_and_partials_are_never_stored(
    company: Company, client: Client, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    client.force_login(company.recruiter)
    company.organization.logo.save("logo.png", ContentFile(PNG))

    pages = [
        "/",
        f"/candidates/{company.candidate.pk}/",
        f"/applications/{company.application.pk}/self-schedule/compose/",
        "/settings/",
    ]
    for path in pages:
        response = client.get(path, HTTP_HX_REQUEST="true" if "compose" in path else "")
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    # An organization's logo is public (it brands the candidate's page): cacheable.
    logo = client.get(f"/branding/{company.organization.slug}/logo")
    assert logo["Cache-Control"] == "public, max-age=3600"
