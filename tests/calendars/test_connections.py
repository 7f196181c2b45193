"""Connected calendars from the app's side: busy time reaches the cache and removes slots,
interview events go to the chosen calendar, and a broken connection alerts its owner once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import pytest
from django.test import override_settings
from django.utils.timezone import now as django_now

from hireslot.calendars.connections import (
    busy_live_conflict,
    connection_busy_refresh,
    event_provider_for,
)
from hireslot.calendars.models import BusyInterval, CalendarConnection, ConnectionStatus
from hireslot.calendars.providers.base import (
    BusyBlock,
    CalendarInfo,
    CalendarOwner,
    ConnectedCalendarProvider,
    EventRef,
    EventSpec,
)
from hireslot.calendars.providers.local import BuiltInCalendarProvider
from hireslot.core.remote import ConnectionBrokenError
from hireslot.messaging.models import Notification, OutgoingEmail
from hireslot.messaging.notifications import notification_preference_update
from hireslot.scheduling.slots import request_slots
from tests.scheduling.conftest import NOW, Company

TUESDAY_10 = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York


class ScriptedProvider(ConnectedCalendarProvider):
    """A connected calendar whose answers the test scripts."""

    name = "scripted"
    busy: ClassVar[list[BusyBlock]] = []
    broken: ClassVar[bool] = False
    written: ClassVar[list[EventSpec]] = []
    calendars: ClassVar[list[CalendarInfo]] = []

    def calendars_list(self) -> list[CalendarInfo]:
        return list(self.calendars)

    def busy_read(self, *, start: datetime, end: datetime) -> list[BusyBlock]:
        if self.broken:
            raise ConnectionBrokenError("Google refused the saved sign-in (invalid_grant).")
        return [b for b in self.busy if b.start < end and b.end > start]

    def event_upsert(self, *, owner: CalendarOwner, spec: EventSpec) -> EventRef:
        self.written.append(spec)
        # The adapter saves rotated tokens through the connection's callback.
        self.connection.on_credentials({**self.connection.credentials, "access_token": "new"})
        return EventRef(provider=self.name, event_id=spec.uid)


class ReadOnlyProvider(ScriptedProvider):
    writable = False


PROVIDERS: dict[str, str] = {
    "google": f"{__name__}.ScriptedProvider",
    "ics_feed": f"{__name__}.ReadOnlyProvider",
}


@pytest.fixture(autouse=True)
def scripted() -> Any:
    ScriptedProvider.busy, ScriptedProvider.broken, ScriptedProvider.written = [], False, []
    with override_settings(HIRESLOT_CONNECTED_CALENDAR_PROVIDERS=PROVIDERS):
        yield


def connect(company: Company, provider: str = "google", **fields: Any) -> CalendarConnection:
    fields.setdefault("last_synced_at", django_now())
    return CalendarConnection.objects.create(
        user=company.interviewer,
        organization=company.organization,
        provider=provider,
        account="nora@calendar.example",
        credentials={"access_token": "old", "refresh_token": "r"},
        receives_events=provider != "ics_feed",
        **fields,
    )


def starts(company: Company) -> list[datetime]:
    request = company.send().request
    slots = request_slots(
        request=request, start=TUESDAY_10, end=TUESDAY_10 + timedelta(hours=2), now=NOW
    )
    return [slot.start_at for slot in slots]


def test_busy_time_from_a_connected_calendar_removes_slots(company: Company) -> None:
    row = connect(company)
    ScriptedProvider.busy = [
        BusyBlock(start=TUESDAY_10, end=TUESDAY_10 + timedelta(minutes=30), ref="evt1"),
        # HireSlot's own interview event on that calendar is left to the bookings table.
        BusyBlock(
            start=TUESDAY_10 + timedelta(hours=1),
            end=TUESDAY_10 + timedelta(hours=2),
            ref="evt2",
            interview_uid="abc@hireslot",
        ),
    ]

    assert connection_busy_refresh(row=row) == 2

    assert BusyInterval.objects.filter(user=company.interviewer, source="google").count() == 2
    offered = starts(company)
    assert TUESDAY_10 not in offered
    assert TUESDAY_10 + timedelta(minutes=30) in offered
    assert TUESDAY_10 + timedelta(hours=1) in offered
    row.refresh_from_db()
    assert row.last_synced_at is not None


def test_a_refresh_replaces_what_the_calendar_said_before(company: Company) -> None:
    row = connect(company)
    ScriptedProvider.busy = [BusyBlock(start=TUESDAY_10, end=TUESDAY_10 + timedelta(hours=1))]
    connection_busy_refresh(row=row)

    ScriptedProvider.busy = []  # the meeting was deleted in the calendar
    connection_busy_refresh(row=row)

    assert TUESDAY_10 in starts(company)


def test_a_broken_connection_alerts_its_owner_once(company: Company) -> None:
    row = connect(company)
    ScriptedProvider.broken = True

    for _ in range(2):
        with pytest.raises(ConnectionBrokenError):
            connection_busy_refresh(row=row)

    row.refresh_from_db()
    assert row.status == ConnectionStatus.BROKEN
    assert "invalid_grant" in row.last_error
    notes = Notification.objects.filter(recipient=company.interviewer)
    assert [n.verb for n in notes] == [
        "Your Google Calendar connection (nora@calendar.example) stopped working; "
        "reconnect it in My Settings"
    ]
    alert = OutgoingEmail.objects.get(kind="connection_alert")
    assert alert.to == company.interviewer.email


def test_a_broken_connection_alert_is_emailed_even_to_someone_who_muted_every_email(
    company: Company,
) -> None:
    """Decision 0013: the preferences mute interview news, never a broken connection (the
    person cannot be booked until they reconnect); the bell shows it either way."""
    notification_preference_update(
        user=company.interviewer,
        email_on_booked=False,
        email_on_rescheduled=False,
        email_on_cancelled=False,
    )
    ScriptedProvider.broken = True

    with pytest.raises(ConnectionBrokenError):
        connection_busy_refresh(row=connect(company))

    assert Notification.objects.filter(recipient=company.interviewer).count() == 1
    alert = OutgoingEmail.objects.get(kind="connection_alert")
    assert alert.to == company.interviewer.email


def test_interview_events_go_to_the_chosen_connected_calendar(company: Company) -> None:
    row = connect(company)
    owner = CalendarOwner(user_id=company.interviewer.pk, email="n@x", time_zone="UTC")

    provider = event_provider_for(owner)
    assert isinstance(provider, ScriptedProvider)
    spec = EventSpec(
        uid="u@hireslot",
        sequence=0,
        title="t",
        description="d",
        location="",
        start=TUESDAY_10,
        end=TUESDAY_10 + timedelta(hours=1),
    )
    provider.event_upsert(owner=owner, spec=spec)

    row.refresh_from_db()
    assert row.credentials["access_token"] == "new"  # saved at once


def test_read_only_or_broken_calendars_fall_back_to_the_built_in_one(company: Company) -> None:
    connect(company, provider="ics_feed")
    owner = CalendarOwner(user_id=company.interviewer.pk, email="n@x", time_zone="UTC")
    assert isinstance(event_provider_for(owner), BuiltInCalendarProvider)

    CalendarConnection.objects.all().delete()
    connect(company, status=ConnectionStatus.BROKEN)
    assert isinstance(event_provider_for(owner), BuiltInCalendarProvider)


def test_a_calendar_not_read_lately_makes_its_owner_busy_not_free(company: Company) -> None:
    row = connect(company)
    request = company.send().request
    ScriptedProvider.broken = True
    with pytest.raises(ConnectionBrokenError):
        connection_busy_refresh(row=row)

    def offered() -> list[datetime]:
        slots = request_slots(
            request=request, start=TUESDAY_10, end=TUESDAY_10 + timedelta(hours=2), now=NOW
        )
        return [slot.start_at for slot in slots]

    assert TUESDAY_10 in offered()  # read a moment ago: still trusted
    CalendarConnection.objects.filter(pk=row.pk).update(last_synced_at=NOW - timedelta(minutes=31))
    assert offered() == []


def test_the_chosen_window_is_asked_live_before_booking(company: Company) -> None:
    from hireslot.scheduling.errors import SlotTakenError
    from hireslot.scheduling.services import interview_book

    connect(company, last_synced_at=NOW)
    request = company.send().request
    # A meeting was added in the calendar after the last refresh.
    ScriptedProvider.busy = [
        BusyBlock(start=TUESDAY_10 - timedelta(minutes=15), end=TUESDAY_10 + timedelta(minutes=5))
    ]

    with pytest.raises(SlotTakenError):
        interview_book(request=request, start=TUESDAY_10, candidate_time_zone="UTC")
    booked = interview_book(
        request=request, start=TUESDAY_10 + timedelta(hours=1), candidate_time_zone="UTC"
    )
    assert booked.start == TUESDAY_10 + timedelta(hours=1)


def test_admins_are_told_when_a_members_calendar_breaks(company: Company) -> None:
    from hireslot.accounts.models import Role
    from hireslot.accounts.services import membership_add

    membership_add(user=company.recruiter, organization=company.organization, role=Role.ADMIN)
    company.recruiter.memberships.update(role=Role.ADMIN)
    row = connect(company)
    ScriptedProvider.broken = True

    with pytest.raises(ConnectionBrokenError):
        connection_busy_refresh(row=row)

    told = Notification.objects.get(recipient=company.recruiter)
    assert told.verb.startswith("Nora Alvarez's Google Calendar connection")
    assert OutgoingEmail.objects.filter(kind="connection_alert").count() == 2


# --- the refresh cycle survives a dead worker (issue 9, item 13) ----------------------------


def test_the_work_sweep_restarts_a_refresh_cycle_that_was_lost(company: Company) -> None:
    """Given a connected calendar and no refresh cycle queued or running (it failed, or was
    lost with an old worker), a work sweep starts it again; a second sweep does not start a
    second cycle, nor does one while a cycle is running."""
    from django_tasks_db.models import DBTaskResult

    from hireslot.calendars.services_refresh import TASK_PATH
    from hireslot.core.leases import work_sweep

    connect(company)
    cycles = DBTaskResult.objects.filter(task_path=TASK_PATH)
    assert not cycles.exists()

    work_sweep()
    work_sweep()

    assert cycles.filter(status="READY").count() == 1
    cycles.update(status="RUNNING", started_at=django_now())
    work_sweep()
    assert cycles.count() == 1


def test_no_refresh_cycle_without_a_connected_calendar(company: Company) -> None:
    from django_tasks_db.models import DBTaskResult

    from hireslot.calendars.services_refresh import TASK_PATH
    from hireslot.core.leases import work_sweep

    work_sweep()

    assert not DBTaskResult.objects.filter(task_path=TASK_PATH).exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime(1, 1, 1, tzinfo=UTC), datetime(1, 1, 1, 0, 45, tzinfo=UTC)),
        (datetime(9999, 12, 31, 23, 0, tzinfo=UTC), datetime(9999, 12, 31, 23, 45, tzinfo=UTC)),
    ],
)
def test_a_live_check_at_the_edge_of_the_calendar_asks_nobody_and_never_overflows(
    company: Company, start: datetime, end: datetime
) -> None:
    connect(company)
    ScriptedProvider.busy = [BusyBlock(start=start, end=end, ref="evt1")]

    conflict = busy_live_conflict(
        users=[company.interviewer],
        start=start,
        end=end,
        buffers={company.interviewer.pk: (30, 30)},
    )

    assert conflict is None  # nothing is offered there: the slot check refuses it
