"""CalDAV calendars against a real Radicale server on loopback: connecting checks the app
password, bookings put the interview on the person's calendar (read back with the ``caldav``
client), reschedules update the same event, cancels remove it, and busy time there stops
those slots being offered."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import caldav
import httpx
import pytest
import time_machine
from caldav.lib.error import NotFoundError
from django.utils.timezone import now as django_now

from hireslot.availability import Slot
from hireslot.calendars.connections import connection_busy_refresh
from hireslot.calendars.models import BusyInterval, CalendarConnection, ConnectionStatus
from hireslot.calendars.providers.base import CalendarOwner, EventSpec
from hireslot.calendars.providers.caldav import CalDavCalendarProvider, caldav_connection_check
from hireslot.core.remote import (
    Connection,
    ConnectionBrokenError,
    PermanentProviderError,
    TransientProviderError,
)
from hireslot.messaging.models import Notification
from hireslot.scheduling.models import Effect, Interview
from hireslot.scheduling.services import (
    effect_run,
    interview_book,
    interview_cancel,
    interview_reschedule,
)
from hireslot.scheduling.slots import request_slots
from tests.calendars.radicale_server import RadicaleServer, free_port, radicale_start
from tests.scheduling.conftest import NOW, Company, company_build

TUESDAY_10_NY = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York (EST)
PASSWORD = "app-password-1"

NEW_YORK = """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE"""


def vcalendar(*lines: str, timezone: str = "") -> str:
    body = "\n".join(lines)
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Tests//EN"]
    if timezone:
        parts.append(timezone)
    parts += ["BEGIN:VEVENT", "DTSTAMP:20260101T000000Z", body, "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join("\r\n".join(parts).splitlines()) + "\r\n"


@dataclass
class Account:
    """A person's CalDAV account on the server, with a Work and a Personal calendar."""

    server: RadicaleServer
    username: str
    password: str
    client: caldav.DAVClient
    work: caldav.Calendar
    personal: caldav.Calendar

    @property
    def credentials(self) -> dict[str, str]:
        return {"url": self.server.url, "username": self.username, "password": self.password}


def account_on(server: RadicaleServer, username: str, password: str) -> Account:
    client = caldav.DAVClient(url=server.url, username=username, password=password)
    principal = client.principal()
    work = principal.make_calendar(name="Work", cal_id="work")
    personal = principal.make_calendar(name="Personal", cal_id="personal")
    return Account(server, username, password, client, work, personal)


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    server = radicale_start(tmp_path_factory.mktemp("radicale"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def radicale_with_passwords(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    server = radicale_start(tmp_path_factory.mktemp("radicale-htpasswd"), users={"nora": PASSWORD})
    yield server
    server.stop()


@pytest.fixture
def account(radicale: RadicaleServer) -> Account:
    # Radicale with --auth-type none lets anyone in; a fresh user per test keeps tests apart.
    return account_on(radicale, f"nora-{uuid.uuid4().hex[:8]}", "any")


@pytest.fixture
def company(db: None) -> Iterator[Company]:
    # The whole test happens on Monday 2 March 2026 (Radicale keeps real time; it does not
    # care which day it is).
    with time_machine.travel(NOW, tick=False):
        yield company_build()


def connect(company: Company, account: Account, **fields: object) -> CalendarConnection:
    return CalendarConnection.objects.create(
        # Freshly read: a calendar unread for long would make its owner busy.
        last_synced_at=django_now(),
        user=company.interviewer,
        organization=company.organization,
        provider=CalendarConnection.Provider.CALDAV,
        account=account.username,
        credentials=account.credentials,
        event_calendar=str(account.work.url),
        receives_events=True,
        **fields,
    )


def run_calendar_effects(interview: Interview) -> list[Effect]:
    effects = list(Effect.objects.filter(interview=interview, kind="calendar_event"))
    for effect in effects:
        effect_run(effect_id=str(effect.pk))
    return [Effect.objects.get(pk=effect.pk) for effect in effects]


def provider_for(account: Account, *, event_calendar: str = "") -> CalDavCalendarProvider:
    return CalDavCalendarProvider(
        Connection(
            id="1",
            provider="caldav",
            account=account.username,
            credentials=account.credentials,
            event_calendar=event_calendar,
        )
    )


def spec() -> EventSpec:
    return EventSpec(
        uid=f"{uuid.uuid4()}@hireslot",
        sequence=0,
        title="Manager Interview: Ada Okafor",
        description="Template: https://hireslot.test/t/1",
        location="https://meet.jit.si/Interview-abc",
        start=TUESDAY_10_NY,
        end=TUESDAY_10_NY + timedelta(minutes=45),
    )


OWNER = CalendarOwner(user_id=uuid.uuid4(), email="nora@acme.example", time_zone="UTC")


# --- connecting ------------------------------------------------------------------------------


def test_connecting_lists_the_event_calendars_and_leaves_out_task_lists(account: Account) -> None:
    account.client.principal().make_calendar(
        name="Chores", cal_id="chores", supported_calendar_component_set=["VTODO"]
    )

    name, calendars = caldav_connection_check(
        url=account.server.url, username=account.username, password=account.password
    )

    assert name == account.username
    by_name = {calendar.name: calendar for calendar in calendars}
    assert set(by_name) == {"Work", "Personal"}
    assert by_name["Work"].id == str(account.work.url)
    assert by_name["Personal"].id == str(account.personal.url)
    assert all(calendar.can_write for calendar in calendars)
    # CalDAV has no primary calendar: the first writable one is offered for events.
    assert [calendar.primary for calendar in calendars] == [True, False]


def test_the_right_app_password_connects_and_a_wrong_one_says_so(
    radicale_with_passwords: RadicaleServer,
) -> None:
    account_on(radicale_with_passwords, "nora", PASSWORD)

    name, calendars = caldav_connection_check(
        url=radicale_with_passwords.url, username="nora", password=PASSWORD
    )
    assert name == "nora"
    assert {calendar.name for calendar in calendars} == {"Work", "Personal"}

    with pytest.raises(
        ConnectionBrokenError, match="did not accept the user name and app password"
    ):
        caldav_connection_check(
            url=radicale_with_passwords.url, username="nora", password="wrong-password"
        )


def test_an_unreachable_server_is_worth_retrying() -> None:
    with pytest.raises(TransientProviderError, match="could not connect"):
        caldav_connection_check(
            url=f"http://127.0.0.1:{free_port()}/", username="nora", password="x"
        )


def test_an_address_that_is_not_http_is_refused() -> None:
    with pytest.raises(PermanentProviderError, match="must start with https://"):
        caldav_connection_check(url="file:///etc/passwd", username="nora", password="x")


class _Unwell(BaseHTTPRequestHandler):
    """A web server that is not a working CalDAV server: /busy is overloaded, /web is a site."""

    def do_PROPFIND(self) -> None:
        if self.path.startswith("/busy"):
            self.send_response(503)
            self.send_header("Retry-After", "120")
            body = b"Service Unavailable"
        else:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            body = b"<html>Welcome</html>"
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def unwell_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unwell)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_server_error_is_retried_with_the_servers_advice_and_a_web_site_is_refused(
    unwell_server: str,
) -> None:
    with pytest.raises(TransientProviderError) as busy:
        caldav_connection_check(url=f"{unwell_server}/busy/", username="nora", password="x")
    assert busy.value.retry_after == 120

    with pytest.raises(PermanentProviderError, match="does not look like a CalDAV server"):
        caldav_connection_check(url=f"{unwell_server}/web/", username="nora", password="x")


# --- interview events ------------------------------------------------------------------------


def test_a_booking_puts_the_interview_on_the_chosen_calendar_and_a_reschedule_moves_it(
    company: Company, account: Account
) -> None:
    connect(company, account)
    request = company.send().request
    interview = interview_book(
        request=request, start=TUESDAY_10_NY, candidate_time_zone="Europe/Paris"
    )
    [effect] = run_calendar_effects(interview)

    assert effect.state == Effect.State.DONE
    assert effect.result_ref.startswith(f"caldav:{account.work.url}")
    event = account.work.event_by_uid(interview.uid).icalendar_component
    assert event["SUMMARY"] == "Manager Interview: Ada Okafor"
    assert event["DTSTART"].dt == TUESDAY_10_NY
    assert event["DTEND"].dt == interview.end
    assert int(event["SEQUENCE"]) == 0
    assert event["LOCATION"] == interview.conference_url
    # The template link and the reschedule link travel with the event.
    assert "Interview template: http" in event["DESCRIPTION"]
    assert (
        f"Reschedule or cancel: http://127.0.0.1:8000/interviews/{interview.pk}/"
        in event["DESCRIPTION"]
    )
    assert account.personal.events() == []

    moved = interview_reschedule(
        interview=interview,
        start=TUESDAY_10_NY + timedelta(hours=2),
        actor=None,
        by_candidate=True,
    )
    run_calendar_effects(moved)

    [stored] = account.work.events()
    event = stored.icalendar_component
    assert str(event["UID"]) == interview.uid
    assert int(event["SEQUENCE"]) == 1
    assert event["DTSTART"].dt == TUESDAY_10_NY + timedelta(hours=2)


def test_a_cancel_removes_the_interview_event(company: Company, account: Account) -> None:
    connect(company, account)
    interview = interview_book(
        request=company.send().request,
        start=TUESDAY_10_NY,
        candidate_time_zone="America/New_York",
    )
    run_calendar_effects(interview)
    assert account.work.event_by_uid(interview.uid)

    cancelled = interview_cancel(interview=interview, actor=company.recruiter, by_candidate=False)
    effects = run_calendar_effects(cancelled)

    assert [effect.state for effect in effects] == [Effect.State.DONE] * len(effects)
    with pytest.raises(NotFoundError):
        account.work.event_by_uid(interview.uid)


def test_retries_leave_one_event_and_a_stale_retry_does_not_move_it_back(
    account: Account,
) -> None:
    provider = provider_for(account)
    first = spec()
    moved = replace(
        first, sequence=1, start=first.start + timedelta(days=1), end=first.end + timedelta(days=1)
    )

    provider.event_upsert(owner=OWNER, spec=first)
    provider.event_upsert(owner=OWNER, spec=first)
    provider.event_upsert(owner=OWNER, spec=moved)
    ref = provider.event_upsert(owner=OWNER, spec=first)  # the old retry arrives late

    [stored] = account.work.events() + account.personal.events()
    event = stored.icalendar_component
    assert event["DTSTART"].dt == moved.start
    assert int(event["SEQUENCE"]) == 1
    assert ref.event_id == str(stored.url)


def test_an_edit_in_the_persons_calendar_app_does_not_block_a_reschedule(account: Account) -> None:
    provider = provider_for(account, event_calendar=str(account.work.url))
    first = spec()
    provider.event_upsert(owner=OWNER, spec=first)
    # Their calendar app raises SEQUENCE when they touch the event (say, add a note).
    stored = account.work.event_by_uid(first.uid)
    stored.icalendar_component["SEQUENCE"] = 5
    stored.save()

    moved = replace(
        first,
        sequence=1,
        start=first.start + timedelta(hours=3),
        end=first.end + timedelta(hours=3),
    )
    provider.event_upsert(owner=OWNER, spec=moved)

    assert account.work.event_by_uid(first.uid).icalendar_component["DTSTART"].dt == moved.start


def test_deleting_an_event_that_is_not_there_succeeds(account: Account) -> None:
    provider = provider_for(account, event_calendar=str(account.work.url))

    provider.event_delete(owner=OWNER, uid=f"{uuid.uuid4()}@hireslot")

    assert account.work.events() == []


def test_a_calendar_that_was_deleted_fails_with_a_message_to_act_on(account: Account) -> None:
    provider = provider_for(account, event_calendar=str(account.work.url))
    account.work.delete()

    with pytest.raises(PermanentProviderError, match="no such calendar"):
        provider.event_upsert(owner=OWNER, spec=spec())


# --- busy time -------------------------------------------------------------------------------


def overlapping(slots: list[Slot], start: datetime, end: datetime) -> list[Slot]:
    return [slot for slot in slots if slot.start_at < end and slot.end_at > start]


def test_busy_time_on_the_caldav_calendar_stops_those_slots_being_offered(
    company: Company, account: Account
) -> None:
    # Given a one-off meeting, a weekly meeting at 14:00 New York time (crossing the
    # 8 March DST change), a free "focus" block, a cancelled meeting, and one of HireSlot's
    # own interview events on Nora's calendars
    account.work.save_event(
        vcalendar(
            "UID:one-off", "SUMMARY:Dentist", "DTSTART:20260303T150000Z", "DTEND:20260303T160000Z"
        )
    )
    account.personal.save_event(
        vcalendar(
            "UID:weekly",
            "SUMMARY:Team sync",
            "DTSTART;TZID=America/New_York:20260304T140000",
            "DTEND;TZID=America/New_York:20260304T150000",
            "RRULE:FREQ=WEEKLY",
            timezone=NEW_YORK,
        )
    )
    account.work.save_event(
        vcalendar(
            "UID:focus",
            "SUMMARY:Focus",
            "TRANSP:TRANSPARENT",
            "DTSTART:20260305T150000Z",
            "DTEND:20260305T170000Z",
        )
    )
    account.work.save_event(
        vcalendar(
            "UID:called-off",
            "SUMMARY:Called off",
            "STATUS:CANCELLED",
            "DTSTART:20260306T150000Z",
            "DTEND:20260306T160000Z",
        )
    )
    own_uid = f"{uuid.uuid4()}@hireslot"
    account.work.save_event(
        vcalendar(
            f"UID:{own_uid}",
            "SUMMARY:Interview",
            "DTSTART:20260309T150000Z",
            "DTEND:20260309T160000Z",
        )
    )
    row = connect(company, account)
    request = company.send().request
    window = (NOW, NOW + timedelta(days=14))
    before = request_slots(request=request, start=window[0], end=window[1], now=NOW)

    # When the busy cache is refreshed from the CalDAV server
    connection_busy_refresh(row=row)
    after = request_slots(request=request, start=window[0], end=window[1], now=NOW)

    busy = [
        (datetime(2026, 3, 3, 15, tzinfo=UTC), datetime(2026, 3, 3, 16, tzinfo=UTC)),
        (datetime(2026, 3, 4, 19, tzinfo=UTC), datetime(2026, 3, 4, 20, tzinfo=UTC)),  # EST
        (datetime(2026, 3, 11, 18, tzinfo=UTC), datetime(2026, 3, 11, 19, tzinfo=UTC)),  # EDT
    ]
    free = [
        (datetime(2026, 3, 5, 15, tzinfo=UTC), datetime(2026, 3, 5, 17, tzinfo=UTC)),
        (datetime(2026, 3, 6, 15, tzinfo=UTC), datetime(2026, 3, 6, 16, tzinfo=UTC)),
        # 14:00 EST would be 19:00 UTC on 11 March: offered, as the meeting moved with DST.
        (datetime(2026, 3, 11, 19, 30, tzinfo=UTC), datetime(2026, 3, 11, 20, tzinfo=UTC)),
    ]
    # Then the busy times are no longer offered, and free or cancelled ones still are
    for start, end in busy:
        assert overlapping(before, start, end), f"{start} should have been offered before"
        assert overlapping(after, start, end) == [], f"{start} is busy"
    for start, end in free:
        assert overlapping(after, start, end), f"{start} is free"
    # and HireSlot's own interview event is recognised, not counted as outside busy time
    own = BusyInterval.objects.get(user=company.interviewer, interview_uid=own_uid)
    assert own.start == datetime(2026, 3, 9, 15, tzinfo=UTC)
    row.refresh_from_db()
    assert row.last_synced_at == NOW


def test_only_the_chosen_busy_calendars_count(company: Company, account: Account) -> None:
    account.work.save_event(
        vcalendar("UID:work", "DTSTART:20260303T150000Z", "DTEND:20260303T160000Z")
    )
    account.personal.save_event(
        vcalendar("UID:personal", "DTSTART:20260304T150000Z", "DTEND:20260304T160000Z")
    )
    row = connect(company, account, busy_calendars=[str(account.work.url)])

    connection_busy_refresh(row=row)

    assert list(
        BusyInterval.objects.filter(user=company.interviewer).values_list("source_ref", flat=True)
    ) == ["work"]


def test_a_revoked_app_password_marks_the_connection_broken_and_tells_its_owner(
    company: Company, radicale_with_passwords: RadicaleServer
) -> None:
    # Given Nora revoked the app password HireSlot was given
    row = CalendarConnection.objects.create(
        # Freshly read: a calendar unread for long would make its owner busy.
        last_synced_at=django_now(),
        user=company.interviewer,
        organization=company.organization,
        provider=CalendarConnection.Provider.CALDAV,
        account="nora",
        credentials={
            "url": radicale_with_passwords.url,
            "username": "nora",
            "password": "revoked-password",
        },
        receives_events=True,
    )

    # When busy time is refreshed
    with pytest.raises(ConnectionBrokenError):
        connection_busy_refresh(row=row)

    # Then the connection shows as broken and Nora is told to reconnect
    row.refresh_from_db()
    assert row.status == ConnectionStatus.BROKEN
    assert "app password" in row.last_error
    assert Notification.objects.filter(recipient=company.interviewer).exists()


def test_all_day_events_are_whole_days_in_the_calendars_own_zone(account: Account) -> None:
    # Given the Work calendar is kept in New York time (its CalDAV calendar-timezone)
    zone = vcalendar("UID:tz", "DTSTART:20260101T000000Z", timezone=NEW_YORK)
    proppatch = f"""<?xml version="1.0" encoding="utf-8"?>
<d:propertyupdate xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
  <d:set><d:prop><c:calendar-timezone>{escape(zone)}</c:calendar-timezone></d:prop></d:set>
</d:propertyupdate>"""
    answer = httpx.request("PROPPATCH", str(account.work.url), content=proppatch)
    assert answer.status_code == 207, answer.text
    account.work.save_event(
        vcalendar(
            "UID:offsite",
            "SUMMARY:Offsite",
            "DTSTART;VALUE=DATE:20260306",
            "DTEND;VALUE=DATE:20260307",
        )
    )

    # When busy time is read
    blocks = provider_for(account).busy_read(
        start=datetime(2026, 3, 2, tzinfo=UTC), end=datetime(2026, 3, 16, tzinfo=UTC)
    )

    # Then the offsite is Friday midnight to midnight in New York
    assert [(block.start, block.end, block.ref) for block in blocks] == [
        (datetime(2026, 3, 6, 5, tzinfo=UTC), datetime(2026, 3, 7, 5, tzinfo=UTC), "offsite")
    ]


def test_a_calendar_without_a_zone_places_all_day_and_floating_events_in_the_owners_day(
    company: Company, account: Account
) -> None:
    """Given Radicale's default calendar (no calendar-timezone) and an interviewer whose
    HireSlot working hours are in New York, when busy time is refreshed, then an all-day event
    blocks Friday midnight to midnight in New York (not 19:00 the evening before to 19:00 on
    the day) and a floating 09:00-10:00 event blocks 09:00-10:00 in New York."""
    account.personal.save_event(
        vcalendar("UID:offsite", "DTSTART;VALUE=DATE:20260306", "DTEND;VALUE=DATE:20260307")
    )
    account.personal.save_event(
        vcalendar("UID:floating", "DTSTART:20260309T090000", "DTEND:20260309T100000")
    )
    row = connect(company, account, busy_calendars=[str(account.personal.url)])

    with time_machine.travel(NOW, tick=False):
        connection_busy_refresh(row=row)

    busy = BusyInterval.objects.filter(user=company.interviewer).order_by("start")
    assert [(b.start, b.end, b.source_ref) for b in busy] == [
        (datetime(2026, 3, 6, 5, tzinfo=UTC), datetime(2026, 3, 7, 5, tzinfo=UTC), "offsite"),
        # Monday 9 March is after the DST change: New York is UTC-4 then.
        (datetime(2026, 3, 9, 13, tzinfo=UTC), datetime(2026, 3, 9, 14, tzinfo=UTC), "floating"),
    ]
