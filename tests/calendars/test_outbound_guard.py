"""Calendar feeds and CalDAV servers go through the outbound-request guard on the worker's
refreshes, not only when the form is saved: a redirect or a DNS answer that leads to this
machine, the metadata service or a private network is refused without the connection being
made, and what people see of any failure is the host and a category, never what the far side
sent.

The guard is on (HIRESLOT_ALLOW_PRIVATE_URLS off, as in production). Made-up public names are
routed to servers on 127.0.0.1 by ``tests.network.FakeNetwork`` only where a test says so;
the "internal" servers stand for what must never be reached and record every request.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from hireslot.calendars.models import BusyInterval, BusySync, CalendarConnection, ConnectionStatus
from hireslot.calendars.providers.caldav import caldav_connection_check
from hireslot.calendars.services_refresh import refresh_chain_ensure
from hireslot.core.outbound import outbound_network_use
from hireslot.core.remote import ConnectionBrokenError, PermanentProviderError
from tests.calendars.radicale_server import RadicaleServer, radicale_start
from tests.network import PUBLIC, PUBLIC_2, Answer, FakeNetwork, RecordingServer
from tests.scheduling.conftest import Company, run_worker

SECRET = "/private-3f9a1c0d7e/basic.ics"
FEED = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Tests//EN\r\nX-WR-CALNAME:Nora\r\n"
    b"BEGIN:VEVENT\r\nUID:standup@example.com\r\nDTSTAMP:20260101T000000Z\r\n"
    b"DTSTART:20260303T150000Z\r\nDTEND:20260303T153000Z\r\nSUMMARY:Standup\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)
REFUSED = "refused: private address"

# The real worker runs in these tests, and it commits.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def production_policy(settings: Any) -> None:
    settings.HIRESLOT_ALLOW_PRIVATE_URLS = False
    # A guard that let a connection through to an unroutable address would wait this long.
    settings.HIRESLOT_PROVIDER_TIMEOUT = 2


@pytest.fixture
def internal() -> Iterator[RecordingServer]:
    """A service on this machine that no user-supplied address may reach."""
    with RecordingServer(
        {"/": Answer(200, b"SSH-2.0-OpenSSH_9.2 internal"), "/latest/meta-data/": Answer(200)}
    ) as server:
        yield server


@pytest.fixture
def public() -> Iterator[RecordingServer]:
    """The feed host on the internet, as far as the guard can tell (see FakeNetwork)."""
    with RecordingServer({SECRET: Answer(200, FEED, {"Content-Type": "text/calendar"})}) as server:
        yield server


def feed_connection(company: Company, url: str) -> CalendarConnection:
    return CalendarConnection.objects.create(
        user=company.interviewer,
        organization=company.organization,
        provider=CalendarConnection.Provider.ICS_FEED,
        account="Nora (work)",
        credentials={"url": url},
    )


def worker_refreshes(row: CalendarConnection) -> CalendarConnection:
    """The worker's scheduled refresh, as `make run` runs it."""
    refresh_chain_ensure()
    run_worker()
    row.refresh_from_db()
    return row


def as_owner(company: Company) -> Client:
    client = Client()
    client.force_login(company.interviewer)
    return client


# --- feeds -----------------------------------------------------------------------------------


def test_a_feed_saved_at_an_address_on_this_machine_is_not_fetched_by_the_worker(
    company: Company, internal: RecordingServer
) -> None:
    # Saved before the form checked, or while the operator allowed private addresses.
    row = feed_connection(company, f"http://127.0.0.1:{internal.port}/latest/meta-data/")

    row = worker_refreshes(row)

    assert internal.seen == []
    assert row.status == ConnectionStatus.BROKEN
    assert row.last_error.startswith(f"The calendar feed at 127.0.0.1:{internal.port}: {REFUSED}.")


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:{internal}/latest/meta-data/",
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://10.20.30.40/admin",
        "http://172.16.5.4:{internal}/",
        "http://[::1]:{internal}/",
        "http://[::ffff:127.0.0.1]:{internal}/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://intranet.example:{internal}/",
    ],
)
def test_a_feed_that_redirects_inside_is_refused_by_the_worker_without_connecting(
    company: Company, internal: RecordingServer, public: RecordingServer, location: str
) -> None:
    public.answers["/moved.ics"] = Answer(
        302, headers={"Location": location.format(internal=internal.port)}
    )
    network = FakeNetwork(
        names={"calendar.example": [[PUBLIC]], "intranet.example": [["192.168.1.10"]]},
        routes={PUBLIC: public.port},
    )
    row = feed_connection(company, "http://calendar.example/moved.ics")

    with outbound_network_use(network):
        row = worker_refreshes(row)

    # The feed host was asked once; nothing after its redirect was connected to.
    assert [seen.path for seen in public.seen] == ["/moved.ics"]
    assert network.connects == [(PUBLIC, 80)]
    assert internal.seen == []
    assert row.status == ConnectionStatus.BROKEN
    assert REFUSED in row.last_error
    assert not BusyInterval.objects.filter(user=company.interviewer).exists()


def test_a_feed_whose_name_rebinds_after_the_form_check_is_refused_by_the_worker(
    company: Company, internal: RecordingServer, public: RecordingServer
) -> None:
    # Public when the form checks it, this machine when the worker looks it up. The port is
    # the internal service's.
    network = FakeNetwork(
        names={"calendar.example": [[PUBLIC], ["127.0.0.1"]]}, routes={PUBLIC: public.port}
    )
    url = f"http://calendar.example:{internal.port}{SECRET}"

    with outbound_network_use(network):
        saved = as_owner(company).post(
            "/settings/connections/ics/", {"url": url, "name": "Nora (work)"}, follow=True
        )
        assert "The feed is added" in saved.content.decode()
        row = worker_refreshes(CalendarConnection.objects.get(user=company.interviewer))

    assert network.lookups[:2] == ["calendar.example", "calendar.example"]
    assert network.connects == []
    assert internal.seen == [] and public.seen == []
    assert row.status == ConnectionStatus.BROKEN
    page = as_owner(company).get("/settings/connections/").content.decode()
    assert f"The calendar feed at calendar.example:{internal.port}: {REFUSED}." in page


def test_a_moved_feed_is_followed_hop_by_hop_each_host_checked(
    company: Company, public: RecordingServer
) -> None:
    public.answers["/old.ics"] = Answer(301, headers={"Location": f"http://cdn.example{SECRET}"})
    with RecordingServer({SECRET: Answer(200, FEED)}) as cdn:
        network = FakeNetwork(
            names={"calendar.example": [[PUBLIC]], "cdn.example": [[PUBLIC_2]]},
            routes={PUBLIC: public.port, PUBLIC_2: cdn.port},
        )
        row = feed_connection(company, "http://calendar.example/old.ics")

        with outbound_network_use(network):
            row = worker_refreshes(row)

        assert [seen.path for seen in cdn.seen] == [SECRET]
    assert network.lookups == ["calendar.example", "cdn.example"]
    assert network.connects == [(PUBLIC, 80), (PUBLIC_2, 80)]
    assert row.status == ConnectionStatus.ACTIVE
    assert BusySync.objects.get(user=company.interviewer, source="ics_feed").last_error == ""
    assert BusyInterval.objects.filter(user=company.interviewer, source="ics_feed").count() == 1


@pytest.mark.parametrize(
    ("answer", "category"),
    [
        (Answer(200, b"SSH-2.0-OpenSSH_9.2p1 Debian-2 build-7f3a\r\n"), "not a calendar"),
        (Answer(200, b'{"AccessKeyId": "ASIA7f3a", "Token": "7f3a"}'), "not a calendar"),
        (Answer(500, b"Traceback: db password 7f3a"), "HTTP 500"),
        (Answer(418, b"teapot 7f3a"), "HTTP 418"),
    ],
)
def test_people_see_the_feeds_host_and_what_went_wrong_never_what_it_sent(
    company: Company, settings: Any, answer: Answer, category: str
) -> None:
    # The message is the same whether or not private addresses are allowed; a loopback host
    # stands for any host here.
    settings.HIRESLOT_ALLOW_PRIVATE_URLS = True
    with RecordingServer({SECRET: answer}) as host:
        worker_refreshes(feed_connection(company, f"http://127.0.0.1:{host.port}{SECRET}"))

    error = BusySync.objects.get(user=company.interviewer, source="ics_feed").last_error
    assert error.startswith(f"The calendar feed at 127.0.0.1:{host.port}: {category}.")
    page = as_owner(company).get("/settings/").content.decode()
    assert f"127.0.0.1:{host.port}: {category}." in page
    assert "7f3a" not in error and "7f3a" not in page  # nothing the host sent
    assert "private-3f9a1c0d7e" not in error  # nor the secret path


# --- CalDAV ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    server = radicale_start(tmp_path_factory.mktemp("radicale-guard"))
    yield server
    server.stop()


def caldav_connection(company: Company, url: str) -> CalendarConnection:
    return CalendarConnection.objects.create(
        user=company.interviewer,
        organization=company.organization,
        provider=CalendarConnection.Provider.CALDAV,
        account="nora",
        credentials={"url": url, "username": "nora", "password": "app-password"},
    )


def test_a_caldav_server_on_a_public_address_connects_through_the_guard(
    radicale: RadicaleServer,
) -> None:
    import caldav

    user = f"nora-{uuid.uuid4().hex[:8]}"
    principal = caldav.DAVClient(url=radicale.url, username=user, password="x").principal()
    principal.make_calendar(name="Work", cal_id="work")
    port = int(radicale.url.rsplit(":", 1)[1].strip("/"))
    network = FakeNetwork(names={"dav.example": [[PUBLIC]]}, routes={PUBLIC: port})

    with outbound_network_use(network):
        name, calendars = caldav_connection_check(
            url=f"http://dav.example:{port}/", username=user, password="x"
        )

    assert name == user
    assert [calendar.name for calendar in calendars] == ["Work"]
    assert {address for address, _port in network.connects} == {PUBLIC}


def test_a_caldav_server_whose_name_rebinds_is_refused_by_the_worker_without_connecting(
    company: Company, internal: RecordingServer
) -> None:
    network = FakeNetwork(names={"dav.example": [["127.0.0.1"]]})
    row = caldav_connection(company, f"http://dav.example:{internal.port}/")

    with outbound_network_use(network):
        row = worker_refreshes(row)

    assert network.connects == []
    assert internal.seen == []
    assert row.status == ConnectionStatus.BROKEN
    assert row.last_error.startswith(
        f"The CalDAV server at dav.example:{internal.port}: {REFUSED}."
    )


def test_a_caldav_server_that_redirects_to_another_host_is_not_followed(
    public: RecordingServer, internal: RecordingServer
) -> None:
    public.answers["/"] = Answer(301, headers={"Location": f"http://127.0.0.1:{internal.port}/"})
    network = FakeNetwork(names={"dav.example": [[PUBLIC]]}, routes={PUBLIC: public.port})

    with outbound_network_use(network), pytest.raises(PermanentProviderError) as refused:
        caldav_connection_check(url="http://dav.example/", username="nora", password="x")

    assert "redirected to another server" in str(refused.value)
    assert internal.seen == []


@pytest.mark.parametrize(
    ("answer", "category"),
    [
        (Answer(500, b"Traceback: db password 7f3a"), "HTTP 500"),
        (Answer(400, b'{"error": {"message": "internal 7f3a"}}'), "HTTP 400"),
        (Answer(207, b"<not-xml 7f3a"), "unreadable answer"),
        (Answer(200, b"<html>7f3a</html>"), "not a CalDAV server"),
        (Answer(301, headers={"Location": "http://[7f3a/"}), "unexpected answer"),
    ],
)
def test_people_see_the_caldav_servers_host_and_what_went_wrong_never_what_it_sent(
    company: Company, settings: Any, answer: Answer, category: str
) -> None:
    settings.HIRESLOT_ALLOW_PRIVATE_URLS = True
    with RecordingServer({"/": answer}) as host:
        worker_refreshes(caldav_connection(company, f"http://127.0.0.1:{host.port}/"))

    error = BusySync.objects.get(user=company.interviewer, source="caldav").last_error
    assert f"127.0.0.1:{host.port}: {category}" in error
    assert "7f3a" not in error
    page = as_owner(company).get("/settings/").content.decode()
    assert "7f3a" not in page


def test_a_refused_caldav_address_breaks_the_connection_for_its_owner_to_fix(
    company: Company,
) -> None:
    network = FakeNetwork(names={"dav.example": [["10.0.0.8"]]})

    with outbound_network_use(network), pytest.raises(ConnectionBrokenError) as refused:
        caldav_connection_check(url="https://dav.example/", username="nora", password="x")

    assert str(refused.value).startswith(f"The CalDAV server at dav.example: {REFUSED}.")
    assert network.connects == []


def test_the_caldav_form_refuses_private_addresses_with_a_clear_error(
    company: Company, internal: RecordingServer
) -> None:
    for url in (f"http://127.0.0.1:{internal.port}/", "http://[::ffff:169.254.169.254]/"):
        response = as_owner(company).post(
            "/settings/connections/caldav/",
            {"url": url, "username": "nora", "password": "x"},
            follow=True,
        )
        assert f"{REFUSED}. HireSlot only connects to public internet addresses" in (
            response.content.decode()
        )
    assert internal.seen == []
    assert not CalendarConnection.objects.exists()
