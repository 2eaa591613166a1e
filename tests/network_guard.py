"""A fixture that keeps tests off the network: only loopback and unix sockets work.

``no_external_network`` patches, for one test, ``socket.socket.connect``/``connect_ex``/
``sendto``, ``socket.create_connection`` and ``socket.getaddrinfo`` so that reaching any
host outside 127.0.0.0/8, ``::1`` and ``localhost`` raises ``RuntimeError("network access
outside 127.0.0.1 in a test: ...")`` instead of leaking a request (or waiting for a DNS or
TCP timeout on an offline machine). Name lookups count: a hostname other than localhost is
refused before any DNS query is sent, which is also what makes clients that resolve first
(asyncio, anyio, httpx's async transport) fail with this error rather than a ``gaierror``.

Non-IP sockets (AF_UNIX, socketpair, netlink) are left alone.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import pytest

__all__ = ["MESSAGE", "NetworkAccessBlocked", "is_loopback_host", "no_external_network"]

MESSAGE = "network access outside 127.0.0.1 in a test"

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
_INET_FAMILIES = frozenset({socket.AF_INET, socket.AF_INET6})


class NetworkAccessBlocked(RuntimeError):
    """A test tried to reach a host that is not this machine's loopback interface."""


def is_loopback_host(host: object) -> bool:
    """True for 127.0.0.0/8, ::1 (also IPv4-mapped), ``localhost`` and ``*.localhost``."""
    if isinstance(host, bytes | bytearray):
        host = bytes(host).decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.strip().lower().removeprefix("[").removesuffix("]").split("%", 1)[0]
    name = name.rstrip(".")
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _refuse(what: str, address: object) -> NetworkAccessBlocked:
    return NetworkAccessBlocked(f"{MESSAGE}: {what} {address!r}")


def _check_socket_address(family: int, address: Any, what: str) -> None:
    if family not in _INET_FAMILIES:
        return  # unix sockets and the like never leave the machine
    if isinstance(address, tuple) and address and not is_loopback_host(address[0]):
        raise _refuse(what, address)


@pytest.fixture
def no_external_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every connection to a non-loopback address raise :class:`NetworkAccessBlocked`."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_sendto = socket.socket.sendto
    real_create_connection = socket.create_connection
    real_getaddrinfo = socket.getaddrinfo
    own_hostname = socket.gethostname().lower()

    def connect(sock: socket.socket, address: Any) -> None:
        _check_socket_address(sock.family, address, "connect to")
        return real_connect(sock, address)

    def connect_ex(sock: socket.socket, address: Any) -> int:
        _check_socket_address(sock.family, address, "connect to")
        return real_connect_ex(sock, address)

    def sendto(sock: socket.socket, data: Any, *args: Any) -> int:
        _check_socket_address(sock.family, args[-1] if args else None, "send to")
        return real_sendto(sock, data, *args)

    def create_connection(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if not is_loopback_host(address[0]):
            raise _refuse("connect to", address)
        return real_create_connection(address, *args, **kwargs)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        # No host (a wildcard bind), an IP literal or this machine's name resolve without
        # the network; any other name would send a DNS query.
        if isinstance(host, bytes | bytearray):
            host = bytes(host).decode("ascii", "replace")
        local = (
            host is None
            or host == ""
            or is_loopback_host(host)
            or (isinstance(host, str) and (_is_ip_literal(host) or host.lower() == own_hostname))
        )
        if not local:
            raise _refuse("look up", host)
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
