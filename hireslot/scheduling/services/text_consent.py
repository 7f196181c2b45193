"""The candidate's agreement to text reminders, given on the booker (issue 17, decision 0029):
offered only where the installation sends texts and the template texts reminders."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from hireslot.core.errors import HireSlotError
from hireslot.messaging.models import TextMessageConsent
from hireslot.messaging.text_messages.base import text_messages_enabled
from hireslot.messaging.text_messages.phone_numbers import phone_number_normalize
from hireslot.messaging.text_messages.services import text_consent_record
from hireslot.recruiting.services import candidate_update
from hireslot.scheduling.models import SchedulingRequest


def text_consent_offered(request: SchedulingRequest) -> bool:
    return text_messages_enabled() and request.template.reminder_texts


@transaction.atomic
def candidate_text_consent_give(*, request: SchedulingRequest, phone: str) -> TextMessageConsent:
    """Record the consent for ``phone`` (as typed) and keep it as the candidate's number, so
    the booking that follows plans text reminders. A number that is not one: 400."""
    if not text_consent_offered(request):
        raise HireSlotError(gettext("Text reminders are not offered for this interview."))
    try:
        e164 = phone_number_normalize(phone)
    except ValidationError as error:
        raise HireSlotError(
            gettext("Please enter a mobile number we can text, with its country code.")
        ) from error
    candidate = request.application.candidate
    if candidate.phone != e164:
        candidate_update(candidate=candidate, phone=e164)
    return text_consent_record(
        organization=request.application.organization, phone=e164, source="booker"
    )
