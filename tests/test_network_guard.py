"""The network guard refuses every host but loopback, through raw sockets and real clients."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from tests.network_guard import MESSAGE, is_loopback_host
from tests.openai_server import FakeOpenAIServer

# conftest.py makes the guard autouse; naming it here keeps this file honest on its own.
pytestmark = pytest.mark.usefixtures("no_external_network")

UNROUTABLE = ("10.255.255.1", 80)
BLOCKED = pytest.raises(RuntimeError, match=MESSAGE)


@pytest.fixture
def loopback_listener() -> Iterator[tuple[str, int]]:
    """A TCP listener on 127.0.0.1 that accepts connections in the background."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.1)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()
    stop.set()
    thread.join(timeout=5)
    server.close()


def test_raw_connect_to_a_private_address_is_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)  # without the guard this would fail differently, not hang
        with BLOCKED:
            sock.connect(UNROUTABLE)
        with BLOCKED:
            sock.connect_ex(UNROUTABLE)


def test_create_connection_is_refused_before_any_name_lookup() -> None:
    with BLOCKED:
        socket.create_connection(UNROUTABLE, timeout=1)
    with BLOCKED:
        socket.create_connection(("api.openai.com", 443), timeout=1)


def test_name_lookup_of_a_public_host_is_refused() -> None:
    with BLOCKED:
        socket.getaddrinfo("api.openai.com", 443)


def test_udp_send_to_a_public_resolver_is_refused() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock, BLOCKED:
        sock.sendto(b"\x00", ("8.8.8.8", 53))


def test_ipv6_non_loopback_is_refused() -> None:
    try:
        sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    except OSError:
        pytest.skip("no IPv6 sockets on this machine")
    with sock:
        sock.settimeout(1)
        with BLOCKED:
            sock.connect(("2001:db8::1", 443, 0, 0))


def test_httpx_to_api_openai_com_is_refused() -> None:
    with BLOCKED:
        httpx.get("https://api.openai.com/v1/models", timeout=2)


async def test_async_httpx_to_api_openai_com_is_refused() -> None:
    async with httpx.AsyncClient(timeout=2) as client:
        with BLOCKED:
            await client.get("https://api.openai.com/v1/models")


def test_openai_client_default_endpoint_is_refused() -> None:
    # The openai SDK talks through httpx2, not httpx; the guard's error is not wrapped.
    client = openai.OpenAI(api_key="test-key", max_retries=0, timeout=2)
    with BLOCKED:
        client.models.list()


async def test_async_openai_client_default_endpoint_is_refused() -> None:
    client = openai.AsyncOpenAI(api_key="test-key", max_retries=0, timeout=2)
    with BLOCKED:
        await client.models.list()


def test_loopback_tcp_connections_work(loopback_listener: tuple[str, int]) -> None:
    _, port = loopback_listener
    for host in ("127.0.0.1", "localhost"):
        with socket.create_connection((host, port), timeout=2):
            pass
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        sock.connect(("127.0.0.1", port))
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        assert sock.connect_ex(("127.0.0.1", port)) == 0


def test_ipv6_loopback_works() -> None:
    try:
        server = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        server.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    with server:
        server.listen(1)
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as client:
            client.settimeout(2)
            client.connect(server.getsockname())


def test_unix_sockets_work(tmp_path: Path) -> None:
    path = str(tmp_path / "s.sock")
    if len(path) > 100:
        pytest.skip("temporary path too long for a unix socket")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(1)
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(path)


def test_httpx_to_a_local_server_works(openai_server: FakeOpenAIServer) -> None:
    response = httpx.get(f"{openai_server.base_url}/models", timeout=5)
    assert response.status_code == 404  # answered by the local server: the request got through
    assert openai_server.requests[-1].path == "/v1/models"


async def test_async_httpx_to_a_local_server_works(openai_server: FakeOpenAIServer) -> None:
    base = openai_server.base_url.replace("127.0.0.1", "localhost")
    async with httpx.AsyncClient(timeout=5) as client:
        response = await client.get(f"{base}/models")
    assert response.status_code == 404
    assert openai_server.requests[-1].path == "/v1/models"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.10", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("app.localhost", True),
        (b"127.0.0.1", True),
        ("10.255.255.1", False),
        ("0.0.0.0", False),
        ("::ffff:10.0.0.1", False),
        ("2001:db8::1", False),
        ("api.openai.com", False),
        ("localhost.evil.com", False),
        ("", False),
        (None, False),
    ],
)
def test_is_loopback_host(host: object, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback
