"""`qualify serve` as a real process: the README's run command with the built-in defaults."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port

QUALIFY = str(Path(sys.executable).parent / "qualify")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUALIFY_")}
    env["QUALIFY_DATA_DIR"] = str(tmp_path)
    process = subprocess.Popen(
        [QUALIFY, "serve", "--port", str(port), "--log-level", "warning"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise AssertionError(
                f"qualify serve exited: {process.stdout.read() if process.stdout else ''}"
            )
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("qualify serve did not answer within 120 s")
        time.sleep(0.2)
    try:
        yield url, process
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_serve_with_defaults_answers_product_questions(
    served: tuple[str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    url, _ = served
    assert (tmp_path / "qualify.db").exists()
    assert (tmp_path / "admin_api_key").read_text().strip()
    assert httpx.get(f"{url}/").status_code == 200
    token = httpx.post(f"{url}/api/conversations", json={}).json()["token"]
    reply = httpx.post(
        f"{url}/api/conversations/{token}/messages",
        json={"text": "Do you integrate with Snowflake?"},
        timeout=60,
    )
    events = [
        block for block in reply.text.strip().split("\n\n") if block.startswith("event: reply")
    ]
    text = json.loads(events[0].split("data: ", 1)[1])["message"]["text"]
    assert "Source:" in text
    assert "Snowflake" in text
