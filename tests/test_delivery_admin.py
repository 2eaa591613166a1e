"""Dead letters in the admin API, the dashboard and the CLI, over real HTTP and processes."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import httpx

from channels.web.app import create_app
from tests.servers import ThreadedServer, free_port
from tests.test_cli import run
from tests.test_web_api import ADMIN, send, start
from tests.test_webhooks import SECRET, server_settings, wait_for
from tests.webhook_receiver import running_receiver


async def test_a_dead_letter_is_shown_and_retried_from_the_dashboard(tmp_path: Path) -> None:
    with running_receiver(SECRET) as receiver:
        receiver.answer(410)  # gone: not retried, straight to the dead letters
        with ThreadedServer(create_app(server_settings(tmp_path, receiver))) as server:
            async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
                token = await start(client)
                await send(client, token, "<b>We need funnel analysis</b>")

                async def dead() -> list[dict[str, object]]:
                    page = await client.get(
                        "/api/admin/deliveries", params={"status": "dead"}, headers=ADMIN
                    )
                    assert page.status_code == 200
                    rows: list[dict[str, object]] = page.json()["deliveries"]
                    return rows

                letters: list[dict[str, object]] = []
                deadline = time.monotonic() + 30
                while not letters and time.monotonic() < deadline:
                    letters = await dead()
                    await asyncio.sleep(0.1)
                (letter,) = letters
                assert letter["event_type"] == "lead.created"
                assert letter["destination"] == "crm"
                assert "HTTP 410" in str(letter["last_error"])
                assert (await client.get("/api/admin/deliveries")).status_code == 401

                await client.post("/admin/login", data={"key": "test-admin-key-0123456789"})
                page = await client.get("/admin/deliveries", params={"status": "dead"})
                assert page.status_code == 200
                assert "dead letter" in page.text and "HTTP 410" in page.text
                lead_page = await client.get(f"/admin/leads/{letter['conversation_id']}")
                assert "Follow-up: <strong>Nurture: education</strong>" in lead_page.text
                assert "lead.created" in lead_page.text and "crm: dead letter" in lead_page.text
                assert "<b>We need" not in lead_page.text

                refused = await client.post(
                    f"/admin/deliveries/{letter['id']}/retry", data={"csrf": "nope"}
                )
                assert refused.status_code == 403
                csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
                assert csrf is not None
                retried = await client.post(
                    f"/admin/deliveries/{letter['id']}/retry", data={"csrf": csrf.group(1)}
                )
                assert retried.status_code == 303
                await wait_for(lambda: len(receiver.processed) == 1)
                again = await client.post(
                    f"/api/admin/deliveries/{letter['id']}/retry", headers=ADMIN
                )
                assert again.status_code == 404
                assert again.json()["error"] == "not_a_dead_letter"
                counts = (await client.get("/api/admin/deliveries", headers=ADMIN)).json()
                assert counts["counts"] == {"pending": 0, "delivered": 1, "dead": 0}
    assert receiver.types() == ["lead.created"]


def test_webhooks_test_command_sends_a_signed_sample(tmp_path: Path) -> None:
    with running_receiver(SECRET) as receiver:
        sent = run(
            "webhooks", "test", receiver.url, "--secret", SECRET, "--event", "lead.handoff",
            data_dir=tmp_path,
        )  # fmt: skip
        assert sent.returncode == 0, sent.stderr
        assert "HTTP 200 in" in sent.stdout
        (got,) = receiver.received
        assert got.signature_ok
        assert got.event["type"] == "lead.handoff"
        assert got.event["data"]["test"] is True
        assert got.event["lead"]["contact"]["email"] == "jane@example.com"

        unsigned = run("webhooks", "test", receiver.url, data_dir=tmp_path)
        assert unsigned.returncode == 1  # a random secret the receiver does not know
        assert "secret: whsec_" in unsigned.stdout
        assert "HTTP 401" in unsigned.stderr and "would not be retried" in unsigned.stderr

    down = run("webhooks", "test", f"http://127.0.0.1:{free_port()}/hook", data_dir=tmp_path)
    assert down.returncode == 1
    assert "cannot reach" in down.stderr and "would be retried" in down.stderr
    assert "Traceback" not in down.stderr
    wrong = run("webhooks", "test", "http://x.example/h", "--event", "lead.won", data_dir=tmp_path)
    assert wrong.returncode == 1 and "unknown event 'lead.won'" in wrong.stderr


def test_list_retry_and_deliver_commands(tmp_path: Path) -> None:
    with running_receiver(SECRET) as receiver:
        hooks = f'[{{"name": "crm", "url": "{receiver.url}", "secret": "{SECRET}"}}]'
        chat = run(
            "chat", data_dir=tmp_path, stdin="We need funnel analysis\n", QUALIFY_WEBHOOKS=hooks
        )
        assert chat.returncode == 0, chat.stderr
        pending = run("webhooks", "list", data_dir=tmp_path, QUALIFY_WEBHOOKS=hooks)
        assert "1 pending, 0 delivered, 0 dead" in pending.stdout
        receiver.answer(400)
        first = run("webhooks", "deliver", "--once", data_dir=tmp_path, QUALIFY_WEBHOOKS=hooks)
        assert first.returncode == 0, first.stderr
        dead = run("webhooks", "list", "--status", "dead", data_dir=tmp_path)
        assert "0 pending, 0 delivered, 1 dead" in dead.stdout
        assert "HTTP 400" in dead.stdout

        assert (
            "1 dead letter(s) queued again"
            in run("webhooks", "retry", "--all", data_dir=tmp_path).stdout
        )
        second = run("webhooks", "deliver", "--once", data_dir=tmp_path, QUALIFY_WEBHOOKS=hooks)
        assert "1 attempt(s) made" in second.stdout
        assert "0 pending, 1 delivered, 0 dead" in run("webhooks", "list", data_dir=tmp_path).stdout
    assert receiver.types() == ["lead.created"]
    nothing = run("webhooks", "deliver", "--once", data_dir=tmp_path)
    assert nothing.returncode == 1 and "no webhook or CRM is configured" in nothing.stderr
    assert run("webhooks", "retry", data_dir=tmp_path).returncode == 1


def test_serve_refuses_a_webhook_it_cannot_sign_for(tmp_path: Path) -> None:
    result = run(
        "serve", "--port", str(free_port()), data_dir=tmp_path,
        QUALIFY_WEBHOOKS='[{"url": "https://hooks.example.com/in"}]',
    )  # fmt: skip
    assert result.returncode == 1
    assert "has no secret" in result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
