"""An email template's language versions on the way out: a candidate who reads Spanish gets
the Spanish version, everyone else the template's own text, in single sends, bulk sends and
resends; text a recruiter edited for one send still wins; a bulk send reads the versions once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hireslot.core.errors import HireSlotError
from hireslot.messaging.email_templates import (
    email_template_translation_save,
    email_text_for,
)
from hireslot.messaging.models import EmailTemplateTranslation, OutgoingEmail
from hireslot.recruiting.models import Application
from hireslot.recruiting.services import application_create, candidate_create, candidate_update
from hireslot.scheduling.models import BulkSend, SchedulingRequest
from hireslot.scheduling.services import scheduling_request_resend, scheduling_request_send
from hireslot.scheduling.services.bulk import bulk_send_run, bulk_send_start
from hireslot.scheduling.services.templates import template_duplicate

from .conftest import Company

SPANISH_SUBJECT = "Elige una hora para tu {{ interview.name }}, {{ candidate.first_name }}"
SPANISH_BODY = "Hola {{ candidate.first_name }}:\n\nReserva aquí: {{ scheduling_link }}\n"


def spanish_version(company: Company) -> EmailTemplateTranslation:
    return email_template_translation_save(
        translation=EmailTemplateTranslation(
            template=company.template.email_template,
            language="es",
            subject=SPANISH_SUBJECT,
            body=SPANISH_BODY,
        )
    )


def applicants(company: Company, languages: list[str], *, start: int = 0) -> list[Application]:
    return [
        application_create(
            candidate=candidate_create(
                organization=company.organization,
                first_name=f"Cand{number:04d}",
                email=f"cand{number}@example.com",
                language=language,
            ),
            job=company.application.job,
            actor=company.recruiter,
        )
        for number, language in enumerate(languages, start=start)
    ]


def bulk_send(company: Company, applications: list[Application]) -> BulkSend:
    bulk = bulk_send_start(
        organization=company.organization,
        template=company.template,
        applications=applications,
        sender=company.recruiter,
    )
    bulk_send_run(bulk_send_id=str(bulk.pk))
    return bulk


def test_a_spanish_reader_gets_the_spanish_version(company: Company) -> None:
    spanish_version(company)
    candidate_update(candidate=company.candidate, language="es")

    sent = company.send()

    email = OutgoingEmail.objects.get(candidate=company.candidate)
    assert email.subject == "Elige una hora para tu Manager Interview, Ada"
    assert email.body_text == f"Hola Ada:\n\nReserva aquí: {sent.link}\n"


def test_a_candidate_without_a_language_or_with_another_gets_the_default(
    company: Company,
) -> None:
    spanish_version(company)
    french = applicants(company, ["fr"])[0]

    company.send()
    scheduling_request_send(application=french, template=company.template, sender=company.recruiter)

    subjects = list(OutgoingEmail.objects.values_list("subject", flat=True))
    assert subjects == ["Pick a time for your Manager Interview with Acme acme"] * 2


def test_text_edited_for_one_send_wins_over_the_version(company: Company) -> None:
    spanish_version(company)
    candidate_update(candidate=company.candidate, language="es")

    scheduling_request_send(
        application=company.application,
        template=company.template,
        sender=company.recruiter,
        subject="Solo para ti, {{ candidate.first_name }}",
    )

    email = OutgoingEmail.objects.get()
    assert email.subject == "Solo para ti, Ada"
    assert email.body_text.startswith("Hola Ada:")  # the body was not edited: the version's


def test_a_resend_uses_the_candidates_language_as_it_is_now(company: Company) -> None:
    spanish_version(company)
    request = company.send().request
    candidate_update(candidate=company.candidate, language="es")

    scheduling_request_resend(request=request, actor=company.recruiter)

    request.refresh_from_db()
    assert request.email is not None
    assert request.email.subject == "Elige una hora para tu Manager Interview, Ada"


def test_a_bulk_send_mixing_languages_gives_each_their_own(company: Company) -> None:
    spanish_version(company)
    applications = applicants(company, ["es", "", "fr", "es", "pt-br"])

    bulk = bulk_send(company, applications)

    subjects = {
        row.application.candidate.language: row.email.subject
        for row in SchedulingRequest.objects.filter(bulk_send=bulk).select_related(
            "application__candidate", "email"
        )
        if row.email is not None
    }
    assert subjects["es"].startswith("Elige una hora para tu Manager Interview, Cand")
    for language in ("", "fr", "pt-br"):
        assert subjects[language].startswith("Pick a time for your Manager Interview")


def test_a_bulk_send_reads_the_versions_once(company: Company) -> None:
    """Candidates of mixed languages cost what candidates without one do: the versions are
    read at the first candidate with a language, once per run."""
    spanish_version(company)
    few = applicants(company, ["es", "", "fr"])
    many = applicants(company, ["es", "", "fr", "de", "pt-br", "ja", "ar", "es"] * 3, start=100)
    small, large = (
        bulk_send_start(
            organization=company.organization,
            template=company.template,
            applications=applications,
            sender=company.recruiter,
        )
        for applications in (few, many)
    )

    with CaptureQueriesContext(connection) as small_run:
        bulk_send_run(bulk_send_id=str(small.pk))
    with CaptureQueriesContext(connection) as large_run:
        bulk_send_run(bulk_send_id=str(large.pk))

    per_candidate = 10  # as without languages (tests/scheduling/test_bulk.py)
    assert len(large_run.captured_queries) - len(small_run.captured_queries) == 21 * per_candidate
    version_reads = [
        query
        for query in large_run.captured_queries
        if "messaging_emailtemplatetranslation" in query["sql"]
    ]
    assert len(version_reads) == 1


def test_a_version_with_a_bad_merge_field_is_refused_when_saved(company: Company) -> None:
    with pytest.raises(ValidationError) as error:
        email_template_translation_save(
            translation=EmailTemplateTranslation(
                template=company.template.email_template,
                language="es",
                subject="Hola {{ candidate.salary }}",
                body="{{ scheduling_link }}",
            )
        )

    assert "Unknown merge field: candidate.salary" in str(error.value)
    assert not EmailTemplateTranslation.objects.exists()


def test_a_second_version_of_the_same_language_is_refused(company: Company) -> None:
    spanish_version(company)

    with pytest.raises(HireSlotError, match="already has a Español version"):
        spanish_version(company)


def test_versions_are_deleted_with_their_template_and_copied_with_it(company: Company) -> None:
    spanish_version(company)
    template = company.template.email_template

    copy = template_duplicate(template=template)

    assert email_text_for(template=copy, language="es").subject == SPANISH_SUBJECT
    copy.delete()
    assert EmailTemplateTranslation.objects.filter(template=template).count() == 1
