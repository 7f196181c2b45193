"""A secret iCal feed as a read-only busy source, served by a local web server: recurring
events expanded with their exceptions, all-day events as whole days in the feed's zone, free
and cancelled events left out, and feeds that cannot be read refused with a clear reason."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.test import override_settings
from django.utils.timezone import now as django_now

from hireslot.availability import Slot
from hireslot.calendars.connections import connection_busy_refresh, event_provider_for
from hireslot.calendars.models import BusyInterval, BusySync, CalendarConnection
from hireslot.calendars.providers.base import BusyBlock, CalendarInfo, CalendarOwner, EventSpec
from hireslot.calendars.providers.ics_feed import (
    MAX_FEED_BYTES,
    IcsFeedCalendarProvider,
    feed_url_check,
    ics_feed_check,
)
from hireslot.calendars.providers.local import BuiltInCalendarProvider
from hireslot.core.remote import (
    Connection,
    ConnectionBrokenError,
    PermanentProviderError,
    TransientProviderError,
)
from hireslot.scheduling.slots import request_slots
from tests.scheduling.conftest import NOW, Company, company_build

SECRET = "private-3f9a1c0d7e/basic.ics"
OWN_UID = "5b1f7a52-3c39-4f7e-9a53-0c8f3e1d2a10@hireslot"

# Nora's calendar as Google exports it: times with TZID or in UTC, X-WR-TIMEZONE naming the
# calendar's zone (which the all-day event follows).
FEED = f"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Google Inc//Google Calendar 70.9054//EN
X-WR-CALNAME:Nora (work)
X-WR-TIMEZONE:America/New_York
BEGIN:VTIMEZONE
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
END:VTIMEZONE
BEGIN:VEVENT
UID:standup@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Standup
DTSTART;TZID=America/New_York:20260302T100000
DTEND;TZID=America/New_York:20260302T103000
RRULE:FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=8
EXDATE;TZID=America/New_York:20260304T100000
END:VEVENT
BEGIN:VEVENT
UID:standup@example.com
DTSTAMP:20260101T000000Z
RECURRENCE-ID;TZID=America/New_York:20260303T100000
SUMMARY:Standup (late)
DTSTART;TZID=America/New_York:20260303T130000
DTEND;TZID=America/New_York:20260303T133000
END:VEVENT
BEGIN:VEVENT
UID:standup@example.com
DTSTAMP:20260101T000000Z
RECURRENCE-ID;TZID=America/New_York:20260309T100000
STATUS:CANCELLED
SUMMARY:Standup
DTSTART;TZID=America/New_York:20260309T100000
DTEND;TZID=America/New_York:20260309T103000
END:VEVENT
BEGIN:VEVENT
UID:offsite@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Team offsite
DTSTART;VALUE=DATE:20260306
DTEND;VALUE=DATE:20260307
END:VEVENT
BEGIN:VEVENT
UID:focus@example.com
DTSTAMP:20260101T000000Z
SUMMARY:Focus time
TRANSP:TRANSPARENT
DTSTART:20260305T140000Z
DTEND:20260305T170000Z
END:VEVENT
BEGIN:VEVENT
UID:{OWN_UID}
DTSTAMP:20260101T000000Z
SUMMARY:Manager Interview: Ada Okafor
DTSTART:20260310T150000Z
DTEND:20260310T154500Z
END:VEVENT
END:VCALENDAR
""".replace("\n", "\r\n").encode()


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


# What Nora is busy with from Monday 2 to Friday 13 March, in UTC (New York is UTC-5 until
# Sunday 8 March, UTC-4 after).
EXPECTED = [
    BusyBlock(utc(2, 15), utc(2, 15, 30), ref="standup@example.com"),
    BusyBlock(utc(3, 18), utc(3, 18, 30), ref="standup@example.com"),  # moved to 13:00
    # Wednesday 4 is an EXDATE.
    BusyBlock(utc(5, 15), utc(5, 15, 30), ref="standup@example.com"),
    # The offsite: Friday 6 March as a whole New York day.
    BusyBlock(utc(6, 5), utc(7, 5), ref="offsite@example.com"),
    BusyBlock(utc(6, 15), utc(6, 15, 30), ref="standup@example.com"),
    # Monday 9 is cancelled; from here on it is daylight time.
    BusyBlock(utc(10, 14), utc(10, 14, 30), ref="standup@example.com"),
    BusyBlock(utc(10, 15), utc(10, 15, 45), ref=OWN_UID, interview_uid=OWN_UID),
    BusyBlock(utc(11, 14), utc(11, 14, 30), ref="standup@example.com"),
    # COUNT=8 ends the series on Wednesday 11 (the EXDATE and the cancelled one count).
]


class FeedServer(ThreadingHTTPServer):
    """Answers like a calendar host: the feed at its secret path, and switches to make it
    move, vanish, fail or grow."""

    feed = FEED
    status = 200
    retry_after = ""


class _Handler(BaseHTTPRequestHandler):
    server: FeedServer

    def _send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.lstrip("/")
        if path == SECRET:
            if self.server.status != 200:
                extra = {"Retry_After": self.server.retry_after} if self.server.retry_after else {}
                self._send(self.server.status, b"Not here", **extra)
            else:
                self._send(200, self.server.feed, Content_Type="text/calendar; charset=utf-8")
        elif path == "old/basic.ics":
            self._send(301, Location=f"/{SECRET}")
        elif path == "sneaky.ics":
            self._send(302, Location="file:///etc/passwd")
        elif path == "web":
            self._send(200, b"<html><body>Sign in</body></html>", Content_Type="text/html")
        elif path == "huge-declared.ics":
            # Says how big it is up front.
            self._send(200, b"", Content_Length=str(MAX_FEED_BYTES + 1))
        elif path == "huge-streamed.ics":
            # Says nothing and keeps sending (HTTP/1.0: the body ends when the server closes).
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            chunk = b"X-FILLER:" + b"x" * 65_000 + b"\r\n"
            try:
                for _ in range(MAX_FEED_BYTES // len(chunk) + 2):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # HireSlot stopped reading, as it should
        elif path == "trickle.ics":
            # A valid start, then a line now and then: each read is quick, the whole is not.
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            try:
                self.wfile.write(b"BEGIN:VCALENDAR\r\n")
                for _ in range(100):
                    time.sleep(0.05)
                    self.wfile.write(b"X-FILLER:x\r\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
        else:
            self._send(404, b"Not found")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def address(server: FeedServer, path: str = SECRET) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/{path}"


def provider_for(url: str) -> IcsFeedCalendarProvider:
    return IcsFeedCalendarProvider(
        Connection(id="1", provider="ics_feed", account="Nora (work)", credentials={"url": url})
    )


# --- reading the feed ------------------------------------------------------------------------


def test_the_feed_is_expanded_into_busy_time_with_its_exceptions(feed_server: FeedServer) -> None:
    blocks = provider_for(address(feed_server)).busy_read(start=utc(2, 0), end=utc(14, 0))

    assert blocks == EXPECTED


def test_only_occurrences_inside_the_window_are_read(feed_server: FeedServer) -> None:
    # 09:00-17:00 New York on Friday 6 March: the offsite and that day's standup.
    blocks = provider_for(address(feed_server)).busy_read(start=utc(6, 14), end=utc(6, 22))

    assert [block.ref for block in blocks] == ["offsite@example.com", "standup@example.com"]


def test_a_moved_feed_is_followed_and_checking_it_names_the_calendar(
    feed_server: FeedServer,
) -> None:
    name, calendars = ics_feed_check(url=address(feed_server, "old/basic.ics"))

    assert name == "Nora (work)"
    assert calendars == [CalendarInfo(id="feed", name="Nora (work)", primary=True, can_write=False)]


@pytest.fixture
def company(db: None) -> Iterator[Company]:
    with time_machine.travel(NOW, tick=False):
        yield company_build()


def test_a_refresh_fills_the_busy_cache_and_those_times_are_not_offered(
    company: Company, feed_server: FeedServer
) -> None:
    row = CalendarConnection.objects.create(
        user=company.interviewer,
        provider=CalendarConnection.Provider.ICS_FEED,
        account="Nora (work)",
        credentials={"url": address(feed_server)},
        # Read a moment ago with nothing in it (a calendar never read counts as busy).
        last_synced_at=django_now(),
    )
    request = company.send().request
    window = (NOW, NOW + timedelta(days=14))
    offered_before = request_slots(request=request, start=window[0], end=window[1], now=NOW)

    stored = connection_busy_refresh(row=row)

    assert stored == len(EXPECTED)
    cached = BusyInterval.objects.filter(user=company.interviewer, source="ics_feed")
    assert sorted((i.start, i.end) for i in cached) == [(b.start, b.end) for b in EXPECTED]
    assert BusySync.objects.get(user=company.interviewer, source="ics_feed").last_error == ""
    offered = request_slots(request=request, start=window[0], end=window[1], now=NOW)

    def on_friday(slots: list[Slot]) -> list[Slot]:
        return [slot for slot in slots if slot.start_at.date() == utc(6, 0).date()]

    assert on_friday(offered_before), "Friday 6 March was offered before the refresh"
    assert on_friday(offered) == [], "the offsite takes the whole day"
    moved_standup = (utc(3, 18), utc(3, 18, 30))
    assert any(
        s.start_at < moved_standup[1] and s.end_at > moved_standup[0] for s in offered_before
    )
    assert not any(s.start_at < moved_standup[1] and s.end_at > moved_standup[0] for s in offered)
    # Wednesday's standup was removed from the series: 10:00 New York is still offered.
    assert any(s.start_at == utc(4, 15) for s in offered)


def test_a_feed_is_never_where_interview_events_go(
    company: Company, feed_server: FeedServer
) -> None:
    CalendarConnection.objects.create(
        user=company.interviewer,
        provider=CalendarConnection.Provider.ICS_FEED,
        account="Nora (work)",
        credentials={"url": address(feed_server)},
        receives_events=True,
    )
    owner = CalendarOwner(
        user_id=company.interviewer.pk, email=company.interviewer.email, time_zone="UTC"
    )
    feed = provider_for(address(feed_server))
    spec = EventSpec(
        uid=f"{uuid.uuid4()}@hireslot",
        sequence=0,
        title="Interview",
        description="",
        location="",
        start=utc(3, 15),
        end=utc(3, 16),
    )

    assert isinstance(event_provider_for(owner), BuiltInCalendarProvider)
    with pytest.raises(PermanentProviderError, match=r"An ICS feed is read-only\."):
        feed.event_upsert(owner=owner, spec=spec)
    with pytest.raises(PermanentProviderError, match=r"An ICS feed is read-only\."):
        feed.event_delete(owner=owner, uid=spec.uid)
    assert feed.calendars_list() == [
        CalendarInfo(id="feed", name="Nora (work)", primary=True, can_write=False)
    ]


# --- feeds that cannot be read ---------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/basic.ics", "gopher://127.0.0.1/", "/basic.ics"],
)
def test_only_web_addresses_are_fetched(url: str) -> None:
    with pytest.raises(PermanentProviderError, match="must start with https://"):
        provider_for(url).busy_read(start=utc(2, 0), end=utc(3, 0))


def test_webcal_addresses_are_fetched_over_https() -> None:
    assert feed_url_check("webcal://p01-calendars.icloud.com/published/2/abc") == (
        "https://p01-calendars.icloud.com/published/2/abc"
    )


def test_a_redirect_to_a_local_file_is_refused(feed_server: FeedServer) -> None:
    with pytest.raises(PermanentProviderError, match="redirected to an address that is not http"):
        provider_for(address(feed_server, "sneaky.ics")).busy_read(start=utc(2, 0), end=utc(3, 0))


@pytest.mark.parametrize("path", ["huge-declared.ics", "huge-streamed.ics"])
def test_a_feed_over_ten_megabytes_is_refused(feed_server: FeedServer, path: str) -> None:
    with pytest.raises(PermanentProviderError, match=r"too large \(over 10 MB\)"):
        provider_for(address(feed_server, path)).busy_read(start=utc(2, 0), end=utc(3, 0))


def test_a_page_that_is_not_a_calendar_is_refused(feed_server: FeedServer) -> None:
    with pytest.raises(PermanentProviderError, match="did not return an iCalendar feed"):
        provider_for(address(feed_server, "web")).busy_read(start=utc(2, 0), end=utc(3, 0))


def test_a_feed_that_is_gone_needs_its_owner_and_the_message_keeps_the_secret(
    feed_server: FeedServer,
) -> None:
    feed_server.status = 404

    with pytest.raises(PermanentProviderError) as gone:
        provider_for(address(feed_server)).busy_read(start=utc(2, 0), end=utc(3, 0))

    # Permanent, and specifically a broken connection, so its owner is told to reconnect.
    assert isinstance(gone.value, ConnectionBrokenError)
    assert "HTTP 404" in str(gone.value)
    assert "secret address" in str(gone.value)
    assert "private-3f9a1c0d7e" not in str(gone.value)


def test_a_failing_feed_host_is_retried_later_with_its_advice(feed_server: FeedServer) -> None:
    feed_server.status = 500
    feed_server.retry_after = "300"

    with pytest.raises(TransientProviderError, match="HTTP 500") as failing:
        provider_for(address(feed_server)).busy_read(start=utc(2, 0), end=utc(3, 0))

    assert failing.value.retry_after == 300
    assert "private-3f9a1c0d7e" not in str(failing.value)


@override_settings(HIRESLOT_PROVIDER_TIMEOUT=0.2)
def test_a_feed_that_trickles_in_is_given_up_and_retried_later(feed_server: FeedServer) -> None:
    started = time.monotonic()

    with pytest.raises(TransientProviderError, match="took too long"):
        provider_for(address(feed_server, "trickle.ics")).busy_read(start=utc(2, 0), end=utc(3, 0))

    # Four timeouts' worth, not the five seconds the host would have taken.
    assert time.monotonic() - started < 3


def test_an_unreachable_feed_host_is_retried_later() -> None:
    from tests.calendars.radicale_server import free_port

    with pytest.raises(TransientProviderError, match="could not connect"):
        provider_for(f"http://127.0.0.1:{free_port()}/{SECRET}").busy_read(
            start=utc(2, 0), end=utc(3, 0)
        )


def test_a_feed_that_names_no_zone_places_all_day_events_in_the_owners_own_day(
    feed_server: FeedServer,
) -> None:
    """Given a feed without X-WR-TIMEZONE or VTIMEZONE and an owner working in New York, when
    it is read, then its all-day event is the owner's whole day."""
    feed_server.feed = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:holiday@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
        b"DTSTART;VALUE=DATE:20260306\r\nDTEND;VALUE=DATE:20260307\r\n"
        b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    provider = IcsFeedCalendarProvider(
        Connection(
            id="1",
            provider="ics_feed",
            account="Nora",
            credentials={"url": address(feed_server)},
            time_zone="America/New_York",
        )
    )

    blocks = provider.busy_read(start=utc(2, 0), end=utc(14, 0))

    assert [(b.start, b.end) for b in blocks] == [(utc(6, 5), utc(7, 5))]
