"""Run an ASGI app with uvicorn in a background thread on a free 127.0.0.1 port."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ThreadedServer:
    """A real HTTP server for tests; ``url`` is its base URL."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.app = app
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.access_log = False

    def start(self) -> ThreadedServer:
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="info" if self.access_log else "warning",
            access_log=self.access_log,
            lifespan="on",
            timeout_graceful_shutdown=3,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True, name="web-test")
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the test server failed to start")
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start within 20 s")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=15)
        self._server = None
        self._thread = None

    def __enter__(self) -> ThreadedServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


QUALIFY = str(Path(sys.executable).parent / "qualify")


class QualifyProcess:
    """``qualify serve`` as a real process on a fixed port, with the given settings.

    ``kill()`` ends it at once (SIGKILL, as a crash would), and ``start()`` again brings it
    back on the same port and database.
    """

    def __init__(self, settings: dict[str, str], *, workers: int = 1) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("QUALIFY_")}
        self.env.update(settings)
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> QualifyProcess:
        command = [QUALIFY, "serve", "--port", str(self.port), "--log-level", "warning"]
        self.process = subprocess.Popen(
            [*command, "--workers", str(self.workers)],
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self._wait_until_up(self.process)
        return self

    def _wait_until_up(self, process: subprocess.Popen[str]) -> None:
        deadline = time.monotonic() + 180
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                raise AssertionError(f"qualify serve exited: {output}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("qualify serve did not answer within 180 s")
            time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the server and its workers, as a crash would end them."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()
        self.process = None

    def __enter__(self) -> QualifyProcess:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
