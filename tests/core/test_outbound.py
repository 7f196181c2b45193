"""The outbound-request guard: a connection to a user-supplied address goes only to a public
address, the very one that was checked, whatever the name answers next, and whatever proxies
the environment names. Run with HIRESLOT_ALLOW_PRIVATE_URLS off, as in production."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured

from hireslot.core.outbound import (
    REFUSED,
    OutboundError,
    OutboundRefusedError,
    address_is_public,
    outbound_client,
    outbound_failure,
    outbound_network_use,
    outbound_url_check,
    url_host,
)
from tests.network import (
    PUBLIC,
    PUBLIC_2,
    PUBLIC_V6,
    Answer,
    FakeNetwork,
    RecordingServer,
    ipv6_loopback_available,
)


@pytest.fixture(autouse=True)
def production_policy(settings: Any) -> None:
    settings.HIRESLOT_ALLOW_PRIVATE_URLS = False


@pytest.fixture
def internal() -> Iterator[RecordingServer]:
    """A service only this machine should reach: it must never see a request."""
    with RecordingServer({"/": Answer(200, b"internal secret")}) as server:
        yield server


@pytest.fixture
def public() -> Iterator[RecordingServer]:
    """What a made-up public address is routed to."""
    with RecordingServer({"/feed.ics": Answer(200, b"BEGIN:VCALENDAR")}) as server:
        yield server


# --- which addresses are public --------------------------------------------------------------

REFUSED_ADDRESSES = [
    "127.0.0.1",
    "127.255.255.254",
    "0.0.0.0",  # noqa: S104 (an address to refuse, not one to bind)
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "169.254.0.1",
    "100.64.0.1",  # CGNAT
    "100.127.255.254",
    "192.0.0.1",
    "192.0.2.1",
    "198.18.0.1",
    "198.51.100.1",
    "203.0.113.1",
    "192.88.99.1",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "::127.0.0.1",  # IPv4-compatible
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::1",
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
    "2002:808:808::1",  # 6to4 at all
    "2001::1",  # Teredo
    "2001:db8::1",
    "fc00::1",
    "fd12:3456:789a::1",  # unique local
    "fe80::1",
    "fe80::1%lo",
    "fec0::1",  # site-local
    "ff02::1",
    "ff0e::1",
    "100::1",
    "not an address",
]

PUBLIC_ADDRESSES = [
    "93.184.216.34",
    "8.8.8.8",
    "1.1.1.1",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",  # NAT64 of a public address (IPv6-only networks)
]


@pytest.mark.parametrize("address", REFUSED_ADDRESSES)
def test_addresses_that_are_not_global_are_refused(address: str) -> None:
    assert not address_is_public(address)


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_global_addresses_are_allowed(address: str) -> None:
    assert address_is_public(address)


# --- the connection --------------------------------------------------------------------------


def test_a_request_to_this_machine_is_refused_before_connecting(
    internal: RecordingServer,
) -> None:
    with outbound_client() as client, pytest.raises(OutboundRefusedError) as refused:
        client.get(f"http://127.0.0.1:{internal.port}/")

    assert str(refused.value) == f"127.0.0.1: {REFUSED}"
    assert internal.seen == []


@pytest.mark.parametrize(
    "host",
    [
        "localhost",
        "127.1",
        "2130706433",
        "0x7f000001",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
    ],
)
def test_every_spelling_of_this_machine_is_refused(host: str, internal: RecordingServer) -> None:
    with outbound_client() as client, pytest.raises(OutboundError) as refused:
        client.get(f"http://{host}:{internal.port}/")

    assert refused.value.category == REFUSED
    assert internal.seen == []


@pytest.mark.skipif(not ipv6_loopback_available(), reason="no IPv6 loopback here")
def test_the_ipv6_loopback_is_refused() -> None:
    with RecordingServer({"/": Answer(200, b"internal")}, host="::1") as internal:
        with outbound_client() as client, pytest.raises(OutboundRefusedError):
            client.get(f"http://[::1]:{internal.port}/")

        assert internal.seen == []


def test_a_name_is_looked_up_once_and_the_checked_address_is_the_one_connected_to(
    internal: RecordingServer, public: RecordingServer
) -> None:
    # Public on the first look-up, this machine on any later one (DNS rebinding). The URL's
    # port is the internal server's: a second look-up would reach it.
    network = FakeNetwork(
        names={"calendar.example": [[PUBLIC], ["127.0.0.1"]]}, routes={PUBLIC: public.port}
    )
    url = f"http://calendar.example:{internal.port}/feed.ics"

    with outbound_network_use(network), outbound_client() as client:
        response = client.get(url)

    assert response.text == "BEGIN:VCALENDAR"
    assert network.lookups == ["calendar.example"]
    assert network.connects == [(PUBLIC, internal.port)]
    # The request still names the host (virtual hosting, and TLS names it the same way).
    assert [seen.host for seen in public.seen] == [f"calendar.example:{internal.port}"]
    assert internal.seen == []

    # The next connection (a later refresh) looks up again, gets 127.0.0.1, and is refused.
    with (
        outbound_network_use(network),
        outbound_client() as client,
        pytest.raises(OutboundRefusedError),
    ):
        client.get(url)

    assert network.lookups == ["calendar.example", "calendar.example"]
    assert network.connects == [(PUBLIC, internal.port)]
    assert internal.seen == []


def test_a_name_with_one_private_answer_among_public_ones_is_refused(
    internal: RecordingServer, public: RecordingServer
) -> None:
    network = FakeNetwork(
        names={"mixed.example": [[PUBLIC, "127.0.0.1"]]}, routes={PUBLIC: public.port}
    )

    with (
        outbound_network_use(network),
        outbound_client() as client,
        pytest.raises(OutboundRefusedError),
    ):
        client.get(f"http://mixed.example:{internal.port}/feed.ics")

    assert network.connects == []
    assert public.seen == internal.seen == []


def test_an_ipv6_public_answer_is_connected_to_as_checked(public: RecordingServer) -> None:
    network = FakeNetwork(names={"v6.example": [[PUBLIC_V6]]}, routes={PUBLIC_V6: public.port})

    with outbound_network_use(network), outbound_client() as client:
        assert client.get("http://v6.example/feed.ics").status_code == 200

    assert network.connects == [(PUBLIC_V6, 80)]


def test_a_redirect_is_not_followed_by_the_client_and_each_new_host_is_checked(
    internal: RecordingServer, public: RecordingServer
) -> None:
    public.answers["/moved"] = Answer(302, headers={"Location": "http://cdn.example/feed.ics"})
    with RecordingServer({"/feed.ics": Answer(200, b"moved here")}) as cdn:
        network = FakeNetwork(
            names={"calendar.example": [[PUBLIC]], "cdn.example": [[PUBLIC_2]]},
            routes={PUBLIC: public.port, PUBLIC_2: cdn.port},
        )
        with outbound_network_use(network), outbound_client() as client:
            first = client.get("http://calendar.example/moved")
            assert first.status_code == 302  # the caller decides whether to follow
            second = client.get(first.headers["Location"])

        assert second.text == "moved here"
        assert network.connects == [(PUBLIC, 80), (PUBLIC_2, 80)]


def test_proxies_named_in_the_environment_are_not_used(
    monkeypatch: pytest.MonkeyPatch, internal: RecordingServer, public: RecordingServer
) -> None:
    with RecordingServer() as proxy:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "all_proxy"):
            monkeypatch.setenv(name, f"http://127.0.0.1:{proxy.port}")
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        network = FakeNetwork(names={"calendar.example": [[PUBLIC]]}, routes={PUBLIC: public.port})

        with outbound_network_use(network), outbound_client() as client:
            assert client.get("http://calendar.example/feed.ics").status_code == 200
            with pytest.raises(OutboundRefusedError):
                client.get(f"http://127.0.0.1:{internal.port}/")

        assert proxy.seen == []
        assert internal.seen == []
        assert len(public.seen) == 1


def test_private_addresses_are_reached_when_the_operator_allows_them(
    settings: Any, internal: RecordingServer
) -> None:
    settings.HIRESLOT_ALLOW_PRIVATE_URLS = True

    with outbound_client() as client:
        assert client.get(f"http://127.0.0.1:{internal.port}/").text == "internal secret"


# --- failures as people see them ------------------------------------------------------------


def test_an_unknown_name_is_not_found() -> None:
    with (
        outbound_network_use(FakeNetwork()),
        outbound_client() as client,
        pytest.raises(OutboundError) as failure,
    ):
        client.get("http://nowhere.example/feed.ics")

    assert str(failure.value) == "nowhere.example: host not found"
    assert failure.value.transient


def test_a_closed_port_and_a_timeout_are_categories(public: RecordingServer) -> None:
    with RecordingServer() as closed:
        port = closed.port
    network = FakeNetwork(names={"calendar.example": [[PUBLIC]]}, routes={PUBLIC: port})

    with (
        outbound_network_use(network),
        outbound_client() as client,
        pytest.raises(httpx.ConnectError) as refused,
    ):
        client.get("http://calendar.example/feed.ics")

    failure = outbound_failure(refused.value, host="calendar.example")
    assert str(failure) == "calendar.example: could not connect"
    timeout = outbound_failure(httpx.ReadTimeout("slow"), host="calendar.example")
    assert str(timeout) == "calendar.example: timed out"


def test_hosts_are_named_without_path_query_or_user() -> None:
    assert url_host("https://u:p@calendar.example/private-3f9a?key=1") == "calendar.example"
    assert url_host("http://calendar.example:8443/x") == "calendar.example:8443"
    assert url_host("http://[::1]:80/x") == "[::1]:80"


# --- the form-time check, and the test hook --------------------------------------------------


def test_the_form_time_check_uses_the_same_policy() -> None:
    network = FakeNetwork(
        names={"calendar.example": [[PUBLIC]], "intranet.example": [["10.0.0.7"]]}
    )

    with outbound_network_use(network):
        outbound_url_check("https://calendar.example/feed.ics")
        with pytest.raises(OutboundRefusedError):
            outbound_url_check("https://intranet.example/feed.ics")
        with pytest.raises(OutboundRefusedError):
            outbound_url_check("http://[::ffff:169.254.169.254]/latest/meta-data/")
        with pytest.raises(OutboundError, match="host not found"):
            outbound_url_check("https://nowhere.example/")

    assert network.connects == []


def test_the_network_cannot_be_replaced_in_production(settings: Any) -> None:
    settings.PRODUCTION = True

    with pytest.raises(ImproperlyConfigured), outbound_network_use(FakeNetwork()):
        pass


# --- TLS keeps the name -----------------------------------------------------------------------


@pytest.fixture
def tls_server(tmp_path: Any) -> Iterator[tuple[int, list[str]]]:
    """A TLS server on 127.0.0.1 with a self-signed certificate that records the server name
    each client asks for (SNI)."""
    import socket
    import ssl
    import subprocess
    import threading

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=calendar.example", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str] = []

    def record(_socket: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        names.append(name or "")

    context.sni_callback = record  # type: ignore[assignment]
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def serve() -> None:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        try:
            with context.wrap_socket(connection, server_side=True):
                pass
        except (ssl.SSLError, OSError):
            pass  # the client refuses the self-signed certificate, as it should

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], names
    listener.close()
    thread.join(timeout=5)


def test_tls_asks_for_the_name_while_connecting_to_the_checked_address(
    tls_server: tuple[int, list[str]],
) -> None:
    port, names = tls_server
    network = FakeNetwork(names={"calendar.example": [[PUBLIC]]}, routes={PUBLIC: port})

    with (
        outbound_network_use(network),
        outbound_client() as client,
        pytest.raises(httpx.ConnectError) as untrusted,
    ):
        client.get("https://calendar.example/feed.ics")

    assert network.connects == [(PUBLIC, 443)]
    assert names == ["calendar.example"]
    # The certificate is checked against the name too (this one is self-signed).
    assert "CERTIFICATE_VERIFY_FAILED" in str(untrusted.value)
