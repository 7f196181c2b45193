"""The built-in calendar as a provider: interview events become ``CalendarEvent`` rows.

It is the calendar of anyone without an external one, and the embedded default, so a fresh
install books interviews with no account anywhere. It writes through the calendars services,
so the busy cache follows every change at once.
"""

from __future__ import annotations

from hireslot.accounts.models import User
from hireslot.calendars.models import CalendarEvent
from hireslot.calendars.providers.base import CalendarOwner, CalendarProvider, EventRef, EventSpec
from hireslot.calendars.services import calendar_event_delete_by_uid, calendar_event_upsert
from hireslot.core.errors import HireSlotError
from hireslot.core.remote import PermanentProviderError


def _clip(text: str, field: str) -> str:
    # A long template-made title must not stop the interview reaching the calendar.
    limit: int | None = getattr(CalendarEvent._meta.get_field(field), "max_length", None)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


class BuiltInCalendarProvider(CalendarProvider):
    name = "built_in"

    def event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> EventRef:
        user = User.objects.filter(pk=owner.user_id).first()
        if user is None:
            raise PermanentProviderError(
                f"{owner.email} no longer has a HireSlot account, so the interview cannot be "
                "put on their calendar."
            )
        try:
            event = calendar_event_upsert(
                owner=user,
                uid=spec.uid,
                sequence=spec.sequence,
                title=_clip(spec.title, "title"),
                description=spec.description,
                location=_clip(spec.location, "location"),
                start=spec.start,
                end=spec.end,
            )
        except HireSlotError as exc:
            # Bad times or a missing uid will be just as bad on the next attempt.
            raise PermanentProviderError(exc.message) from exc
        return EventRef(provider=self.name, event_id=str(event.pk))

    def event_delete(self, *, owner: CalendarOwner, uid: str) -> None:
        user = User.objects.filter(pk=owner.user_id).first()
        if user is None:
            # Their events went with their account.
            return
        calendar_event_delete_by_uid(owner=user, uid=uid)
