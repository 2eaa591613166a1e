"""A lead's status, owner and notes from its dashboard page, in headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.servers import ThreadedServer
from tests.test_dashboard_pages import lead, seed, server, signed_in, texts

__all__ = ["server"]


async def test_status_and_a_note_from_the_lead_page_show_in_the_timeline(
    tmp_path: Path, server: ThreadedServer, browser: Any
) -> None:
    item = lead(score=80, segment="hot", company="Statusco")
    await seed(tmp_path, [item])
    page = await signed_in(browser, server)
    await page.goto(f"{server.url}/admin/leads/{item.id}")
    assert await page.inner_text(".lead-status") == "new"

    # Lost without a reason is refused, says why and keeps what was typed.
    await page.select_option("select[name=status]", "lost")
    await page.fill("input[name=owner]", "ana")
    await page.click("text=Save status")
    assert "A lost lead needs a reason. Nothing was changed." in await page.inner_text(".sales")
    assert await page.input_value("input[name=owner]") == "ana"
    assert await page.inner_text(".lead-status") == "new"

    await page.fill("input[name=reason]", "Went with a competitor")
    await page.click("text=Save status")
    await page.wait_for_url(f"**/admin/leads/{item.id}#sales")
    assert await page.inner_text(".lead-status") == "lost"
    assert await page.inner_text(".lead-owner") == "ana"

    await page.fill("textarea[name=text]", "Asked to hear from us next year")
    await page.click("text=Add note")
    await page.wait_for_url(f"**/admin/leads/{item.id}#notes")
    timeline = await texts(page, "table.events tbody tr")
    assert "Note by dashboard: Asked to hear from us next year" in timeline[0]
    assert any(
        "lead.status_changed (new → lost: Went with a competitor, by dashboard)" in row
        for row in timeline
    )
    # The refused form's page came with status 422; nothing else went wrong.
    assert [e for e in page.console_errors if "status of 422" not in e] == []

    api = await page.request.get(f"{server.url}/api/admin/leads/{item.id}")
    body = await api.json()
    assert body["sales"]["status"] == "lost"
    assert [note["text"] for note in body["notes"]] == ["Asked to hear from us next year"]
