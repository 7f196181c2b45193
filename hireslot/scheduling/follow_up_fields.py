"""Form fields for a template's reminders, nudges, no-shows and reschedule policy (issue 17):
lists of whole numbers typed as "1440, 60"."""

from __future__ import annotations

from typing import Any

from django import forms

FOLLOW_UP_FIELDS = [
    "reminder_offsets_minutes",
    "remind_interviewers",
    "reminder_texts",
    "nudge_after_days",
    "nudge_email_template",
    "nudge_unless_opened_hours",
    "no_show_follow_up",
    "no_show_stage_name",
    "max_candidate_reschedules",
    "candidate_reason_required",
    "notify_sender_on_expiry",
]

FOLLOW_UP_LABELS = {
    "reminder_offsets_minutes": "Remind the candidate (minutes before the start)",
    "remind_interviewers": "Remind the interviewers too",
    "reminder_texts": "Also text candidates who agree to text messages",
    "nudge_after_days": "Nudge a candidate who has not booked (days after sending)",
    "nudge_email_template": "Nudge email",
    "nudge_unless_opened_hours": "No nudge if they opened the link within (hours)",
    "no_show_follow_up": "When the candidate does not come",
    "no_show_stage_name": "Stage for no-shows",
    "max_candidate_reschedules": "Candidates may reschedule at most (times)",
    "candidate_reason_required": "Candidates must give a reason to reschedule or cancel",
    "notify_sender_on_expiry": "Tell the sender when the link expires unused",
}


class WholeNumbersField(forms.CharField):
    """``[1440, 60]`` shown and typed as ``1440, 60``; empty is an empty list."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return ", ".join(str(number) for number in value)
        return value

    def to_python(self, value: Any) -> list[int]:  # type: ignore[override]
        text = super().to_python(value)
        if isinstance(text, list):
            return text
        parts = [part.strip() for part in str(text or "").replace(";", ",").split(",")]
        try:
            return [int(part) for part in parts if part]
        except ValueError:
            raise forms.ValidationError(
                "Whole numbers separated by commas, e.g. 1440, 60."
            ) from None
