"""An email template's language versions: which text a candidate gets, and writing versions.

A recruiter writes a template once (its own text, in whatever language they write in) and
may add a version per candidate language. A candidate whose ``language`` has a version gets
it; everyone else, and every candidate whose language is blank, gets the template's own text.
The text is never machine-translated: what the recruiter wrote is what is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from hireslot.core.errors import HireSlotError
from hireslot.messaging.models import EmailTemplate, EmailTemplateTranslation


@dataclass(frozen=True)
class EmailText:
    """The subject and body to render for one candidate; ``language`` is "" for the
    template's own text."""

    subject: str
    body: str
    language: str = ""


def email_template_text(template: EmailTemplate) -> EmailText:
    return EmailText(subject=template.subject, body=template.body)


def email_template_versions(*, template: EmailTemplate) -> dict[str, EmailText]:
    """Every language version of ``template`` by language code, in one query (or none when
    ``translations`` was prefetched)."""
    return {
        row.language: EmailText(subject=row.subject, body=row.body, language=row.language)
        for row in template.translations.all()
    }


def email_text_for(*, template: EmailTemplate, language: str) -> EmailText:
    """The text for a reader of ``language``: its version, else the template's own text.
    A blank language asks nothing of the database."""
    if language:
        version = email_template_versions(template=template).get(language)
        if version is not None:
            return version
    return email_template_text(template)


@transaction.atomic
def email_template_translation_save(
    *, translation: EmailTemplateTranslation
) -> EmailTemplateTranslation:
    """Create or update one language version after validating it as the template is (merge
    fields, one-line subject); a second version of the same language is refused."""
    translation.organization_id = translation.template.organization_id
    translation.full_clean(validate_unique=False, validate_constraints=False)
    taken = EmailTemplateTranslation.objects.filter(
        template_id=translation.template_id, language=translation.language
    ).exclude(pk=translation.pk)
    if taken.exists():
        raise HireSlotError(_duplicate_message(translation))
    try:
        with transaction.atomic():
            translation.save()
    except IntegrityError as error:  # the same language added at the same moment
        raise HireSlotError(_duplicate_message(translation)) from error
    return translation


def _duplicate_message(translation: EmailTemplateTranslation) -> str:
    return (
        f"“{translation.template.name}” already has a {translation.get_language_display()} "
        "version; edit that one instead."
    )


def email_template_translation_delete(*, translation: EmailTemplateTranslation) -> None:
    """Delete one language version; its readers get the template's own text from now on.
    Nothing refers to a version, so this is never refused."""
    translation.delete()
