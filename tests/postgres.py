"""A throwaway PostgreSQL cluster for the test session, and a fresh database per test.

The cluster comes from Debian's ``postgresql`` package (binaries under
``/usr/lib/postgresql/<version>/bin``): ``initdb`` in a temporary folder, ``pg_ctl start``
on a free port of 127.0.0.1 with fsync off, stopped and deleted when the session ends.
PostgreSQL refuses to run as root, so when the tests run as root the cluster runs as the
``postgres`` OS user.

Without the binaries the PostgreSQL tests are skipped, unless the ``CI`` environment
variable is set: then they fail, so CI cannot pass without testing PostgreSQL.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import asyncpg  # type: ignore[import-untyped]
import pytest

__all__ = ["PostgresCluster", "fresh_postgres_database", "postgres_cluster"]

OS_USER = "postgres"
DB_USER = "postgres"


@dataclass(frozen=True)
class PostgresCluster:
    """A running cluster: trust authentication for user ``postgres`` on 127.0.0.1."""

    bin_dir: Path
    data_dir: Path
    port: int
    host: str = "127.0.0.1"

    def url(self, database: str = "postgres", *, driver: str = "postgresql+asyncpg") -> str:
        return f"{driver}://{DB_USER}@{self.host}:{self.port}/{database}"

    async def admin(self) -> asyncpg.Connection:
        return await asyncpg.connect(
            host=self.host, port=self.port, user=DB_USER, database="postgres"
        )


def find_bin_dir() -> Path | None:
    """The newest installed server's bin folder, or None."""
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    if not candidates:
        found = shutil.which("initdb")
        return Path(found).parent if found else None

    def version(path: str) -> tuple[int, ...]:
        name = Path(path).parent.parent.name
        return tuple(int(part) for part in name.split(".") if part.isdigit())

    return Path(max(candidates, key=version)).parent


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("CI"):
        pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", OS_USER, "--", *command]
    return ["su", OS_USER, "-s", "/bin/sh", "-c", shlex.join(command)]


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(
        _as_server_user(command), capture_output=True, text=True, timeout=120, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


def start_cluster(bin_dir: Path, root: Path) -> PostgresCluster:
    """initdb and start a cluster under ``root``; the caller stops it with stop_cluster."""
    data_dir = root / "data"
    if os.geteuid() == 0:
        try:
            server_user = pwd.getpwnam(OS_USER)
        except KeyError:
            raise RuntimeError(f"running as root and there is no {OS_USER!r} OS user") from None
        os.chown(root, server_user.pw_uid, server_user.pw_gid)
    _run(
        [str(bin_dir / "initdb"), "-D", str(data_dir), "-A", "trust", "-U", DB_USER, "-E", "UTF8",
         "--no-sync", "--locale=C"],
        "initdb",
    )  # fmt: skip
    last_error: Exception | None = None
    for _ in range(5):  # another process may take the free port before the server does
        port = _free_port()
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        try:
            _run(
                [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-w", "-t", "60",
                 "-l", str(root / "server.log"), "-o", options, "start"],
                "pg_ctl start",
            )  # fmt: skip
        except RuntimeError as exc:
            last_error = exc
            continue
        return PostgresCluster(bin_dir=bin_dir, data_dir=data_dir, port=port)
    log = root / "server.log"
    detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"{last_error}\n{detail}")


def _stop_command(bin_dir: Path, data_dir: Path) -> list[str]:
    return _as_server_user(
        [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "-w", "stop"]
    )


def stop_cluster(cluster: PostgresCluster) -> None:
    _run(
        [str(cluster.bin_dir / "pg_ctl"), "-D", str(cluster.data_dir), "-m", "immediate", "-w",
         "stop"],
        "pg_ctl stop",
    )  # fmt: skip


# Stops the cluster and deletes its folder once its stdin closes: when the test process
# ends, however it ends (a timeout's SIGTERM or a SIGKILL skip fixture teardown). It runs in
# a session of its own so that signals sent to the test process group do not reach it.
_WATCHDOG = """
import shutil, subprocess, sys
sys.stdin.buffer.read()
subprocess.run(sys.argv[2:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
shutil.rmtree(sys.argv[1], ignore_errors=True)
"""


def _start_watchdog(root: Path, stop_command: list[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", _WATCHDOG, str(root), *stop_command],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """One cluster for the whole session, started on first use, stopped and deleted after."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        _unavailable(
            "no initdb found under /usr/lib/postgresql/*/bin or on PATH "
            "(install it with: apt-get install postgresql)"
        )
    root = Path(tempfile.mkdtemp(prefix="qualify-pg-"))
    watchdog = _start_watchdog(root, _stop_command(bin_dir, root / "data"))
    try:
        try:
            cluster = start_cluster(bin_dir, root)
        except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
            _unavailable(f"could not start a cluster with {bin_dir}: {exc}")
        try:
            yield cluster
        finally:
            stop_cluster(cluster)
    finally:
        shutil.rmtree(root, ignore_errors=True)
        assert watchdog.stdin is not None
        watchdog.stdin.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            watchdog.wait(timeout=30)


@contextlib.asynccontextmanager
async def fresh_postgres_database(cluster: PostgresCluster) -> AsyncIterator[str]:
    """An empty database of its own; dropped (with its connections) afterwards."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = await cluster.admin()
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield cluster.url(name)
    finally:
        admin = await cluster.admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
