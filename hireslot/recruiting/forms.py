"""Forms for candidates, and for task and interview templates."""

from __future__ import annotations

from typing import Any

from django import forms

from hireslot.core.languages import CANDIDATE_LANGUAGES
from hireslot.messaging.forms import OrganizationTemplateForm, organization_members
from hireslot.recruiting.models import Candidate, InterviewTemplate, TaskTemplate
from hireslot.recruiting.services import CANDIDATE_EDITABLE


class CandidateForm(forms.ModelForm[Candidate]):
    """A candidate's contact details, time zone and language, as a recruiter edits them."""

    class Meta:
        model = Candidate
        fields = list(CANDIDATE_EDITABLE)
        labels = {"language": "Language"}
        help_texts = {
            "language": "The scheduling page and the emails HireSlot writes use it, and email "
            "templates send their version in it when they have one. Blank: the language of "
            "the candidate's browser.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = [("", "From the candidate's browser"), *CANDIDATE_LANGUAGES]


class TaskTemplateForm(OrganizationTemplateForm[TaskTemplate]):
    class Meta:
        model = TaskTemplate
        fields = ["name", "title", "description", "assignee_rule", "assignee", "due_offset_days"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "title": "Merge fields such as {{ candidate.name }} are filled in per candidate.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)
        assignee.queryset = organization_members(self.organization)
        assignee.label_from_instance = lambda user: user.get_full_name()  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        rule = cleaned.get("assignee_rule")
        if rule == TaskTemplate.AssigneeRule.SPECIFIC_USER and not cleaned.get("assignee"):
            self.add_error("assignee", "Choose the person the task is for.")
        elif rule and rule != TaskTemplate.AssigneeRule.SPECIFIC_USER:
            cleaned["assignee"] = None  # only the specific-person rule names someone
        return cleaned


class InterviewTemplateForm(OrganizationTemplateForm[InterviewTemplate]):
    class Meta:
        model = InterviewTemplate
        fields = ["name", "duration_minutes", "instructions", "questions"]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 6}),
            "questions": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {"duration_minutes": "Length (minutes)"}
        help_texts = {"instructions": "Shown to interviewers on the page their event links to."}
