"""An email template's language versions in the editor: add one (prefilled with the template's
text), edit it, see it in the template's page and the list, delete it; the same merge-field
picker, live preview and validation as the template; and the compose drawer showing the
version the candidate's language picks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from hireslot.accounts.models import Role
from hireslot.accounts.services import membership_add
from hireslot.messaging.email_templates import email_template_translation_save
from hireslot.messaging.merge_fields import MERGE_FIELDS
from hireslot.messaging.models import EmailTemplateTranslation, OutgoingEmail
from hireslot.recruiting.services import candidate_update
from tests.browser import chromium_page
from tests.scheduling.conftest import Company, company_build, person


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def field_error(html: str, field: str) -> str:
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</p>', html, re.DOTALL)
    return match.group(1) if match else ""


def spanish(company: Company) -> EmailTemplateTranslation:
    return email_template_translation_save(
        translation=EmailTemplateTranslation(
            template=company.template.email_template,
            language="es",
            subject="Hola {{ candidate.first_name }}",
            body="Reserva aquí: {{ scheduling_link }}",
        )
    )


def test_adding_a_version_starts_from_the_templates_text_with_picker_and_preview(
    company: Company,
) -> None:
    template = company.template.email_template

    html = (
        logged_in(company.recruiter)
        .get(f"/templates/email/{template.pk}/languages/new/?language=fr")
        .content.decode()
    )

    assert f"New language version of “{template.name}”" in html
    assert '<option value="fr" selected>Français</option>' in html
    assert template.subject.replace("'", "&#x27;") in html
    for field in MERGE_FIELDS:
        assert f'data-merge-field="{field}"' in html
    assert 'hx-post="/templates/email/preview/"' in html
    assert 'id="email-template-form"' in html
    assert "hireslot/template_editor.js" in html
    assert "As sent to the sample candidate" in html  # the preview of the prefilled text


def test_a_saved_version_shows_on_the_template_and_in_the_list(company: Company) -> None:
    template = company.template.email_template
    client = logged_in(company.recruiter)

    response = client.post(
        f"/templates/email/{template.pk}/languages/new/",
        {"language": "es", "subject": "Hola {{ candidate.first_name }}", "body": "Reserva"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/templates/email/{template.pk}/"
    version = EmailTemplateTranslation.objects.get(template=template)
    assert (version.language, version.organization) == ("es", company.organization)
    editor = client.get(f"/templates/email/{template.pk}/").content.decode()
    assert "Language versions" in editor
    assert f'href="/templates/email/{template.pk}/languages/es/"' in editor
    assert "Español" in editor
    assert "Also in Español" in client.get("/templates/").content.decode()


def test_a_bad_merge_field_in_a_version_is_shown_and_nothing_is_saved(company: Company) -> None:
    template = company.template.email_template

    response = logged_in(company.recruiter).post(
        f"/templates/email/{template.pk}/languages/new/",
        {"language": "es", "subject": "Hola", "body": "Hola {{ candidate.salary }}"},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "Unknown merge field: candidate.salary" in field_error(html, "body")
    assert not EmailTemplateTranslation.objects.exists()


def test_a_language_with_a_version_is_not_offered_again(company: Company) -> None:
    spanish(company)
    template = company.template.email_template
    client = logged_in(company.recruiter)

    html = client.get(f"/templates/email/{template.pk}/languages/new/").content.decode()
    response = client.post(
        f"/templates/email/{template.pk}/languages/new/",
        {"language": "es", "subject": "Otra", "body": "Otra"},
    )

    assert 'value="es"' not in html and 'value="fr"' in html
    assert response.status_code == 400
    assert "Select a valid choice" in field_error(response.content.decode(), "language")
    assert EmailTemplateTranslation.objects.get().subject == "Hola {{ candidate.first_name }}"


def test_editing_a_version_keeps_its_language(company: Company) -> None:
    spanish(company)
    template = company.template.email_template

    response = logged_in(company.recruiter).post(
        f"/templates/email/{template.pk}/languages/es/",
        {"language": "de", "subject": "Buenas, {{ candidate.first_name }}", "body": "Reserva"},
    )

    assert response.status_code == 302
    version = EmailTemplateTranslation.objects.get()
    assert (version.language, version.subject) == ("es", "Buenas, {{ candidate.first_name }}")


def test_deleting_a_version_asks_first_and_leaves_the_template(company: Company) -> None:
    spanish(company)
    template = company.template.email_template
    client = logged_in(company.recruiter)
    url = f"/templates/email/{template.pk}/languages/es/delete/"

    question = client.get(url)
    response = client.post(url)

    assert "Delete the Español version of" in question.content.decode()
    assert EmailTemplateTranslation.objects.exists() is False
    assert response.status_code == 302
    template.refresh_from_db()  # still there


def test_a_template_in_use_is_still_refused_with_its_versions_kept(company: Company) -> None:
    spanish(company)
    template = company.template.email_template

    response = logged_in(company.recruiter).post(f"/templates/email/{template.pk}/delete/")

    assert response.status_code == 409
    assert EmailTemplateTranslation.objects.filter(template=template).exists()


def test_versions_of_another_organization_or_missing_ones_are_not_found(
    company: Company,
) -> None:
    other = company_build("globex")
    template = company.template.email_template
    client = logged_in(other.recruiter)

    assert client.get(f"/templates/email/{template.pk}/languages/new/").status_code == 404
    spanish(company)
    assert client.get(f"/templates/email/{template.pk}/languages/es/").status_code == 404
    mine = logged_in(company.recruiter)
    assert mine.get(f"/templates/email/{template.pk}/languages/fr/").status_code == 404
    assert mine.get(f"/templates/email/{template.pk}/languages/xx/delete/").status_code == 404


def test_interviewers_cannot_reach_the_version_editor(company: Company) -> None:
    template = company.template.email_template
    viewer = person("ivy@acme.example", "Ivy Ito", "UTC")
    membership_add(user=viewer, organization=company.organization, role=Role.INTERVIEWER)

    response = logged_in(viewer).get(f"/templates/email/{template.pk}/languages/new/")

    assert response.status_code == 403


def test_the_compose_drawer_shows_the_version_of_the_candidates_language(
    company: Company,
) -> None:
    spanish(company)
    candidate_update(candidate=company.candidate, language="es")
    client = logged_in(company.recruiter)
    compose = f"/applications/{company.application.pk}/self-schedule/compose/"

    html = client.get(compose, {"template": company.template.pk}).content.decode()
    client.post(
        f"/applications/{company.application.pk}/self-schedule/",
        {
            "template": company.template.pk,
            "subject": "Hola {{ candidate.first_name }}",
            "body": "Reserva aquí: {{ scheduling_link }}",
        },
    )

    assert "Español version, the candidate" in html
    assert 'value="Hola {{ candidate.first_name }}"' in html
    assert "<strong>Subject:</strong> Hola Ada" in html  # the preview
    email = OutgoingEmail.objects.get()
    assert email.subject == "Hola Ada" and email.body_text.startswith("Reserva aquí: http")


@pytest.fixture
def page() -> Iterator[Any]:
    yield from chromium_page()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_recruiter_adds_a_spanish_version_with_the_picker_and_preview(
    page: Any, live_server: Any
) -> None:
    from playwright.sync_api import expect

    company = company_build()
    template = company.template.email_template
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(company.recruiter.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()

    # Given the email template's editor, the recruiter adds a language version
    page.goto(f"{live_server.url}/templates/email/{template.pk}/")
    page.get_by_role("link", name="Add a language version").click()
    page.get_by_label("Language", exact=True).select_option("es")

    # When they write the Spanish subject with the picker
    subject = page.get_by_label("Subject")
    subject.fill("Hola ")
    page.get_by_role("button", name=re.compile("Candidate's first name")).click()
    expect(subject).to_have_value("Hola {{ candidate.first_name }}")

    # Then the preview follows, and a wrong field is caught before saving
    preview = page.locator("#email-preview")
    expect(preview).to_contain_text("Subject: Hola Ada")
    page.get_by_label("Body").fill("{{ candidate.apodo }}")
    expect(preview).to_contain_text("Unknown merge field: candidate.apodo")
    page.get_by_label("Body").fill("Reserva: {{ scheduling_link }}")
    page.get_by_role("button", name="Add this version").click()

    # And the template lists its Spanish version
    expect(page.get_by_role("status")).to_contain_text("Saved the Español version")
    expect(page.get_by_role("link", name="Español", exact=True)).to_be_visible()
    assert EmailTemplateTranslation.objects.get().body == "Reserva: {{ scheduling_link }}"
