"""Forms for recruiter-written email templates and their language versions, and the base
every template form shares."""

from __future__ import annotations

from typing import Any, TypeVar

from django import forms
from django.db.models import Model, QuerySet

from hireslot.accounts.models import Organization, User
from hireslot.accounts.tenancy import scoped
from hireslot.core.languages import CANDIDATE_LANGUAGES
from hireslot.messaging.models import EmailTemplate, EmailTemplateTranslation

M = TypeVar("M", bound=Model)


def organization_members(organization: Organization) -> QuerySet[User]:
    """The people a template may name: members of ``organization`` only."""
    return User.objects.filter(memberships__organization=organization).order_by(
        "full_name", "email"
    )


class OrganizationTemplateForm(forms.ModelForm[M]):
    """A template of one organization: its name is unique there, and the model's own
    validation (``full_clean``) runs with the organization set."""

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.instance.organization = organization  # type: ignore[attr-defined]

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = scoped(type(self.instance), self.organization).filter(name=name)
        if self.instance.pk is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(
                "Another template of this kind already has this name; choose a different one."
            )
        return name


class EmailTemplateForm(OrganizationTemplateForm[EmailTemplate]):
    class Meta:
        model = EmailTemplate
        fields = ["name", "subject", "body"]
        widgets = {
            "subject": forms.TextInput(attrs={"data-merge-target": ""}),
            "body": forms.Textarea(attrs={"rows": 14, "data-merge-target": ""}),
        }
        help_texts = {
            "subject": "Merge fields such as {{ candidate.first_name }} are filled in for each "
            "candidate.",
        }


class EmailTemplateTranslationForm(forms.ModelForm[EmailTemplateTranslation]):
    """One language version of an email template: the language is chosen when it is added
    (among those the template has no version of yet) and fixed afterwards."""

    class Meta:
        model = EmailTemplateTranslation
        fields = ["language", "subject", "body"]
        widgets = EmailTemplateForm.Meta.widgets
        help_texts = {
            "language": "Candidates whose language is this one get this version; everyone "
            "else gets the template's own text.",
            **EmailTemplateForm.Meta.help_texts,
        }

    def __init__(self, *args: Any, template: EmailTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.template = template
        self.instance.organization_id = template.organization_id
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        if not self.instance._state.adding:
            language.disabled = True
        else:
            taken = set(template.translations.values_list("language", flat=True))
            language.choices = [
                (code, label) for code, label in CANDIDATE_LANGUAGES if code not in taken
            ]
