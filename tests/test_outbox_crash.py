"""A server killed after a turn committed its events, before delivering them: the next
start delivers each event once."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests.servers import ThreadedServer, free_port
from tests.test_serve import QUALIFY
from tests.test_webhooks import SECRET
from tests.webhook_receiver import Receiver, receiver_app

KEY = "crash-test-admin-key-0123456789"


def serve(data_dir: Path, port: int, hook: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUALIFY_")}
    env.update(
        QUALIFY_DATA_DIR=str(data_dir),
        QUALIFY_KNOWLEDGE="false",
        QUALIFY_ADMIN_API_KEY=KEY,
        QUALIFY_WEBHOOKS=f'[{{"name": "crm", "url": "{hook}", "secret": "{SECRET}"}}]',
        QUALIFY_OUTBOX_POLL_SECONDS="0.2",
        QUALIFY_WEBHOOK_BACKOFF_SECONDS="0.2",
        QUALIFY_WEBHOOK_BACKOFF_MAX_SECONDS="0.5",
        QUALIFY_WEBHOOK_MAX_ATTEMPTS="50",
    )
    process = subprocess.Popen(
        [QUALIFY, "serve", "--port", str(port), "--log-level", "error"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    eventually(lambda: _up(port), "the server to start", process)
    return process


def _up(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def eventually(
    check: Callable[[], Any], what: str, process: subprocess.Popen[str] | None = None
) -> Any:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the server exited while waiting for {what}")
        result = check()
        if result:
            return result
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def deliveries(port: int) -> dict[str, Any]:
    answer = httpx.get(
        f"http://127.0.0.1:{port}/api/admin/deliveries",
        headers={"Authorization": f"Bearer {KEY}"},
        timeout=10,
    )
    data: dict[str, Any] = answer.json()
    return data


def test_events_committed_before_a_crash_are_delivered_once_after_restart(
    tmp_path: Path,
) -> None:
    hook_port = free_port()
    hook = f"http://127.0.0.1:{hook_port}/hook"
    port = free_port()
    server = serve(tmp_path, port, hook)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            token = client.post("/api/conversations", json={}).json()["token"]
            reply = client.post(
                f"/api/conversations/{token}/messages", json={"text": "We need funnel analysis"}
            )
            assert reply.status_code == 200
        # The receiver is down: the event is committed and its delivery keeps failing.
        eventually(
            lambda: any(d["attempts"] >= 2 for d in deliveries(port)["deliveries"]),
            "failed attempts",
            server,
        )
    finally:
        server.send_signal(signal.SIGKILL)  # no shutdown, no cleanup
        server.wait(timeout=30)

    receiver = Receiver(SECRET)
    with ThreadedServer(receiver_app(receiver), port=hook_port):
        for round in range(2):
            restarted = serve(tmp_path, port, hook)
            try:
                page = eventually(
                    lambda: (d := deliveries(port))["counts"]["delivered"] == 1 and d,
                    "the delivery",
                    restarted,
                )
            finally:
                restarted.send_signal(signal.SIGKILL)
                restarted.wait(timeout=30)
            assert page["counts"] == {"pending": 0, "delivered": 1, "dead": 0}, round
    assert len(receiver.received) == 1
    assert receiver.types() == ["lead.created"]
    assert receiver.received[0].signature_ok
