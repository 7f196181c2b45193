"""My Settings and organization defaults: plain forms whose cleaned data go to services."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from hireslot.accounts.branding import accent_problem, color_normalize
from hireslot.accounts.models import AvailabilityRules, Role
from hireslot.accounts.working_hours import WEEKDAYS, hours_format, hours_parse
from hireslot.core.timezones import is_known_time_zone, time_zone_choices

# A duration is typed as an amount and a unit, and stored in minutes.
DURATION_UNITS: tuple[tuple[str, int], ...] = (("minutes", 1), ("hours", 60), ("days", 60 * 24))


def duration_text(minutes: int) -> str:
    """``minutes`` in the largest unit that says it exactly: 1440 → "1 day"."""
    for unit, size in reversed(DURATION_UNITS):
        if minutes and minutes % size == 0:
            amount = minutes // size
            return f"{amount} {unit if amount != 1 else unit[:-1]}"
    return f"{minutes} minutes"


class DurationWidget(forms.MultiWidget):
    """An amount and a unit (minutes, hours, days)."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, unit_label: str = "Unit") -> None:
        super().__init__(
            [
                forms.NumberInput(attrs={"inputmode": "numeric", "min": "0", "class": "amount"}),
                forms.Select(
                    choices=[(unit, unit) for unit, _ in DURATION_UNITS],
                    attrs={"aria-label": unit_label, "class": "unit"},
                ),
            ],
            attrs,
        )

    def id_for_label(self, id_: str) -> str:
        # The label names the amount (the unit select has its own aria-label).
        return f"{id_}_0" if id_ else id_

    def decompress(self, value: Any) -> list[Any]:
        if value in (None, ""):
            return [None, "minutes"]
        minutes = int(value)
        for unit, size in reversed(DURATION_UNITS):
            if minutes and minutes % size == 0:
                return [minutes // size, unit]
        return [minutes, "minutes"]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if name in data:  # a plain number of minutes, as the form posted before units
            return [data.get(name), "minutes"]
        return super().value_from_datadict(data, files, name)


class DurationField(forms.MultiValueField):
    def __init__(self, *, label: str, help_text: str, max_minutes: int) -> None:
        self.max_minutes = max_minutes
        super().__init__(
            fields=(
                forms.IntegerField(
                    min_value=0,
                    error_messages={
                        "min_value": "Use 0 or more; this cannot be negative.",
                        "invalid": "Enter a whole number.",
                    },
                ),
                forms.ChoiceField(choices=[(unit, unit) for unit, _ in DURATION_UNITS]),
            ),
            label=label,
            help_text=help_text,
            error_messages={"required": "Enter a number (0 for none)."},
            widget=DurationWidget(unit_label=f"Unit for {label.lower()}"),
        )

    def compress(self, data_list: list[Any]) -> int | None:
        if not data_list:
            return None
        amount, unit = data_list
        minutes = int(amount) * dict(DURATION_UNITS)[unit]
        if minutes > self.max_minutes:
            raise ValidationError(f"Use at most {duration_text(self.max_minutes)}.")
        return minutes


def _minutes_field(label: str, help_text: str, *, max_value: int) -> DurationField:
    return DurationField(label=label, help_text=help_text, max_minutes=max_value)


class AvailabilityRulesForm(forms.Form):
    """Weekly hours, buffers, daily and weekly caps, notice and horizon."""

    buffer_before_minutes = _minutes_field(
        "Buffer before interviews",
        "Kept free of meetings before each interview.",
        max_value=240,
    )
    buffer_after_minutes = _minutes_field(
        "Buffer after interviews",
        "Kept free of meetings after each interview.",
        max_value=240,
    )
    max_interviews_per_day = forms.IntegerField(
        label="Maximum interviews per day",
        required=False,
        min_value=1,
        max_value=50,
        help_text="Leave empty for no limit.",
        error_messages={
            "min_value": "Use at least 1, or leave it empty for no limit.",
            "max_value": "Use at most 50.",
            "invalid": "Enter a whole number.",
        },
    )
    max_interviews_per_week = forms.IntegerField(
        label="Maximum interviews per week",
        required=False,
        min_value=1,
        max_value=200,
        help_text="Monday to Sunday in your time zone. Leave empty for no limit.",
        error_messages={
            "min_value": "Use at least 1, or leave it empty for no limit.",
            "max_value": "Use at most 200.",
            "invalid": "Enter a whole number.",
        },
    )
    minimum_notice_minutes = _minutes_field(
        "Minimum notice",
        "Candidates cannot book you sooner than this from now.",
        max_value=60 * 24 * 60,
    )
    booking_horizon_days = forms.IntegerField(
        label="How far ahead candidates may book (days)",
        min_value=1,
        max_value=365,
        error_messages={
            "min_value": "Use at least 1 day.",
            "max_value": "Use at most 365 days.",
            "invalid": "Enter a whole number of days.",
            "required": "Enter a number of days.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, name in WEEKDAYS:
            self.fields[f"hours_{key}"] = forms.CharField(
                label=name,
                required=False,
                max_length=200,
                help_text="For example 09:00-12:00, 13:00-17:00. Empty = not working.",
                # The page turns it into a day's on/off switch and time pickers.
                widget=forms.TextInput(attrs={"data-weekly-hours": name}),
            )

    @classmethod
    def initial_from(cls, rules: AvailabilityRules) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(rules, name) for name in AvailabilityRules.RULE_FIELDS[1:]
        }
        for key, _ in WEEKDAYS:
            initial[f"hours_{key}"] = hours_format(rules.weekly_hours.get(key, []))
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        weekly: dict[str, list[list[str]]] = {}
        for key, _ in WEEKDAYS:
            field = f"hours_{key}"
            if field not in cleaned:
                continue
            try:
                ranges = hours_parse(cleaned[field])
            except ValidationError as error:
                self.add_error(field, error)
                continue
            if ranges:
                weekly[key] = ranges
        cleaned["weekly_hours"] = weekly
        return cleaned

    def rules(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in AvailabilityRules.RULE_FIELDS}

    def weekday_fields(self) -> list[forms.BoundField]:
        return [self[f"hours_{key}"] for key, _ in WEEKDAYS]


class MySettingsForm(AvailabilityRulesForm):
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=time_zone_choices,
        help_text="Your working hours are in this zone.",
        error_messages={"invalid_choice": "“%(value)s” is not a known time zone."},
    )
    phone_number = forms.CharField(
        label="Phone number for phone interviews",
        required=False,
        max_length=40,
        help_text="Used when a phone interview's template has no number of its own.",
    )
    field_order = ["time_zone", "phone_number"]

    def clean_phone_number(self) -> str:
        value: str = self.cleaned_data["phone_number"].strip()
        if value and not re.fullmatch(r"\+?[0-9 ()./-]{5,40}", value):
            raise ValidationError("Use digits, spaces and + - ( ) only, e.g. +1 555 0100.")
        return value

    def clean_time_zone(self) -> str:
        value: str = self.cleaned_data["time_zone"]
        if not is_known_time_zone(value):  # belt and braces: choices can go stale
            raise ValidationError(f"“{value}” is not a known time zone.")
        return value


class DateOverrideForm(forms.Form):
    date = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": "Enter a date like 2026-12-24.",
            "required": "Choose a date.",
        },
    )
    hours = forms.CharField(
        label="Hours that day",
        required=False,
        max_length=200,
        help_text="Empty = day off. Otherwise e.g. 10:00-14:00.",
    )

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        if today is not None:
            self.fields["date"].widget.attrs["min"] = today.isoformat()

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"]
        if self.today is not None and day < self.today:
            raise ValidationError("That date has passed: choose today or a later date.")
        return day

    def clean_hours(self) -> list[list[str]]:
        return hours_parse(self.cleaned_data.get("hours", ""))


# An email address is at most 254 characters; a password need not be longer than this. Longer
# input is refused by the form before it reaches the database (SQLite cannot match a 100,000
# character LIKE pattern) or the password hasher.
LOGIN_NAME_MAX_LENGTH = 254
PASSWORD_MAX_LENGTH = 4096


def _login_fields_bound(form: forms.Form) -> None:
    # AuthenticationForm sets the username's max_length after construction, which only
    # changes the HTML attribute; the validators are what refuse the input.
    form.fields["username"].validators.append(
        MaxLengthValidator(
            LOGIN_NAME_MAX_LENGTH,
            f"An email address has at most {LOGIN_NAME_MAX_LENGTH} characters.",
        )
    )
    form.fields["password"].validators.append(
        MaxLengthValidator(
            PASSWORD_MAX_LENGTH, f"A password has at most {PASSWORD_MAX_LENGTH} characters."
        )
    )


class LoginForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _login_fields_bound(self)


class AdminLoginForm(AdminAuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _login_fields_bound(self)


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(label="Email", max_length=LOGIN_NAME_MAX_LENGTH)


class MemberInviteForm(forms.Form):
    email = forms.EmailField(label="Email", max_length=LOGIN_NAME_MAX_LENGTH)
    full_name = forms.CharField(label="Full name", max_length=200)
    role = forms.ChoiceField(label="Role", choices=Role.choices, initial=Role.INTERVIEWER)


class OrganizationBrandForm(forms.Form):
    """What candidates see of the organization. The colour comes from a colour picker and a
    hex text box; the text box wins when it was changed (without script the two are not
    kept in step), else the picker's value is used."""

    logo = forms.FileField(
        label="Logo",
        required=False,
        help_text="PNG, JPEG, GIF or WebP, at most 2 MB. It is shown at the top of the "
        "scheduling page and of emails to candidates.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )
    logo_remove = forms.BooleanField(label="Remove the logo", required=False)
    accent_picker = forms.CharField(
        label="Accent colour",
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    accent_color = forms.CharField(
        label="Accent colour (hex)",
        max_length=7,
        help_text="Buttons and links on the scheduling page and in emails. It must leave "
        "white or dark text readable on it (contrast of at least 4.5:1).",
        error_messages={"required": "Enter a colour like #2563eb."},
        widget=forms.TextInput(
            attrs={"pattern": "#?[0-9a-fA-F]{6}", "spellcheck": "false", "autocomplete": "off"}
        ),
    )
    sender_name = forms.CharField(
        label="Sender name",
        required=False,
        max_length=120,
        help_text="Shown as the sender of emails to candidates. Empty: the organization's name.",
        error_messages={"max_length": "Use at most 120 characters."},
    )
    sender_email = forms.EmailField(
        label="Sender address",
        required=False,
        max_length=254,
        help_text="Emails and calendar invitations to candidates come from it, and replies go "
        "to it: use an address your mail server may send from and someone reads. Empty: the "
        "server's address.",
        error_messages={"invalid": "Enter an email address like jobs@yourcompany.com."},
    )

    def __init__(self, *args: Any, current_accent: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current_accent = current_accent.lower()

    def clean_accent_color(self) -> str:
        typed = color_normalize(self.cleaned_data["accent_color"])
        if not typed:
            raise ValidationError("Use a colour like #2563eb: a # and six hexadecimal digits.")
        picked = color_normalize(str(self.data.get("accent_picker", "")))
        value = typed if typed != self.current_accent or not picked else picked
        problem = accent_problem(value)
        if problem:
            raise ValidationError(problem)
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("logo") and cleaned.get("logo_remove"):
            self.add_error("logo_remove", "Either upload a new logo or remove it, not both.")
        return cleaned
