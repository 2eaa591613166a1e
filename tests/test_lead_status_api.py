"""Lead status, owner and notes through the admin API, over HTTP with the real app."""

from __future__ import annotations

from pathlib import Path

import httpx

from agent.sql_store import SQLStore
from channels.web.app import create_app
from tests.servers import ThreadedServer
from tests.test_web_api import ADMIN, client, make_settings, send, server, start

__all__ = ["client", "server"]


async def a_lead(client: httpx.AsyncClient) -> str:
    token = await start(client)
    assert (await send(client, token, "We need funnel analysis")).status_code == 200
    leads = (await client.get("/api/admin/leads", headers=ADMIN)).json()["leads"]
    lead_id: str = leads[0]["id"]
    return lead_id


async def test_status_owner_and_notes_over_the_api(client: httpx.AsyncClient) -> None:
    lead_id = await a_lead(client)
    detail = (await client.get(f"/api/admin/leads/{lead_id}", headers=ADMIN)).json()
    assert detail["sales"]["status"] == "new" and detail["notes"] == []

    url = f"/api/admin/leads/{lead_id}"
    changed = await client.patch(url, json={"status": "meeting", "owner": "ana"}, headers=ADMIN)
    assert changed.status_code == 200
    assert changed.json()["status"] == "meeting" and changed.json()["owner"] == "ana"
    assert changed.json()["status_changed_by"] == "admin-api"

    won = await client.patch(url, json={"status": "won", "reason": "Annual plan"}, headers=ADMIN)
    assert won.status_code == 200 and won.json()["reason"] == "Annual plan"
    assert won.json()["owner"] == "ana"  # not given: kept

    note = await client.post(f"{url}/notes", json={"text": "Demo went well"}, headers=ADMIN)
    assert note.status_code == 201 and note.json()["author"] == "admin-api"

    detail = (await client.get(url, headers=ADMIN)).json()
    assert (detail["sales"]["status"], detail["sales"]["reason"]) == ("won", "Annual plan")
    assert [n["text"] for n in detail["notes"]] == ["Demo went well"]

    cleared = await client.patch(url, json={"owner": None}, headers=ADMIN)
    assert cleared.status_code == 200
    assert (cleared.json()["status"], cleared.json()["owner"]) == ("won", None)


async def test_bad_changes_get_422_and_change_nothing(client: httpx.AsyncClient) -> None:
    lead_id = await a_lead(client)
    url = f"/api/admin/leads/{lead_id}"
    assert (await client.patch(url, json={"status": "contacted"}, headers=ADMIN)).status_code == 200

    bad_status = await client.patch(url, json={"status": "closed"}, headers=ADMIN)
    assert bad_status.status_code == 422 and "status" in bad_status.json()["message"]

    lost = await client.patch(url, json={"status": "lost", "owner": "bo"}, headers=ADMIN)
    assert lost.status_code == 422
    assert lost.json()["message"] == "A lost lead needs a reason."

    reason_alone = await client.patch(url, json={"reason": "why"}, headers=ADMIN)
    assert reason_alone.status_code == 422

    long_note = await client.post(f"{url}/notes", json={"text": "x" * 5001}, headers=ADMIN)
    assert long_note.status_code == 422 and "text" in long_note.json()["message"]
    empty_note = await client.post(f"{url}/notes", json={"text": "   "}, headers=ADMIN)
    assert empty_note.status_code == 422 and empty_note.json()["message"] == "The note is empty."

    detail = (await client.get(url, headers=ADMIN)).json()
    assert detail["sales"]["status"] == "contacted" and detail["sales"]["owner"] is None
    assert detail["notes"] == []


async def test_missing_lead_is_404_and_a_session_cannot_write(client: httpx.AsyncClient) -> None:
    missing = await client.patch(
        "/api/admin/leads/no-such-lead", json={"status": "won"}, headers=ADMIN
    )
    assert missing.status_code == 404 and missing.json()["error"] == "lead_not_found"
    note = await client.post(
        "/api/admin/leads/no-such-lead/notes", json={"text": "hi"}, headers=ADMIN
    )
    assert note.status_code == 404
    lead_id = await a_lead(client)
    anonymous = await client.patch(f"/api/admin/leads/{lead_id}", json={"status": "won"})
    assert anonymous.status_code == 401


async def test_the_status_change_is_an_event_with_the_lead(tmp_path: Path) -> None:
    settings = make_settings(tmp_path, lead_events=True)
    with ThreadedServer(create_app(settings)) as running:
        async with httpx.AsyncClient(base_url=running.url, timeout=30) as http:
            lead_id = await a_lead(http)
            url = f"/api/admin/leads/{lead_id}"
            lost = {"status": "lost", "reason": "No budget this year", "owner": "ana"}
            assert (await http.patch(url, json=lost, headers=ADMIN)).status_code == 200
            assert (await http.patch(url, json={"owner": "bo"}, headers=ADMIN)).status_code == 200
    store = SQLStore(settings.resolved_database_url())
    try:
        events = [e for e in await store.lead_events(lead_id) if e.type == "lead.status_changed"]
    finally:
        await store.close()
    assert len(events) == 1  # an owner change alone is no status change
    assert events[0].data == {
        "status": "lost",
        "old_status": "new",
        "reason": "No budget this year",
        "owner": "ana",
        "changed_by": "admin-api",
    }
    assert events[0].lead["id"] == lead_id and "score" in events[0].lead
