"""The self-schedule template form: choices limited to the organization's own templates and
members; the model's ``clean`` refuses unusable conferencing, a missing phone number or stage."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME

from hireslot.accounts.models import User
from hireslot.accounts.tenancy import scoped
from hireslot.conferencing.providers import ConferencingKind
from hireslot.messaging.forms import OrganizationTemplateForm, organization_members
from hireslot.messaging.models import EmailTemplate
from hireslot.recruiting.models import InterviewTemplate, TaskTemplate, WorkflowStage
from hireslot.scheduling.conference import conference_kind_problem
from hireslot.scheduling.follow_up_fields import (
    FOLLOW_UP_FIELDS,
    FOLLOW_UP_LABELS,
    WholeNumbersField,
)
from hireslot.scheduling.models import InterviewerPool, SelfScheduleTemplate


def _person_label(user: User) -> str:
    return f"{user.get_full_name()} ({user.email})" if user.full_name else user.email


class SelfScheduleTemplateForm(OrganizationTemplateForm[SelfScheduleTemplate]):
    # Each chosen pool is one more seat, filled at booking by one of its active members.
    pools = forms.ModelMultipleChoiceField(
        label="Plus one interviewer from each of these pools",
        queryset=InterviewerPool.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=(
            "Candidates see times when the people above and at least one active member of "
            "each pool are free; the fairest free member is chosen when they book."
        ),
    )

    # issue 17: reminders, nudges, no-shows, reschedule policy
    reminder_offsets_minutes = WholeNumbersField(
        required=False, label=FOLLOW_UP_LABELS["reminder_offsets_minutes"]
    )
    nudge_after_days = WholeNumbersField(required=False, label=FOLLOW_UP_LABELS["nudge_after_days"])

    class Meta:
        model = SelfScheduleTemplate
        fields = [
            "name",
            "email_template",
            "interview_template",
            "duration_minutes",
            "task_template",
            "interviewers",
            "include_hiring_manager",
            "conferencing",
            "phone_number",
            "workflow_action",
            "move_to_stage_name",
            "notify_sender",
            "notify_hiring_manager",
            "notify_interviewers",
            "notify_users",
            "link_expiry_days",
            "minimum_notice_minutes",
            "booking_horizon_days",
            "slot_interval_minutes",
            "change_cutoff_minutes",
            "ask_availability",
            "auto_schedule",
            *FOLLOW_UP_FIELDS,
        ]
        widgets = {
            "interviewers": forms.CheckboxSelectMultiple,
            "notify_users": forms.CheckboxSelectMultiple,
        }
        labels = {
            "duration_minutes": "Length (minutes)",
            "include_hiring_manager": "Include the job's hiring manager",
            "move_to_stage_name": "Stage to move to",
            "notify_sender": "Notify the person who sent the request",
            "notify_hiring_manager": "Notify the job's hiring manager",
            "notify_interviewers": "Notify the interviewers",
            "notify_users": "Also notify",
            "link_expiry_days": "Link expires after (days)",
            "minimum_notice_minutes": "Minimum notice (minutes)",
            "booking_horizon_days": "Booking horizon (days)",
            "slot_interval_minutes": "Offer a start time",
            "change_cutoff_minutes": "Changes allowed until (minutes before)",
            "ask_availability": "Ask for availability instead of offering times",
            "auto_schedule": "Book the earliest time that fits at once",
            **FOLLOW_UP_LABELS,
        }
        help_texts = {
            "interviewers": (
                "Several people make a panel: all of them must be free. With nobody chosen "
                "(and no hiring manager), the person who sends the request interviews."
            ),
            "move_to_stage_name": "The stage of that name in the candidate's job.",
            "ask_availability": (
                "The candidate shares when they could do; you book one of the times that fit "
                "everyone (the email should ask them to share when they are free)."
            ),
            "auto_schedule": (
                "When a candidate shares their availability, the earliest time inside it that "
                "the interviewers can do is booked and everyone is emailed."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.organization
        choices = {
            "email_template": scoped(EmailTemplate, organization),
            "interview_template": scoped(InterviewTemplate, organization),
            "task_template": scoped(TaskTemplate, organization),
            "nudge_email_template": scoped(EmailTemplate, organization),
        }
        for name, queryset in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset
        self.fields["task_template"].empty_label = "No task"  # type: ignore[attr-defined]
        # Left out of a post (an older form, an API-like client): the model's default stays.
        for name in ("nudge_unless_opened_hours", "no_show_follow_up"):
            self.fields[name].required = False
        self.fields["nudge_email_template"].empty_label = "The “Nudge” email template"  # type: ignore[attr-defined]
        for name in ("interviewers", "notify_users"):
            people = self.fields[name]
            assert isinstance(people, forms.ModelMultipleChoiceField)
            people.queryset = organization_members(organization)
            people.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        pools = self.fields["pools"]
        assert isinstance(pools, forms.ModelMultipleChoiceField)
        pools.queryset = scoped(InterviewerPool, organization)
        if self.instance.pk:
            pools.initial = [seat.pool_id for seat in self.instance.pool_seats.all()]
        # Offer the kinds of link this organization can make, and keep a saved one that it
        # cannot (saving then says why) rather than silently switching it.
        current = self.instance.conferencing if self.instance.pk else None
        usable = {
            kind
            for kind in ConferencingKind.values
            if kind == ConferencingKind.PHONE
            or conference_kind_problem(kind=kind, organization=organization) is None
        }
        conferencing = self.fields["conferencing"]
        assert isinstance(conferencing, forms.ChoiceField)
        conferencing.choices = [
            (kind, label if kind in usable else f"{label} (not set up)")
            for kind, label in ConferencingKind.choices
            if kind in usable or kind == current
        ]
        # The stage is picked from the stages the organization's jobs have (a template serves
        # every job), keeping a saved name no job has any more so saving can say why.
        names = sorted(
            set(
                WorkflowStage.objects.filter(organization=organization).values_list(
                    "name", flat=True
                )
            ),
            key=str.lower,
        )
        saved = self.instance.move_to_stage_name if self.instance.pk else ""
        if saved and saved not in names:
            names.append(saved)
        self.fields["move_to_stage_name"].widget = forms.Select(
            choices=[("", "Choose a stage"), *[(name, name) for name in names]]
        )
        # Plain words where Django would show "---------".
        for name, words in (
            ("email_template", "Choose an email template"),
            ("interview_template", "Choose an interview template"),
        ):
            self.fields[name].empty_label = words  # type: ignore[attr-defined]


class LoopSessionForm(forms.Form):
    """One session of a loop, as a row of the sessions page (``loop_template_save`` checks
    the rest: somebody in it, lengths and breaks in range, usable conferencing)."""

    interview_template = forms.ModelChoiceField(
        label="Interview", queryset=InterviewTemplate.objects.none()
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)", required=False, min_value=5, max_value=8 * 60
    )
    interviewers = forms.ModelMultipleChoiceField(
        label="People", queryset=User.objects.none(), required=False
    )
    include_hiring_manager = forms.BooleanField(label="The job's hiring manager", required=False)
    pools = forms.ModelMultipleChoiceField(
        label="One member of each pool", queryset=InterviewerPool.objects.none(), required=False
    )
    gap_after_minutes = forms.IntegerField(
        label="Break after (minutes)", min_value=0, max_value=4 * 60, initial=0
    )
    conferencing = forms.ChoiceField(
        label="Video", required=False, choices=[("", "The template's"), *ConferencingKind.choices]
    )

    def __init__(self, *args: Any, organization: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["interview_template"]
        assert isinstance(kind, forms.ModelChoiceField)
        kind.queryset = scoped(InterviewTemplate, organization)
        people = self.fields["interviewers"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        people.queryset = organization_members(organization)
        people.label_from_instance = _person_label  # type: ignore[method-assign,assignment]
        pools = self.fields["pools"]
        assert isinstance(pools, forms.ModelMultipleChoiceField)
        pools.queryset = scoped(InterviewerPool, organization)


class LoopSessionRows(forms.BaseFormSet):  # type: ignore[type-arg]
    """The sessions page's rows: each with its position (rows are saved in that order, blank
    ones where they stand; the page's Move up/down buttons rewrite them) and a box to remove
    it."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        position = form.fields[ORDERING_FIELD_NAME]
        position.label = "Position"
        position.help_text = "Sessions run in this order (1 first)."
        form.fields[DELETION_FIELD_NAME].label = "Remove this session"


LoopSessionFormSet = forms.formset_factory(
    LoopSessionForm,
    formset=LoopSessionRows,
    extra=1,
    can_delete=True,
    can_order=True,
    max_num=10,
)


class LoopSettingsForm(forms.ModelForm[SelfScheduleTemplate]):
    class Meta:
        model = SelfScheduleTemplate
        fields = ["loop_calendar", "loop_conference", "loop_show_names"]
        labels = {
            "loop_calendar": "The candidate's calendar shows",
            "loop_conference": "Video links",
            "loop_show_names": "Name the people on the candidate's agenda",
        }
