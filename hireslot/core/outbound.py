"""The outbound-request guard: the one way HireSlot talks to an address a user gave it
(ICS feeds, CalDAV servers, and webhooks to come).

A user who may type a URL could otherwise make the server fetch what only the server can
reach: ``127.0.0.1``, the cloud metadata service at ``169.254.169.254``, the office network.
Checking the address when a form is saved is not enough: the worker fetches it again every
few minutes, the host may redirect anywhere, and its DNS answer may change between the check
and the fetch (rebinding). So the check lives where the connection is made:

- ``outbound_client()`` is an ``httpx.Client`` whose every TCP connection is opened by
  ``_GuardedBackend.connect_tcp``: it resolves the host once, refuses the connection when any
  answer is not a global internet address (``address_is_public``), and connects to exactly
  the address it checked. TLS (SNI, certificate) and the ``Host`` header keep the name, so a
  name that rebinds between look-ups cannot switch the connection. Each redirect hop to a new
  host is a new connection, so each hop is checked; so is each scheduled refresh.
- Environment proxies and ``.netrc`` are ignored (``trust_env=False``): a proxy would make
  the proxy's address the one connected to and hide the real target from the check.
- ``outbound_url_check`` runs the same resolution and policy when a form is saved, so people
  get a clear error at once; it is a courtesy, the connection-time check is the guard.

``HIRESLOT_ALLOW_PRIVATE_URLS`` (on in development, off in production) turns the address
policy off, for CalDAV servers and feeds on this machine during development; connections are
still made to the address resolved.

Failures are ``OutboundError``: the host and a category ("refused: private address",
"could not connect", "timed out" ...), never what the far side said, so error messages
cannot be used to read internal services or scan ports. The refused address is logged for
the operator.

Vendor APIs (Google, Microsoft, Zoom) use ``core.remote.http.http_client``: their
base URLs come from the operator's settings, not from users, and are not guarded here.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol
from urllib.parse import urlsplit

import httpcore
import httpx
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# What users are told. A category, never the far side's words.
REFUSED = "refused: private address"
NOT_FOUND = "host not found"
CANNOT_CONNECT = "could not connect"
TIMED_OUT = "timed out"
CONNECTION_FAILED = "connection failed"

DEFAULT_PORTS = {"http": 80, "https": 443}

# Ranges Python 3.11's ``is_global`` still counts as global although IANA's special-purpose
# registries do not (or that tunnel to IPv4 ranges we cannot see): 6to4 (2002::/16, which
# wraps any IPv4 address, 127.0.0.1 included), Teredo, the local-use NAT64 prefix, the
# deprecated 6to4 relay anycast and site-local IPv6.
_NOT_GLOBAL = tuple(
    ipaddress.ip_network(network)
    for network in (
        "192.88.99.0/24",
        "2002::/16",
        "2001::/32",
        "64:ff9b:1::/48",
        "fec0::/10",
    )
)
# The well-known NAT64 prefix (RFC 6052) reaches the IPv4 address in its last 32 bits.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def address_is_public(address: str) -> bool:
    """Whether ``address`` (as a resolver returns it) is a global unicast internet address.

    Refused: loopback, private (RFC 1918, IPv6 ULA), link-local (the metadata service at
    169.254.169.254 included), shared CGNAT space, multicast, reserved, unspecified,
    documentation and benchmarking ranges, and IPv6 forms that wrap one of those (IPv4-mapped,
    IPv4-compatible, NAT64, 6to4, Teredo).
    """
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return address_is_public(str(ip.ipv4_mapped))
        if ip in _NAT64:
            return address_is_public(str(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    if any(ip in network for network in _NOT_GLOBAL if network.version == ip.version):
        return False
    return (
        ip.is_global
        and not ip.is_multicast
        and not ip.is_reserved
        and not ip.is_private
        and not ip.is_loopback
        and not ip.is_link_local
        and not ip.is_unspecified
    )


class OutboundError(Exception):
    """A request to a user-supplied address failed. ``str()`` is fit to show: the host and a
    category, nothing the far side sent."""

    def __init__(self, *, host: str, category: str, transient: bool) -> None:
        super().__init__(f"{host}: {category}")
        self.host = host
        self.category = category
        # Worth trying again later (a timeout); a refusal is not.
        self.transient = transient


class OutboundRefusedError(OutboundError):
    """The host resolves to an address HireSlot must not connect to."""

    def __init__(self, *, host: str) -> None:
        super().__init__(host=host, category=REFUSED, transient=False)


def outbound_failure(error: Exception, *, host: str) -> OutboundError:
    """The ``OutboundError`` for anything a request through ``outbound_client`` raised,
    naming ``host`` as the caller shows it (with its port)."""
    if isinstance(error, OutboundError):
        return OutboundError(host=host, category=error.category, transient=error.transient)
    if isinstance(error, httpx.TimeoutException):
        return OutboundError(host=host, category=TIMED_OUT, transient=True)
    if isinstance(error, httpx.ConnectError):
        return OutboundError(host=host, category=CANNOT_CONNECT, transient=True)
    return OutboundError(host=host, category=CONNECTION_FAILED, transient=True)


def status_category(status: int) -> str:
    return f"HTTP {status}"


def url_host(url: str | httpx.URL) -> str:
    """The host (and port, when one is given) of ``url``: what messages may name. Never the
    path or query, which for a secret feed is the secret."""
    parts = urlsplit(str(url))
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:
        port = None
    return f"{host}:{port}" if port else host


# --- the network: how names are resolved and addresses connected to ------------------------


class Network(Protocol):
    """Name resolution and TCP connection, replaceable only in tests (``outbound_network_use``)."""

    def resolve(self, host: str, port: int) -> list[str]:
        """Every address ``host`` has; ``OSError`` when it has none."""

    def connect(
        self,
        address: str,
        port: int,
        *,
        timeout: float | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.NetworkStream:
        """A stream connected to exactly ``address``."""


class SystemNetwork:
    """The operating system's resolver and sockets."""

    def resolve(self, host: str, port: int) -> list[str]:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return list(dict.fromkeys(str(answer[4][0]) for answer in answers))

    def connect(
        self,
        address: str,
        port: int,
        *,
        timeout: float | None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None,
    ) -> httpcore.NetworkStream:
        # An address literal: create_connection does no further look-up.
        return httpcore.SyncBackend().connect_tcp(
            address, port, timeout=timeout, socket_options=socket_options
        )


_SYSTEM_NETWORK = SystemNetwork()
_network_override: Network | None = None


def _network() -> Network:
    if _network_override is None:
        return _SYSTEM_NETWORK
    if settings.PRODUCTION:
        # Belt and braces: tests are the only callers of outbound_network_use.
        raise ImproperlyConfigured("A replaced outbound network is for tests only.")
    return _network_override


@contextmanager
def outbound_network_use(network: Network) -> Iterator[None]:
    """Resolve and connect through ``network`` inside the block: how tests map a made-up
    public name to a server on 127.0.0.1 while the address policy stays on. Only Python code
    can call it (no setting or environment variable reaches it), and it refuses to run with
    ``HIRESLOT_ENV=production``."""
    global _network_override
    if settings.PRODUCTION:
        raise ImproperlyConfigured("A replaced outbound network is for tests only.")
    previous, _network_override = _network_override, network
    try:
        yield
    finally:
        _network_override = previous


def _addresses_checked(host: str, port: int, *, network: Network) -> list[str]:
    """``host``'s addresses, all of them allowed; one look-up, the only one."""
    try:
        addresses = network.resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise OutboundError(host=host, category=NOT_FOUND, transient=True) from error
    if not addresses:
        raise OutboundError(host=host, category=NOT_FOUND, transient=True)
    if not settings.HIRESLOT_ALLOW_PRIVATE_URLS:
        refused = [address for address in addresses if not address_is_public(address)]
        if refused:
            # A name with one private answer among public ones is refused whole: it is a
            # misconfiguration or an attack, and a clear refusal beats a flaky one.
            logger.warning(
                "outbound request to %s refused: it resolves to %s", host, ", ".join(refused)
            )
            raise OutboundRefusedError(host=host)
    return addresses


def outbound_url_check(url: str) -> None:
    """Raise ``OutboundError`` now when ``url``'s host would be refused (or cannot be found):
    the form-time courtesy. The connection-time check in ``outbound_client`` is the guard."""
    if settings.HIRESLOT_ALLOW_PRIVATE_URLS:
        return
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 443)
    except ValueError as error:
        raise OutboundError(host=host, category="not a valid port", transient=False) from error
    _addresses_checked(host, port, network=_network())


# --- the guarded client -----------------------------------------------------------------------


class _GuardedBackend(httpcore.NetworkBackend):
    """Opens every connection of ``outbound_client``: resolve, check, connect to the checked
    address (httpcore then starts TLS with the host name, not the address)."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        network = _network()
        last_error: Exception | None = None
        for address in _addresses_checked(host, port, network=network):
            try:
                return network.connect(
                    address, port, timeout=timeout, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error  # try the host's next address, as browsers do
        assert last_error is not None
        raise last_error

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        raise OutboundRefusedError(host=path)

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    def __init__(self) -> None:
        super().__init__(trust_env=False)
        # HTTPTransport sends through ``_pool``; this pool opens connections only through
        # the guard. tests/core/test_outbound.py proves the guard is in the path, so an httpx
        # upgrade that stopped using ``_pool`` fails the tests instead of silently unguarding.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            network_backend=_GuardedBackend(),
            retries=0,
        )


def outbound_client(*, timeout: float | None = None) -> httpx.Client:
    """The HTTP client for user-supplied addresses. Redirects are not followed by the client:
    callers follow them hop by hop with their own rules (schemes, same server, hop limit);
    every hop's connection is checked here either way."""
    return httpx.Client(
        transport=_GuardedTransport(),
        timeout=httpx.Timeout(settings.HIRESLOT_PROVIDER_TIMEOUT if timeout is None else timeout),
        headers={"User-Agent": "HireSlot"},
        follow_redirects=False,
        trust_env=False,
    )
