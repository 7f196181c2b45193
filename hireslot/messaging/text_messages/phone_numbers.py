"""Phone numbers as people type them, checked and written in E.164 (``+14155550123``), the
one form providers accept and the one consents and opt-outs are matched on."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError


def phone_number_normalize(text: str, *, region: str = "") -> str:
    """``text`` in E.164, or ``ValidationError`` saying what is wrong. A number without a
    leading ``+`` is read in ``region`` (ISO 3166 code, e.g. ``US``), else in
    ``HIRESLOT_PHONE_DEFAULT_REGION``; with neither it must start with ``+``."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("Enter a phone number.", code="required")
    if len(text) > 40:
        raise ValidationError("That is too long for a phone number.", code="invalid")
    region = (region or settings.HIRESLOT_PHONE_DEFAULT_REGION or "").upper()
    try:
        number = phonenumbers.parse(text, region or None)
    except phonenumbers.NumberParseException as error:
        if error.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise ValidationError(
                "Start the number with + and its country code, e.g. +1 415 555 0123.",
                code="invalid",
            ) from error
        raise ValidationError("This is not a phone number.", code="invalid") from error
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            "This number does not exist in its country; check the digits and the country code.",
            code="invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_number_display(e164: str) -> str:
    """``+14155550123`` as people read it: ``+1 415-555-0123``."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
